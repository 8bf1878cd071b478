#include "ops/rnn_attention_decoder.h"

#include <utility>

#include "base/error.h"
#include "kernels/column_sums.h"
#include "kernels/matmul.h"
#include "kernels/rnn_attention.h"
#include "kernels/rnn_cells.h"
#include "ops/rnn_row_chunks.h"

namespace attn {

namespace {

struct Dims {
  int64_t b, t, e, hd, tk, a, dk;
};

void check_shape(const Var& v, const Shape& expected, const char* name) {
  ATTN_CHECK(v.shape() == expected, shape, "additive_lstm_decoder: ", name, " must have shape ",
             to_string(expected), ", got ", to_string(v.shape()));
}

Dims check_inputs(const AdditiveLstmDecoderInputs& in) {
  for (const Var* v : {&in.inputs, &in.initial.h, &in.initial.c, &in.memory, &in.keys, &in.w_ih, &in.w_hh, &in.bias,
                       &in.query_weight, &in.v})
    ATTN_CHECK(v->defined(), shape, "additive_lstm_decoder: every input must be defined");
  ATTN_CHECK(in.inputs.rank() == 3 && in.memory.rank() == 3 && in.w_hh.rank() == 2 && in.query_weight.rank() == 2,
             shape, "additive_lstm_decoder needs inputs [B, T, E], memory [B, Tk, Dk], w_hh [4Hd, Hd] and ",
             "query_weight [A, Hd], got ", to_string(in.inputs.shape()), ", ", to_string(in.memory.shape()), ", ",
             to_string(in.w_hh.shape()), " and ", to_string(in.query_weight.shape()));
  const Dims d{in.inputs.dim(0), in.inputs.dim(1), in.inputs.dim(2), in.w_hh.dim(1),
               in.memory.dim(1), in.query_weight.dim(0), in.memory.dim(2)};
  check_shape(in.initial.h, {d.b, d.hd}, "initial h");
  check_shape(in.initial.c, {d.b, d.hd}, "initial c");
  check_shape(in.memory, {d.b, d.tk, d.dk}, "memory");
  check_shape(in.keys, {d.b, d.tk, d.a}, "keys");
  check_shape(in.w_ih, {4 * d.hd, d.e + d.dk}, "w_ih");
  check_shape(in.w_hh, {4 * d.hd, d.hd}, "w_hh");
  check_shape(in.bias, {4 * d.hd}, "bias");
  check_shape(in.v, {d.a}, "v");
  ATTN_CHECK(in.key_lengths.empty() || static_cast<int64_t>(in.key_lengths.size()) == d.b, shape,
             "additive_lstm_decoder: ", in.key_lengths.size(), " key lengths for a batch of ", d.b);
  return d;
}

void copy(const float* from, float* to, int64_t n) {
  for (int64_t j = 0; j < n; ++j) to[j] = from[j];
}

void add(const float* from, float* to, int64_t n) {
  for (int64_t j = 0; j < n; ++j) to[j] += from[j];
}

float* grad_of(const Var& v) { return v.node()->grad_buffer().data(); }

}  // namespace

Var additive_lstm_decoder(const AdditiveLstmDecoderInputs& in) {
  const Dims d = check_inputs(in);
  const int64_t b = d.b, t = d.t, e = d.e, hd = d.hd, tk = d.tk, a = d.a, dk = d.dk;
  const int64_t g = 4 * hd, n = b * hd, xw = dk + hd;  // xw: a step's [context; h] width

  // w_ih split by what it reads: w_y [4Hd, E] for y_t, and w_cat = [w_ih[:, E:] | w_hh] [4Hd, Dk + Hd]
  // for [context_t; h], so each step makes one product.
  Tensor w_y = Tensor::empty({g, e}), w_cat = Tensor::empty({g, xw});
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < g; ++r) {
    const float* wi = in.w_ih.value().data() + r * (e + dk);
    copy(wi, w_y.data() + r * e, e);
    copy(wi + e, w_cat.data() + r * xw, dk);
    copy(in.w_hh.value().data() + r * hd, w_cat.data() + r * xw + dk, hd);
  }
  // Step-major buffers: inputs, gates, states before/after each step, and the attention's
  // tanh values and weights; xh holds each step's [context; h] row by row. qs: one step's queries.
  Tensor ys = Tensor::empty({t, b, e});
  kernels::rnn_to_steps(in.inputs.value().data(), b, t, e, false, ys.data());
  Tensor gates = Tensor::empty({t, b, g});
  kernels::matmul({.m = t * b, .n = g, .k = e, .trans_b = true}, ys.data(), w_y.data(), gates.data());
  Tensor hs = Tensor::empty({t + 1, b, hd}), cs = Tensor::empty({t + 1, b, hd});
  copy(in.initial.h.value().data(), hs.data(), n);
  copy(in.initial.c.value().data(), cs.data(), n);
  Tensor qs = Tensor::empty({b, a}), tanhs = Tensor::empty({t, b, tk, a}), ps = Tensor::empty({t, b, tk});
  Tensor xh = Tensor::empty({t, b, xw});
  const int32_t* lengths = in.key_lengths.empty() ? nullptr : in.key_lengths.data();
  const rnn_rows::StepWeight wq(b, a, hd, true, in.query_weight.value().data());  // q = h · W_qᵀ
  const rnn_rows::StepWeight wc(b, g, xw, true, w_cat.data());                   // gates += x · w_catᵀ
  const int64_t ow = hd + dk;
  Tensor out = Tensor::empty({b, t, ow});
  rnn_rows::for_chunks(b, [&](int64_t r0, int64_t m) {
    const kernels::RnnAttentionShape as{m, tk, a, dk, xw};
    const kernels::RnnCellShape cell{m, hd};
    const int32_t* len = lengths ? lengths + r0 : nullptr;
    for (int64_t i = 0; i < t; ++i) {
      const int64_t row = i * b + r0;  // the chunk's first row in step-major buffers
      const float* h = hs.data() + i * n + r0 * hd;
      float* x = xh.data() + row * xw;
      float* q = qs.data() + r0 * a;  // the step's queries
      float* gi = gates.data() + row * g;
      wq.product(m, h, q, false);
      kernels::additive_attention_fwd(as, len, q, in.keys.value().data() + r0 * tk * a,
                                      in.memory.value().data() + r0 * tk * dk, in.v.value().data(),
                                      tanhs.data() + row * tk * a, ps.data() + row * tk, x);
      for (int64_t r = 0; r < m; ++r) copy(h + r * hd, x + r * xw + dk, hd);
      wc.product(m, x, gi, true);
      float* h_out = hs.data() + (i + 1) * n + r0 * hd;
      kernels::lstm_pointwise_fwd(cell, gi, in.bias.value().data(), cs.data() + i * n + r0 * hd, h_out,
                                  cs.data() + (i + 1) * n + r0 * hd);
      for (int64_t r = 0; r < m; ++r) {
        float* o = out.data() + ((r0 + r) * t + i) * ow;
        copy(h_out + r * hd, o, hd);
        copy(x + r * xw, o + hd, dk);
      }
    }
  });
  if (in.capture) {
    *in.capture = Tensor::empty({b, t, tk});
    kernels::rnn_from_steps(ps.data(), b, t, tk, false, false, in.capture->data());
  }

  auto backward = [in, d, w_y, w_cat, ys, gates, hs, cs, tanhs, ps, xh](const Tensor& dout) mutable {
    const int64_t b = d.b, t = d.t, e = d.e, hd = d.hd, tk = d.tk, a = d.a, dk = d.dk;
    const int64_t g = 4 * hd, n = b * hd, xw = dk + hd, ow = hd + dk;
    const int32_t* lengths = in.key_lengths.empty() ? nullptr : in.key_lengths.data();
    Tensor run = Tensor::zeros({3, n});  // dh, then dc of the current step and of the one before, alternating
    Tensor dxs = Tensor::empty({t, b, xw});  // [dcontext; dh_prev] of each step
    Tensor dqs = Tensor::empty({t, b, a});
    Tensor dkeys = Tensor::zeros({b, tk, a}), dmemory = Tensor::zeros({b, tk, dk}), dv_rows = Tensor::zeros({b, a});
    const rnn_rows::StepWeight wc(b, xw, g, false, w_cat.data());                   // dx = dgates · w_cat
    const rnn_rows::StepWeight wq(b, hd, a, false, in.query_weight.value().data());  // dh += dq · W_q
    Tensor dbias_parts = Tensor::zeros({rnn_rows::chunk_count(b), g});  // summed in chunk order below
    // The gates are overwritten by their grads: the tape runs this closure once, then drops it.
    rnn_rows::for_chunks(b, [&](int64_t r0, int64_t m) {
      const kernels::RnnAttentionShape as{m, tk, a, dk, xw};
      const kernels::RnnCellShape cell{m, hd};
      const int32_t* len = lengths ? lengths + r0 : nullptr;
      float *dh = run.data() + r0 * hd, *dc = dh + n, *dc_prev = dc + n;
      for (int64_t i = t - 1; i >= 0; --i) {
        const int64_t row = i * b + r0;
        float* dxc = dxs.data() + row * xw;
        float* dg = gates.data() + row * g;
        float* dq = dqs.data() + row * a;
        for (int64_t r = 0; r < m; ++r) add(dout.data() + ((r0 + r) * t + i) * ow, dh + r * hd, hd);
        for (int64_t j = 0; j < m * hd; ++j) dc_prev[j] = 0.0f;
        kernels::lstm_pointwise_bwd(cell, dg, cs.data() + i * n + r0 * hd, cs.data() + (i + 1) * n + r0 * hd, dh, dc,
                                    dc_prev, nullptr);
        kernels::add_column_sums(dg, m, g, dbias_parts.data() + r0 / rnn_rows::kChunkRows * g);
        wc.product(m, dg, dxc, false);
        for (int64_t r = 0; r < m; ++r) {
          add(dout.data() + ((r0 + r) * t + i) * ow + hd, dxc + r * xw, dk);
          copy(dxc + r * xw + dk, dh + r * hd, hd);
        }
        kernels::additive_attention_bwd(as, len, in.memory.value().data() + r0 * tk * dk, in.v.value().data(),
                                        tanhs.data() + row * tk * a, ps.data() + row * tk, dxc, dq,
                                        dkeys.data() + r0 * tk * a, dv_rows.data() + r0 * a);
        wq.product(m, dq, dh, true);
        std::swap(dc, dc_prev);
      }
      kernels::additive_attention_value_grads(as, len, {t, b * tk, b * xw}, ps.data() + r0 * tk,
                                              dxs.data() + r0 * xw, dmemory.data() + r0 * tk * dk);
    });
    const float *dh = run.data(), *dc = run.data() + (t % 2 == 0 ? n : 2 * n);  // after t swaps
    if (in.initial.h.requires_grad()) add(dh, grad_of(in.initial.h), n);
    if (in.initial.c.requires_grad()) add(dc, grad_of(in.initial.c), n);
    if (in.inputs.requires_grad()) {
      Tensor dys = Tensor::empty({t, b, e});
      kernels::matmul({.m = t * b, .n = e, .k = g}, gates.data(), w_y.data(), dys.data());
      kernels::rnn_from_steps(dys.data(), b, t, e, false, true, grad_of(in.inputs));
    }
    if (in.w_ih.requires_grad() || in.w_hh.requires_grad()) {
      Tensor dw_y = Tensor::empty({g, e}), dw_cat = Tensor::empty({g, xw});
      kernels::matmul({.m = g, .n = e, .k = t * b, .trans_a = true}, gates.data(), ys.data(), dw_y.data());
      kernels::matmul({.m = g, .n = xw, .k = t * b, .trans_a = true}, gates.data(), xh.data(), dw_cat.data());
      // The grad buffers are fetched here: grad_of may allocate, which only one thread may do.
      float* gw_ih = in.w_ih.requires_grad() ? grad_of(in.w_ih) : nullptr;
      float* gw_hh = in.w_hh.requires_grad() ? grad_of(in.w_hh) : nullptr;
#pragma omp parallel for schedule(static)
      for (int64_t r = 0; r < g; ++r) {
        if (gw_ih) {
          add(dw_y.data() + r * e, gw_ih + r * (e + dk), e);
          add(dw_cat.data() + r * xw, gw_ih + r * (e + dk) + e, dk);
        }
        if (gw_hh) add(dw_cat.data() + r * xw + dk, gw_hh + r * hd, hd);
      }
    }
    if (in.bias.requires_grad())
      kernels::add_column_sums(dbias_parts.data(), rnn_rows::chunk_count(b), g, grad_of(in.bias));
    if (in.query_weight.requires_grad())  // step i read h = hs[i]
      kernels::matmul({.m = a, .n = hd, .k = t * b, .trans_a = true, .accumulate = true}, dqs.data(), hs.data(),
                      grad_of(in.query_weight));
    if (in.v.requires_grad()) kernels::add_column_sums(dv_rows.data(), b, a, grad_of(in.v));
    accumulate_grad(in.keys, std::move(dkeys));
    accumulate_grad(in.memory, std::move(dmemory));
  };
  return make_result(out, {in.inputs, in.initial.h, in.initial.c, in.memory, in.keys, in.w_ih, in.w_hh, in.bias,
                           in.query_weight, in.v},
                     std::move(backward));
}

}  // namespace attn
