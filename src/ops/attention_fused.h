// The fused attention op: kernels/flash_attention's forward and backward behind
// the tape. Softmax over dot scores times `scale`, with padding / causal / window
// and grid-window masks only (an explicit mask is rejected). attention() picks this path on its
// own (attention.h); call it directly only to test the kernel through autodiff.
#pragma once

#include "ops/attention.h"

namespace attn {

// q, k, v, out as in AttentionLayout with Dv == D.
Var fused_attention(const Var& q, const Var& k, const Var& v, float scale, const AttentionMask& mask,
                    AttentionLayout layout);

}  // namespace attn
