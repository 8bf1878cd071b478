#include "ops/rnn_cells.h"

#include "base/error.h"
#include "kernels/matmul.h"
#include "kernels/rnn_cells.h"

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

// A [B, Hd] output that is half `part` of a [2, B, Hd] state node: its gradient goes to that half.
Var state_half(const Var& state, const Tensor& value, int part) {
  const int64_t n = value.numel();
  return make_result(value, {state}, [state, part, n](const Tensor& dout) {
    float* g = state.node()->grad_buffer().data() + part * n;
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
  return {state_half(state_var, state.rows(0, 1).reshape({b, hd}), 0),
          state_half(state_var, state.rows(1, 2).reshape({b, hd}), 1)};
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

}  // namespace attn
