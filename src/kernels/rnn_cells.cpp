#include "kernels/rnn_cells.h"

#include <cmath>

#include "kernels/cpu_features.h"
#include "kernels/rnn_attention_body.h"
#include "kernels/rnn_cells_body.h"

namespace attn::kernels {

namespace {

struct LibmMath {
  static float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
  static float tanh(float x) { return std::tanh(x); }
  static float exp(float x) { return std::exp(x); }
  static float tanh_dot(const float* q, const float* k, const float* v, float* t, int64_t n) {
    return rnn_attention_body::tanh_dot_loop<LibmMath>(q, k, v, t, n);
  }
  static float dot(const float* x, const float* y, int64_t n) { return rnn_attention_body::dot_loop<LibmMath>(x, y, n); }
};

bool use_avx512() { return detected_isa() == Isa::avx512; }

}  // namespace

void lstm_pointwise_fwd_reference(const RnnCellShape& s, float* gates, const float* bias, const float* c,
                                  float* h_out, float* c_out) {
  rnn_body::lstm_fwd<LibmMath>(s, gates, bias, c, h_out, c_out);
}

void lstm_pointwise_bwd_reference(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                                  const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  rnn_body::lstm_bwd<LibmMath>(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
}

void gru_pointwise_fwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* b_ih,
                                 const float* b_hh, const float* h, float* h_out) {
  rnn_body::gru_fwd<LibmMath>(s, gi, gh, b_ih, b_hh, h, h_out);
}

void gru_pointwise_bwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* h,
                                 const float* dh_out, float* dh, float* db_ih, float* db_hh) {
  rnn_body::gru_bwd<LibmMath>(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
}

// Re-layouts of a whole sequence (~1 MiB at B = 64, T = 20) are worth both threads; each element
// is copied or added by one thread, so results do not depend on the count.
constexpr int64_t kParallelCopy = 1 << 17;

void rnn_to_steps(const float* src, int64_t batch, int64_t time, int64_t width, bool reverse, float* dst) {
#pragma omp parallel for schedule(static) if (batch * time * width > kParallelCopy)
  for (int64_t i = 0; i < time; ++i) {
    const int64_t t = reverse ? time - 1 - i : i;
    for (int64_t b = 0; b < batch; ++b) {
      const float* from = src + (b * time + t) * width;
      float* to = dst + (i * batch + b) * width;
      for (int64_t c = 0; c < width; ++c) to[c] = from[c];
    }
  }
}

void rnn_from_steps(const float* src, int64_t batch, int64_t time, int64_t width, bool reverse, bool accumulate,
                    float* dst) {
#pragma omp parallel for schedule(static) if (batch * time * width > kParallelCopy)
  for (int64_t i = 0; i < time; ++i) {
    const int64_t t = reverse ? time - 1 - i : i;
    for (int64_t b = 0; b < batch; ++b) {
      const float* from = src + (i * batch + b) * width;
      float* to = dst + (b * time + t) * width;
      if (accumulate)
        for (int64_t c = 0; c < width; ++c) to[c] += from[c];
      else
        for (int64_t c = 0; c < width; ++c) to[c] = from[c];
    }
  }
}


void lstm_pointwise_fwd(const RnnCellShape& s, float* gates, const float* bias, const float* c, float* h_out,
                        float* c_out) {
  if (use_avx512()) return lstm_pointwise_fwd_avx512(s, gates, bias, c, h_out, c_out);
  lstm_pointwise_fwd_reference(s, gates, bias, c, h_out, c_out);
}

void lstm_pointwise_bwd(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                        const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  if (use_avx512()) return lstm_pointwise_bwd_avx512(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
  lstm_pointwise_bwd_reference(s, gates, c, c_out, dh_out, dc_out, dc, dbias);
}

void gru_pointwise_fwd(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                       const float* h, float* h_out) {
  if (use_avx512()) return gru_pointwise_fwd_avx512(s, gi, gh, b_ih, b_hh, h, h_out);
  gru_pointwise_fwd_reference(s, gi, gh, b_ih, b_hh, h, h_out);
}

void gru_pointwise_bwd(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                       float* dh, float* db_ih, float* db_hh) {
  if (use_avx512()) return gru_pointwise_bwd_avx512(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
  gru_pointwise_bwd_reference(s, gi, gh, h, dh_out, dh, db_ih, db_hh);
}

}  // namespace attn::kernels

namespace attn::kernels {

void additive_attention_fwd_reference(const RnnAttentionShape& s, const int32_t* lengths, const float* q,
                                      const float* keys, const float* values, const float* v, float* t, float* p,
                                      float* context) {
  rnn_attention_body::fwd<LibmMath>(s, lengths, q, keys, values, v, t, p, context);
}

void additive_attention_bwd_reference(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                                      const float* v, const float* t, const float* p, const float* dcontext,
                                      float* dq, float* dkeys, float* dv_rows) {
  rnn_attention_body::bwd<LibmMath>(s, lengths, values, v, t, p, dcontext, dq, dkeys, dv_rows);
}

void additive_attention_value_grads_reference(const RnnAttentionShape& s, const int32_t* lengths,
                                              const AttentionSteps& steps, const float* p, const float* dcontext,
                                              float* dvalues) {
  rnn_attention_body::value_grads<LibmMath>(s, lengths, steps, p, dcontext, dvalues);
}

void additive_attention_fwd(const RnnAttentionShape& s, const int32_t* lengths, const float* q, const float* keys,
                            const float* values, const float* v, float* t, float* p, float* context) {
  if (use_avx512()) return additive_attention_fwd_avx512(s, lengths, q, keys, values, v, t, p, context);
  additive_attention_fwd_reference(s, lengths, q, keys, values, v, t, p, context);
}

void additive_attention_bwd(const RnnAttentionShape& s, const int32_t* lengths, const float* values,
                            const float* v, const float* t, const float* p, const float* dcontext, float* dq,
                            float* dkeys, float* dv_rows) {
  if (use_avx512()) return additive_attention_bwd_avx512(s, lengths, values, v, t, p, dcontext, dq, dkeys, dv_rows);
  additive_attention_bwd_reference(s, lengths, values, v, t, p, dcontext, dq, dkeys, dv_rows);
}

void additive_attention_value_grads(const RnnAttentionShape& s, const int32_t* lengths, const AttentionSteps& steps,
                                    const float* p, const float* dcontext, float* dvalues) {
  if (use_avx512()) return additive_attention_value_grads_avx512(s, lengths, steps, p, dcontext, dvalues);
  additive_attention_value_grads_reference(s, lengths, steps, p, dcontext, dvalues);
}

}  // namespace attn::kernels
