#include "kernels/flash_attention.h"

#include <cassert>

#include "kernels/flash_attention_masks.h"

namespace attn::kernels {

void flash_attention_fwd_isa(Isa isa, const FlashParams& p, const float* q, const float* k, const float* v,
                             float* o, float* lse) {
  assert(p.D > 0 && p.Tq >= 0 && p.Tk >= 0);
  assert(!p.grid.active() || (p.Tq == p.Tk && p.Tk == p.grid.length()));
  switch (isa) {
    case Isa::avx512: return flash::fwd_avx512(p, q, k, v, o, lse);
    case Isa::avx2: return flash::fwd_avx2(p, q, k, v, o, lse);
    case Isa::scalar: return flash::fwd_scalar(p, q, k, v, o, lse);
  }
}

void flash_attention_bwd_isa(Isa isa, const FlashParams& p, const float* q, const float* k, const float* v,
                             const float* o, const float* dout, const float* lse, float* dq, float* dk,
                             float* dv) {
  assert(p.D > 0 && p.Tq >= 0 && p.Tk >= 0);
  assert(!p.grid.active() || (p.Tq == p.Tk && p.Tk == p.grid.length()));
  switch (isa) {
    case Isa::avx512: return flash::bwd_avx512(p, q, k, v, o, dout, lse, dq, dk, dv);
    case Isa::avx2: return flash::bwd_avx2(p, q, k, v, o, dout, lse, dq, dk, dv);
    case Isa::scalar: return flash::bwd_scalar(p, q, k, v, o, dout, lse, dq, dk, dv);
  }
}

void flash_attention_fwd(const FlashParams& p, const float* q, const float* k, const float* v, float* o,
                         float* lse) {
  flash_attention_fwd_isa(detected_isa(), p, q, k, v, o, lse);
}

void flash_attention_bwd(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                         const float* dout, const float* lse, float* dq, float* dk, float* dv) {
  flash_attention_bwd_isa(detected_isa(), p, q, k, v, o, dout, lse, dq, dk, dv);
}

}  // namespace attn::kernels
