// The additive attention step (kernels/rnn_attention.h) written once over a Math
// policy supplying tanh, exp, dot and tanh_dot (a key's score), like rnn_cells_body.h: rnn_cells.cpp
// instantiates it with the C library, rnn_cells_avx512.cpp with polynomials
// compiled for AVX-512. Include only from those two files, with a file-local Math.
#pragma once

#include <cstdint>

#include "kernels/rnn_attention.h"

namespace attn::kernels {

void additive_attention_fwd_avx512(const RnnAttentionShape& s, const int32_t* lengths, const float* q,
                                   const float* keys, const float* values, const float* v, float* t, float* p,
                                   float* context);
void additive_attention_bwd_avx512(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                                   const float* v, const float* t, const float* p, const float* dcontext, float* dq,
                                   float* dkeys, float* dv_rows);
void additive_attention_value_grads_avx512(const RnnAttentionShape& s, const int32_t* lengths,
                                           const AttentionSteps& steps, const float* p, const float* dcontext,
                                           float* dvalues);

}  // namespace attn::kernels

namespace attn::kernels::rnn_attention_body {

constexpr int64_t kParallelMin = 65536;  // B·Tk·A below which one thread is faster

// static: each including file keeps its own copy, built for its own ISA.
static inline int64_t row_length(const RnnAttentionShape& s, const int32_t* lengths, int64_t b) {
  if (lengths == nullptr) return s.keys;
  return lengths[b] < s.keys ? (lengths[b] > 0 ? lengths[b] : 0) : s.keys;
}

// A Math policy's dot may call this, or use its own vector code.
template <typename Math>
float dot_loop(const float* x, const float* y, int64_t n) {
  float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
  for (int64_t i = 0; i < n; ++i) acc += x[i] * y[i];
  return acc;
}

// t[a] = tanh(q[a] + k[a]) for a < n, returning Σ v[a] t[a]: the score of one key. A Math
// policy's tanh_dot may call this, or do the same with its own vector code.
template <typename Math>
float tanh_dot_loop(const float* q, const float* k, const float* v, float* t, int64_t n) {
  float score = 0.0f;
#pragma omp simd reduction(+ : score)
  for (int64_t a = 0; a < n; ++a) {
    const float x = Math::tanh(q[a] + k[a]);
    t[a] = x;
    score += v[a] * x;
  }
  return score;
}

// One row: keys [Tk, A], values [Tk, Dk], t [Tk, A], p [Tk], context [Dk].
template <typename Math>
void fwd_row(int64_t tk, int64_t len, int64_t width, int64_t dk, const float* q, const float* keys,
             const float* values, const float* v, float* t, float* p, float* context) {
  float max = 0.0f;
  for (int64_t j = 0; j < len; ++j) {
    const float* k = keys + j * width;
    float* tj = t + j * width;
    const float score = Math::tanh_dot(q, k, v, tj, width);
    p[j] = score;
    max = j == 0 || score > max ? score : max;
  }
  float sum = 0.0f;
  for (int64_t j = 0; j < len; ++j) {
    p[j] = Math::exp(p[j] - max);
    sum += p[j];
  }
  const float inv = len > 0 ? 1.0f / sum : 0.0f;
  for (int64_t j = 0; j < tk; ++j) p[j] = j < len ? p[j] * inv : 0.0f;
  for (int64_t d = 0; d < dk; ++d) context[d] = 0.0f;
  for (int64_t j = 0; j < len; ++j) {
    const float pj = p[j];
    const float* vj = values + j * dk;
#pragma omp simd
    for (int64_t d = 0; d < dk; ++d) context[d] += pj * vj[d];
  }
}

template <typename Math>
void fwd(const RnnAttentionShape& s, const int32_t* lengths, const float* q, const float* keys, const float* values,
         const float* v, float* t, float* p, float* context) {
  const int64_t tk = s.keys, a = s.width, dk = s.value_width;
#pragma omp parallel for schedule(static) if (s.batch * tk * a > kParallelMin)
  for (int64_t b = 0; b < s.batch; ++b)
    fwd_row<Math>(tk, row_length(s, lengths, b), a, dk, q + b * a, keys + b * tk * a, values + b * tk * dk, v,
                  t + b * tk * a, p + b * tk, context + b * s.ctx_stride);
}

template <typename Math>
void bwd_row(int64_t len, int64_t width, int64_t dk, const float* values, const float* v, const float* t,
             const float* p, const float* dcontext, float* dq, float* dkeys, float* dv) {
  // dp_j = dcontext · values_j; the softmax backward ds_j = p_j (dp_j - Σ p dp), and through
  // the score: u = ds_j v ∘ (1 - t_j²). dp_j is recomputed in the second pass (Dk multiplies, no scratch).
  float weighted = 0.0f;
  for (int64_t a = 0; a < width; ++a) dq[a] = 0.0f;
  for (int64_t j = 0; j < len; ++j) weighted += p[j] * Math::dot(dcontext, values + j * dk, dk);
  for (int64_t j = 0; j < len; ++j) {
    const float ds = p[j] * (Math::dot(dcontext, values + j * dk, dk) - weighted);
    const float* tj = t + j * width;
    float* dkj = dkeys + j * width;
#pragma omp simd
    for (int64_t a = 0; a < width; ++a) {
      const float u = ds * v[a] * (1.0f - tj[a] * tj[a]);
      dq[a] += u;
      dkj[a] += u;
      dv[a] += ds * tj[a];
    }
  }
}

template <typename Math>
void bwd(const RnnAttentionShape& s, const int32_t* lengths, const float* values, const float* v, const float* t,
         const float* p, const float* dcontext, float* dq, float* dkeys, float* dv_rows) {
  const int64_t tk = s.keys, a = s.width, dk = s.value_width;
#pragma omp parallel for schedule(static) if (s.batch * tk * a > kParallelMin)
  for (int64_t b = 0; b < s.batch; ++b)
    bwd_row<Math>(row_length(s, lengths, b), a, dk, values + b * tk * dk, v, t + b * tk * a, p + b * tk,
                  dcontext + b * s.ctx_stride, dq + b * a, dkeys + b * tk * a, dv_rows + b * a);
}

template <typename Math>
void value_grads(const RnnAttentionShape& s, const int32_t* lengths, const AttentionSteps& st, const float* p,
                 const float* dcontext, float* dvalues) {
  const int64_t tk = s.keys, dk = s.value_width;
#pragma omp parallel for schedule(static) if (st.count * s.batch * tk * dk > kParallelMin)
  for (int64_t b = 0; b < s.batch; ++b) {
    const int64_t len = row_length(s, lengths, b);
    for (int64_t j = 0; j < len; ++j) {
      float* dvj = dvalues + (b * tk + j) * dk;
      for (int64_t i = 0; i < st.count; ++i) {
        const float pij = p[i * st.p_step + b * tk + j];
        const float* dc = dcontext + i * st.dcontext_step + b * s.ctx_stride;
#pragma omp simd
        for (int64_t d = 0; d < dk; ++d) dvj[d] += pij * dc[d];
      }
    }
  }
}

}  // namespace attn::kernels::rnn_attention_body
