// The point-wise halves of the LSTM and GRU cells (PyTorch gate order), forward
// and backward. The matrix products around them are kernels::matmul calls made
// by the ops; these passes turn the products into gates and states in one sweep
// and back into pre-activation gate gradients in one sweep, in place, so a cell
// step needs no scratch memory. Threads split hidden units, each walking the
// batch in order, so bias-gradient sums do not depend on the thread count.
// Each function runs the AVX-512 build (polynomial sigmoid/tanh, within a few
// float ulps) when the CPU has it, else its *_reference twin (C library math).
#pragma once

#include <cstdint>

namespace attn::kernels {

struct RnnCellShape {
  int64_t batch = 0;   // B
  int64_t hidden = 0;  // Hd
};

// LSTM. gates [B, 4Hd] holds x·W_ihᵀ + h·W_hhᵀ (blocks i, f, g, o) on entry and
// σ(i), σ(f), tanh(g), σ(o) on exit. bias [4Hd]; c, c_out, h_out [B, Hd]:
//   c_out = σ(f)∘c + σ(i)∘tanh(g),  h_out = σ(o)∘tanh(c_out)
void lstm_pointwise_fwd(const RnnCellShape& s, float* gates, const float* bias, const float* c, float* h_out,
                        float* c_out);
// From the activations left by the forward, c, c_out and the output grads dh_out, dc_out:
// overwrites gates with the pre-activation gate grads; dc += dC∘σ(f) and dbias += Σ_batch of the
// gate grads (either may be nullptr), where dC = dc_out + dh_out∘σ(o)∘(1 - tanh²(c_out)).
void lstm_pointwise_bwd(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                        const float* dh_out, const float* dc_out, float* dc, float* dbias);

// GRU. gi [B, 3Hd] = x·W_ihᵀ and gh [B, 3Hd] = h·W_hhᵀ (blocks r, z, n) on entry; b_ih, b_hh [3Hd]:
//   r = σ(gi_r + b_ir + gh_r + b_hr),  z = σ(gi_z + b_iz + gh_z + b_hz),
//   n = tanh(gi_n + b_in + r∘(gh_n + b_hn)),  h_out = (1 - z)∘n + z∘h
// On exit gi holds r, z, n and the n block of gh holds gh_n + b_hn.
void gru_pointwise_fwd(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                       const float* h, float* h_out);
// Overwrites gi and gh with the grads of their pre-bias products; dh += dh_out∘z,
// db_ih += Σ_batch d(gi), db_hh += Σ_batch d(gh) (any may be nullptr).
void gru_pointwise_bwd(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                       float* dh, float* db_ih, float* db_hh);

// Whole-sequence layouts. A sequence op keeps its per-step buffers step-major [T, B, C] so
// each step's rows are contiguous, where step i reads position t = i (t = T-1-i when reverse).
// rnn_to_steps: dst[i, b] = src[b, t] from batch-major src [B, T, C].
void rnn_to_steps(const float* src, int64_t batch, int64_t time, int64_t width, bool reverse, float* dst);
// rnn_from_steps: dst[b, t] (+)= src[i, b], the inverse (adding when accumulate).
void rnn_from_steps(const float* src, int64_t batch, int64_t time, int64_t width, bool reverse, bool accumulate,
                    float* dst);

// The reference twins: same passes with std::exp / std::tanh, compiled for the baseline ISA.
void lstm_pointwise_fwd_reference(const RnnCellShape& s, float* gates, const float* bias, const float* c,
                                  float* h_out, float* c_out);
void lstm_pointwise_bwd_reference(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                                  const float* dh_out, const float* dc_out, float* dc, float* dbias);
void gru_pointwise_fwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* b_ih,
                                 const float* b_hh, const float* h, float* h_out);
void gru_pointwise_bwd_reference(const RnnCellShape& s, float* gi, float* gh, const float* h,
                                 const float* dh_out, float* dh, float* db_ih, float* db_hh);

}  // namespace attn::kernels
