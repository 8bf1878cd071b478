#include "ops/attention_fused.h"

#include <memory>
#include <utility>

#include "base/error.h"
#include "kernels/flash_attention.h"

namespace attn {

namespace {
// Element strides of a [B, H, T, D] tensor stored in `layout` order.
kernels::AttnLayout strides_of(AttentionLayout layout, int64_t heads, int64_t t, int64_t d) {
  if (layout == AttentionLayout::bthd) return {t * heads * d, d, heads * d};
  return {heads * t * d, t * d, d};
}
}  // namespace

Var fused_attention(const Var& q, const Var& k, const Var& v, float scale, const AttentionMask& mask,
                    AttentionLayout layout) {
  ATTN_CHECK(!mask.mask.defined(), internal, "the fused attention kernel takes no explicit mask");
  const bool bthd = layout == AttentionLayout::bthd;
  const int t_axis = bthd ? 1 : 2, h_axis = bthd ? 2 : 1;
  ATTN_CHECK(q.rank() == 4 && k.rank() == 4 && v.rank() == 4 && k.shape() == v.shape() &&
                 q.dim(0) == k.dim(0) && q.dim(h_axis) == k.dim(h_axis) && q.dim(3) == k.dim(3),
             shape, "fused attention needs q, k, v of one layout with Dv == D, got q ", to_string(q.shape()),
             ", k ", to_string(k.shape()), ", v ", to_string(v.shape()));
  kernels::FlashParams p;
  p.B = q.dim(0);
  p.H = q.dim(h_axis);
  p.Tq = q.dim(t_axis);
  p.Tk = k.dim(t_axis);
  p.D = q.dim(3);
  p.scale = scale;
  p.causal = mask.causal;
  p.window = mask.window;
  p.grid = mask.grid;
  check_attention_mask(mask, p.B, p.H, p.Tq, p.Tk);
  p.q = p.o = strides_of(layout, p.H, p.Tq, p.D);
  p.k = p.v = strides_of(layout, p.H, p.Tk, p.D);
  // Shared so the backward closure reads the same lengths after the caller's spec is gone.
  auto lengths = std::make_shared<const std::vector<int32_t>>(mask.key_lengths);
  p.key_lengths = lengths->empty() ? nullptr : lengths->data();

  Tensor out = Tensor::empty(q.shape());
  Tensor lse = Tensor::empty({p.B, p.H, p.Tq});
  kernels::flash_attention_fwd(p, q.value().data(), k.value().data(), v.value().data(), out.data(), lse.data());
  return make_result(out, {q, k, v}, [q, k, v, out, lse, p, lengths](const Tensor& dout) {
    Tensor dq = Tensor::empty(q.shape()), dk = Tensor::empty(k.shape()), dv = Tensor::empty(v.shape());
    kernels::flash_attention_bwd(p, q.value().data(), k.value().data(), v.value().data(), out.data(),
                                 dout.data(), lse.data(), dq.data(), dk.data(), dv.data());
    accumulate_grad(q, std::move(dq));
    accumulate_grad(k, std::move(dk));
    accumulate_grad(v, std::move(dv));
  });
}

}  // namespace attn
