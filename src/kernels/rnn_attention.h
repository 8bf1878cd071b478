// The attention step of an RNN decoder with Bahdanau's additive score and a
// softmax, one query per batch row, forward and backward:
//   t_j = tanh(q + k_j),  s_j = v · t_j,  p = softmax(s over j < length),
//   context = Σ_j p_j values_j
// The projections (q = W_q h, k = W_k memory) are matrix products done by the
// caller (ops/rnn_attention_decoder.h). The forward keeps t for the backward,
// so nothing is recomputed. Rows are independent and each writes only its own
// outputs, so results do not depend on the thread count. Each function runs the
// AVX-512 build when the CPU has it, else its *_reference twin (C library math).
#pragma once

#include <cstdint>

namespace attn::kernels {

struct RnnAttentionShape {
  int64_t batch = 0;        // B
  int64_t keys = 0;         // Tk
  int64_t width = 0;        // A
  int64_t value_width = 0;  // Dk
  int64_t ctx_stride = 0;   // floats from one row of context (or its grad) to the next, >= Dk
};

// lengths [B] (nullptr = all Tk; keys at j >= lengths[b] get p = 0; a length of 0 gives a
// zero context); q [B, A], keys [B, Tk, A], values [B, Tk, Dk], v [A].
// Writes t [B, Tk, A] (rows beyond the length untouched), p [B, Tk] and context rows.
void additive_attention_fwd(const RnnAttentionShape& s, const int32_t* lengths, const float* q, const float* keys,
                            const float* values, const float* v, float* t, float* p, float* context);
// From t and p of the forward and the context grad: writes dq [B, A]; adds into
// dkeys [B, Tk, A] and dv_rows [B, A] (per-row parts of dv). The values' grad is
// linear in p and dcontext, so a loop takes it once for all steps (below).
void additive_attention_bwd(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                            const float* v, const float* t, const float* p, const float* dcontext, float* dq,
                            float* dkeys, float* dv_rows);

// Where a loop keeps each step's p and context grads: step i's p [B, Tk] starts at p + i·p_step,
// its context grad rows (ctx_stride apart) at dcontext + i·dcontext_step.
struct AttentionSteps {
  int64_t count = 0;
  int64_t p_step = 0;
  int64_t dcontext_step = 0;
};
// dvalues [B, Tk, Dk] += Σ_i p_i[b, j] · dcontext_i[b] over the steps: the values' grad of a
// whole loop, each row of dvalues read and written once instead of once per step.
void additive_attention_value_grads(const RnnAttentionShape& s, const int32_t* lengths, const AttentionSteps& steps,
                                    const float* p, const float* dcontext, float* dvalues);

void additive_attention_fwd_reference(const RnnAttentionShape& s, const int32_t* lengths, const float* q,
                                      const float* keys, const float* values, const float* v, float* t, float* p,
                                      float* context);
void additive_attention_bwd_reference(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                                      const float* v, const float* t, const float* p, const float* dcontext,
                                      float* dq, float* dkeys, float* dv_rows);
void additive_attention_value_grads_reference(const RnnAttentionShape& s, const int32_t* lengths,
                                              const AttentionSteps& steps, const float* p, const float* dcontext,
                                              float* dvalues);

}  // namespace attn::kernels
