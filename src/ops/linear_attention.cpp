#include "ops/linear_attention.h"

#include <utility>

#include "base/error.h"
#include "kernels/linear_attention.h"
#include "ops/activation.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"

namespace attn {

namespace {
Var to_bhtd(const Var& x, AttentionLayout layout) {
  return layout == AttentionLayout::bthd ? transpose(x, 1, 2) : x;
}

void check_inputs(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& o) {
  ATTN_CHECK(q.rank() == 4 && k.rank() == 4 && v.rank() == 4 && q.dim(0) == k.dim(0) && k.dim(0) == v.dim(0) &&
                 q.dim(1) == k.dim(1) && k.dim(1) == v.dim(1) && k.dim(2) == v.dim(2) && q.dim(3) == k.dim(3),
             shape, "linear attention needs q [B, H, Tq, D], k [B, H, Tk, D], v [B, H, Tk, Dv], got q ",
             to_string(q.shape()), ", k ", to_string(k.shape()), ", v ", to_string(v.shape()));
  AttentionMask spec;
  spec.key_lengths = o.key_lengths;
  check_attention_mask(spec, q.dim(0), q.dim(1), q.dim(2), k.dim(2));
}

Var feature_map(const Var& x) { return add_scalar(elu(x), 1.0f); }  // φ(x) = elu(x) + 1 > 0

AttentionMask visibility(const LinearAttentionOptions& o) {
  AttentionMask spec;
  spec.key_lengths = o.key_lengths;
  spec.causal = o.causal;
  return spec;
}

// φ(q_i)·φ(k_j) over visible keys, divided by the row sum + eps: [B, H, Tq, Tk].
Var quadratic_weights(const Var& a, const Var& b, const LinearAttentionOptions& o) {
  Var scores = matmul(a, b, false, true);
  const Tensor mask = build_attention_mask(visibility(o), a.dim(0), a.dim(1), a.dim(2), b.dim(2));
  if (mask.defined()) scores = mul(scores, Var(mask));
  return div(scores, add_scalar(sum(scores, -1, true), o.eps));
}

// The kernel behind the tape: a = φ(q), b = φ(k) with padded keys zeroed.
Var linear_attention_core(const Var& a, const Var& b, const Var& v, bool causal, float eps) {
  kernels::LinearAttentionShape s{a.dim(0) * a.dim(1), a.dim(2), b.dim(2), a.dim(3), v.dim(3), causal, eps};
  Tensor out = Tensor::empty({a.dim(0), a.dim(1), s.tq, s.dv});
  Tensor den = Tensor::empty({s.groups, s.tq});
  const int64_t scratch = s.groups * (s.d + 1) * (s.dv + 1);
  {
    Tensor state = Tensor::empty({scratch});
    kernels::linear_attention_fwd(s, a.value().data(), b.value().data(), v.value().data(), out.data(), den.data(),
                                  state.data());
  }
  return make_result(out, {a, b, v}, [a, b, v, out, den, s, scratch](const Tensor& dout) {
    Tensor da = Tensor::empty(a.shape()), db = Tensor::empty(b.shape()), dv = Tensor::empty(v.shape());
    Tensor state = Tensor::empty({scratch});
    kernels::linear_attention_bwd(s, a.value().data(), b.value().data(), v.value().data(), out.data(), den.data(),
                                  dout.data(), da.data(), db.data(), dv.data(), state.data());
    accumulate_grad(a, std::move(da));
    accumulate_grad(b, std::move(db));
    accumulate_grad(v, std::move(dv));
  });
}

// Shared front end of both formulations: checks, layout, feature maps, then `body`.
template <typename Body>
Var run(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& o, Body body) {
  const Var qh = to_bhtd(q, o.layout), kh = to_bhtd(k, o.layout), vh = to_bhtd(v, o.layout);
  check_inputs(qh, kh, vh, o);
  const Var a = feature_map(qh), b = feature_map(kh);
  if (o.capture) {
    NoGradGuard no_grad;
    *o.capture = quadratic_weights(a, b, o).value();
  }
  Var out = body(a, b, vh);  // [B, H, Tq, Dv]
  return o.layout == AttentionLayout::bthd ? transpose(out, 1, 2) : out;
}
}  // namespace

Var linear_attention(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& options) {
  return run(q, k, v, options, [&](const Var& a, Var b, const Var& vh) {
    if (!options.key_lengths.empty()) {
      Tensor keep = Tensor::zeros({b.dim(0), 1, b.dim(2), 1});  // [B, 1, Tk, 1]
      for (int64_t i = 0; i < b.dim(0); ++i)
        for (int64_t j = 0; j < options.key_lengths[i]; ++j) keep[i * b.dim(2) + j] = 1.0f;
      b = mul(b, Var(keep));
    }
    return linear_attention_core(a, b, vh, options.causal, options.eps);
  });
}

Var linear_attention_quadratic(const Var& q, const Var& k, const Var& v, const LinearAttentionOptions& options) {
  return run(q, k, v, options, [&](const Var& a, const Var& b, const Var& vh) {
    return matmul(quadratic_weights(a, b, options), vh);
  });
}

}  // namespace attn
