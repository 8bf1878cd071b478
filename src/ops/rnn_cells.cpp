#include "ops/rnn_cells.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "base/error.h"
#include "kernels/column_sums.h"
#include "kernels/matmul.h"
#include "kernels/rnn_cells.h"
#include "ops/rnn_row_chunks.h"

namespace attn {

namespace {

float* grad_or_null(const Var& v) { return v.requires_grad() ? v.node()->grad_buffer().data() : nullptr; }

void check_defined(const std::vector<Var>& vars, const char* op) {
  for (const Var& v : vars) ATTN_CHECK(v.defined(), shape, op, ": every input must be defined");
}

void check_shape(const Var& v, const Shape& expected, const char* op, const char* name) {
  ATTN_CHECK(v.shape() == expected, shape, op, ": ", name, " must have shape ", to_string(expected), ", got ",
             to_string(v.shape()));
}

// gi [B, G] = x [B, In] · w_ihᵀ and gh [B, G] = h [B, Hd] · w_hhᵀ, weights read transposed in
// place. Given one buffer for both (gi == gh, the LSTM), the second product adds to the first.
void input_and_hidden_products(const Var& x, const Var& h, const Var& w_ih, const Var& w_hh, float* gi,
                               float* gh) {
  const int64_t b = x.dim(0), g = w_ih.dim(0);
  kernels::matmul({.m = b, .n = g, .k = x.dim(1), .trans_b = true}, x.value().data(), w_ih.value().data(), gi);
  kernels::matmul({.m = b, .n = g, .k = h.dim(1), .trans_b = true, .accumulate = gh == gi}, h.value().data(),
                  w_hh.value().data(), gh);
}

// The adjoint of input_and_hidden_products for gate grads dgi (x side) and dgh (h side):
// dx += dgi · w_ih, dh += dgh · w_hh, dw_ih += dgiᵀ · x, dw_hh += dghᵀ · h.
void accumulate_product_grads(const Var& x, const Var& h, const Var& w_ih, const Var& w_hh, const float* dgi,
                              const float* dgh) {
  const int64_t b = x.dim(0), in = x.dim(1), hd = h.dim(1), g = w_ih.dim(0);
  if (x.requires_grad())
    kernels::matmul({.m = b, .n = in, .k = g, .accumulate = true}, dgi, w_ih.value().data(), grad_or_null(x));
  if (h.requires_grad())
    kernels::matmul({.m = b, .n = hd, .k = g, .accumulate = true}, dgh, w_hh.value().data(), grad_or_null(h));
  if (w_ih.requires_grad())
    kernels::matmul({.m = g, .n = in, .k = b, .trans_a = true, .accumulate = true}, dgi, x.value().data(),
                    grad_or_null(w_ih));
  if (w_hh.requires_grad())
    kernels::matmul({.m = g, .n = hd, .k = b, .trans_a = true, .accumulate = true}, dgh, h.value().data(),
                    grad_or_null(w_hh));
}

// A view of `value`, elements [offset, offset + numel) of a node's output: its gradient goes there.
Var output_part(const Var& whole, const Tensor& value, int64_t offset) {
  const int64_t n = value.numel();
  return make_result(value, {whole}, [whole, offset, n](const Tensor& dout) {
    float* g = whole.node()->grad_buffer().data() + offset;
    const float* d = dout.data();
    for (int64_t i = 0; i < n; ++i) g[i] += d[i];
  });
}

}  // namespace

LstmState lstm_cell(const Var& x, const LstmState& prev, const Var& w_ih, const Var& w_hh, const Var& bias) {
  const char* op = "lstm_cell";
  check_defined({x, prev.h, prev.c, w_ih, w_hh, bias}, op);
  ATTN_CHECK(x.rank() == 2 && prev.h.rank() == 2, shape, op, ": x [B, In] and h [B, Hd] must be matrices, got x ",
             to_string(x.shape()), " and h ", to_string(prev.h.shape()));
  const int64_t b = x.dim(0), in = x.dim(1), hd = prev.h.dim(1);
  check_shape(prev.h, {b, hd}, op, "h");
  check_shape(prev.c, {b, hd}, op, "c");
  check_shape(w_ih, {4 * hd, in}, op, "w_ih");
  check_shape(w_hh, {4 * hd, hd}, op, "w_hh");
  check_shape(bias, {4 * hd}, op, "bias");

  // One allocation per step: h', c' (the state) and the gates the backward needs.
  Tensor buffer = Tensor::empty({6, b, hd});
  Tensor state = buffer.rows(0, 2);                        // [2, B, Hd]: h', c'
  Tensor gates = buffer.rows(2, 6).reshape({b, 4 * hd});  // [B, 4Hd]: i, f, g, o
  input_and_hidden_products(x, prev.h, w_ih, w_hh, gates.data(), gates.data());
  const kernels::RnnCellShape s{b, hd};
  const int64_t n = b * hd;
  kernels::lstm_pointwise_fwd(s, gates.data(), bias.value().data(), prev.c.value().data(), state.data(),
                              state.data() + n);

  const Var c = prev.c, h = prev.h;
  auto backward = [x, h, c, w_ih, w_hh, bias, state, gates, s, n](const Tensor& dout) mutable {
    // The gates are overwritten by their grads: the tape runs this closure once, then drops it.
    float* dgates = gates.data();
    kernels::lstm_pointwise_bwd(s, dgates, c.value().data(), state.data() + n, dout.data(), dout.data() + n,
                                grad_or_null(c), grad_or_null(bias));
    accumulate_product_grads(x, h, w_ih, w_hh, dgates, dgates);
  };
  Var state_var = make_result(state, {x, h, c, w_ih, w_hh, bias}, std::move(backward));
  return {output_part(state_var, state.rows(0, 1).reshape({b, hd}), 0),
          output_part(state_var, state.rows(1, 2).reshape({b, hd}), n)};
}

Var gru_cell(const Var& x, const Var& h, const Var& w_ih, const Var& w_hh, const Var& b_ih, const Var& b_hh) {
  const char* op = "gru_cell";
  check_defined({x, h, w_ih, w_hh, b_ih, b_hh}, op);
  ATTN_CHECK(x.rank() == 2 && h.rank() == 2, shape, op, ": x [B, In] and h [B, Hd] must be matrices, got x ",
             to_string(x.shape()), " and h ", to_string(h.shape()));
  const int64_t b = x.dim(0), in = x.dim(1), hd = h.dim(1);
  check_shape(h, {b, hd}, op, "h");
  check_shape(w_ih, {3 * hd, in}, op, "w_ih");
  check_shape(w_hh, {3 * hd, hd}, op, "w_hh");
  check_shape(b_ih, {3 * hd}, op, "b_ih");
  check_shape(b_hh, {3 * hd}, op, "b_hh");

  // One allocation per step: h' and the two gate products the backward needs.
  Tensor buffer = Tensor::empty({7, b, hd});
  Tensor h_out = buffer.rows(0, 1).reshape({b, hd});   // [B, Hd]
  Tensor gi = buffer.rows(1, 4).reshape({b, 3 * hd});  // [B, 3Hd]: r, z, n
  Tensor gh = buffer.rows(4, 7).reshape({b, 3 * hd});  // [B, 3Hd]
  input_and_hidden_products(x, h, w_ih, w_hh, gi.data(), gh.data());
  const kernels::RnnCellShape s{b, hd};
  kernels::gru_pointwise_fwd(s, gi.data(), gh.data(), b_ih.value().data(), b_hh.value().data(), h.value().data(),
                             h_out.data());

  auto backward = [x, h, w_ih, w_hh, b_ih, b_hh, gi, gh, s](const Tensor& dout) mutable {
    // gi and gh are overwritten by their grads: the tape runs this closure once, then drops it.
    kernels::gru_pointwise_bwd(s, gi.data(), gh.data(), h.value().data(), dout.data(), grad_or_null(h),
                               grad_or_null(b_ih), grad_or_null(b_hh));
    accumulate_product_grads(x, h, w_ih, w_hh, gi.data(), gh.data());
  };
  return make_result(h_out, {x, h, w_ih, w_hh, b_ih, b_hh}, std::move(backward));
}

namespace {
// frozen[i * B + b] = 1 where step i reads a padded position of row b (t >= lengths[b]).
std::vector<uint8_t> frozen_rows(const std::vector<int32_t>& lengths, int64_t b, int64_t t, bool reverse) {
  std::vector<uint8_t> frozen(t * b, 0);
  if (lengths.empty()) return frozen;
  for (int64_t i = 0; i < t; ++i)
    for (int64_t r = 0; r < b; ++r) frozen[i * b + r] = (reverse ? t - 1 - i : i) >= lengths[r];
  return frozen;
}

void copy_row(const float* from, float* to, int64_t n) {
  for (int64_t j = 0; j < n; ++j) to[j] = from[j];
}
}  // namespace

LstmSequence lstm_sequence(const Var& x, const std::vector<int32_t>& lengths, const Var& w_ih, const Var& w_hh,
                           const Var& bias, bool reverse) {
  const char* op = "lstm_sequence";
  check_defined({x, w_ih, w_hh, bias}, op);
  ATTN_CHECK(x.rank() == 3 && w_hh.rank() == 2, shape, op, ": x must be [B, T, In] and w_hh [4Hd, Hd], got x ",
             to_string(x.shape()), " and w_hh ", to_string(w_hh.shape()));
  const int64_t b = x.dim(0), t = x.dim(1), in = x.dim(2), hd = w_hh.dim(1), g = 4 * hd, n = b * hd;
  check_shape(w_hh, {g, hd}, op, "w_hh");
  check_shape(w_ih, {g, in}, op, "w_ih");
  check_shape(bias, {g}, op, "bias");
  ATTN_CHECK(lengths.empty() || static_cast<int64_t>(lengths.size()) == b, shape, op, ": ", lengths.size(),
             " lengths for a batch of ", b);
  const std::vector<uint8_t> frozen = frozen_rows(lengths, b, t, reverse);

  // Step-major buffers (kernels/rnn_cells.h): inputs, gates, and the states before and after each step.
  Tensor xs = Tensor::empty({t, b, in});
  kernels::rnn_to_steps(x.value().data(), b, t, in, reverse, xs.data());
  Tensor gates = Tensor::empty({t, b, g});
  kernels::matmul({.m = t * b, .n = g, .k = in, .trans_b = true}, xs.data(), w_ih.value().data(), gates.data());
  Tensor hs = Tensor::empty({t + 1, b, hd}), cs = Tensor::empty({t + 1, b, hd});
  hs.rows(0, 1).zero();
  cs.rows(0, 1).zero();
  // One output node holds outputs [B, T, Hd], then the final h and c.
  const int64_t out_n = b * t * hd;
  Tensor out = Tensor::empty({out_n + 2 * n});
  const rnn_rows::StepWeight whh(b, g, hd, true, w_hh.value().data());  // gates += h · w_hhᵀ
  rnn_rows::for_chunks(b, [&](int64_t r0, int64_t m) {
    const kernels::RnnCellShape s{m, hd};
    for (int64_t i = 0; i < t; ++i) {
      const int64_t pos = reverse ? t - 1 - i : i;
      float* gi = gates.data() + (i * b + r0) * g;
      float *h = hs.data() + i * n + r0 * hd, *c = cs.data() + i * n + r0 * hd;
      if (i > 0) whh.product(m, h, gi, true);  // the first step's h is zero
      kernels::lstm_pointwise_fwd(s, gi, bias.value().data(), c, h + n, c + n);
      for (int64_t r = 0; r < m; ++r) {
        if (frozen[i * b + r0 + r]) {
          copy_row(h + r * hd, h + n + r * hd, hd);
          copy_row(c + r * hd, c + n + r * hd, hd);
        }
        copy_row(h + n + r * hd, out.data() + ((r0 + r) * t + pos) * hd, hd);
      }
    }
    copy_row(hs.data() + t * n + r0 * hd, out.data() + out_n + r0 * hd, m * hd);
    copy_row(cs.data() + t * n + r0 * hd, out.data() + out_n + n + r0 * hd, m * hd);
  });

  auto backward = [x, w_ih, w_hh, bias, xs, gates, hs, cs, frozen, reverse, b, t, in, hd, g, n,
                   out_n](const Tensor& dout) mutable {
    Tensor run = Tensor::empty({4, n});  // dh, dc of the current step, then of the step before
    copy_row(dout.data() + out_n, run.data(), 2 * n);
    const rnn_rows::StepWeight whh(b, hd, g, false, w_hh.value().data());  // dh_prev = dgates · w_hh
    Tensor dbias_parts = Tensor::zeros({rnn_rows::chunk_count(b), g});  // summed in chunk order below
    // The gates are overwritten by their grads: the tape runs this closure once, then drops it.
    rnn_rows::for_chunks(b, [&](int64_t r0, int64_t m) {
      const kernels::RnnCellShape s{m, hd};
      float *dh = run.data() + r0 * hd, *dc = dh + n, *dh_prev = dc + n, *dc_prev = dh_prev + n;
      for (int64_t i = t - 1; i >= 0; --i) {
        const int64_t pos = reverse ? t - 1 - i : i;
        float* dg = gates.data() + (i * b + r0) * g;
        const uint8_t* fr = frozen.data() + i * b + r0;
        for (int64_t r = 0; r < m; ++r) {
          const float* ds = dout.data() + ((r0 + r) * t + pos) * hd;
          for (int64_t j = 0; j < hd; ++j) dh[r * hd + j] += ds[j];
        }
        for (int64_t j = 0; j < m * hd; ++j) dc_prev[j] = 0.0f;
        kernels::lstm_pointwise_bwd(s, dg, cs.data() + i * n + r0 * hd, cs.data() + (i + 1) * n + r0 * hd, dh, dc,
                                    dc_prev, nullptr);
        for (int64_t r = 0; r < m; ++r)
          if (fr[r]) {  // the state went through unchanged
            for (int64_t j = 0; j < g; ++j) dg[r * g + j] = 0.0f;
            copy_row(dc + r * hd, dc_prev + r * hd, hd);
          }
        kernels::add_column_sums(dg, m, g, dbias_parts.data() + r0 / rnn_rows::kChunkRows * g);
        if (i > 0) {
          whh.product(m, dg, dh_prev, false);
          for (int64_t r = 0; r < m; ++r)
            if (fr[r]) copy_row(dh + r * hd, dh_prev + r * hd, hd);
        }
        std::swap(dh, dh_prev);
        std::swap(dc, dc_prev);
      }
    });
    if (x.requires_grad()) {
      Tensor dxs = Tensor::empty({t, b, in});
      kernels::matmul({.m = t * b, .n = in, .k = g}, gates.data(), w_ih.value().data(), dxs.data());
      kernels::rnn_from_steps(dxs.data(), b, t, in, reverse, true, grad_or_null(x));
    }
    if (w_ih.requires_grad())
      kernels::matmul({.m = g, .n = in, .k = t * b, .trans_a = true, .accumulate = true}, gates.data(), xs.data(),
                      grad_or_null(w_ih));
    // Step i > 0 read h = hs[i]; with one step w_hh still gets its (zero) gradient, as from lstm_cell.
    if (w_hh.requires_grad())
      kernels::matmul({.m = g, .n = hd, .k = std::max<int64_t>(t - 1, 0) * b, .trans_a = true, .accumulate = true},
                      gates.data() + b * g, hs.data() + n, grad_or_null(w_hh));
    if (bias.requires_grad())
      kernels::add_column_sums(dbias_parts.data(), rnn_rows::chunk_count(b), g, grad_or_null(bias));
  };
  Var whole = make_result(out, {x, w_ih, w_hh, bias}, std::move(backward));
  return {output_part(whole, out.rows(0, out_n).reshape({b, t, hd}), 0),
          {output_part(whole, out.rows(out_n, out_n + n).reshape({b, hd}), out_n),
           output_part(whole, out.rows(out_n + n, out_n + 2 * n).reshape({b, hd}), out_n + n)}};
}

}  // namespace attn
