// The LSTM/GRU point-wise passes written once, over a Math policy that supplies
// sigmoid and tanh: rnn_cells.cpp instantiates them with the C library (the
// reference twin), rnn_cells_avx512.cpp with vectorisable polynomials compiled
// for AVX-512. Internal to kernels/: include only from those two files, and
// only with a Math type that is local to the including file, so no
// instantiation is shared between code built for different ISAs.
#pragma once

#include <cstdint>

#include "kernels/rnn_cells.h"

namespace attn::kernels {

// The AVX-512 instantiations, defined in rnn_cells_avx512.cpp; call them only when
// detected_isa() says the CPU has AVX-512 (the functions of rnn_cells.h do that).
void lstm_pointwise_fwd_avx512(const RnnCellShape& s, float* gates, const float* bias, const float* c,
                               float* h_out, float* c_out);
void lstm_pointwise_bwd_avx512(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                               const float* dh_out, const float* dc_out, float* dc, float* dbias);
void gru_pointwise_fwd_avx512(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                              const float* h, float* h_out);
void gru_pointwise_bwd_avx512(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                              float* dh, float* db_ih, float* db_hh);

}  // namespace attn::kernels

namespace attn::kernels::rnn_body {

constexpr int64_t kParallelMin = 65536;  // B·Hd below which one thread is faster (a 64 × 256 cell takes ~15 µs)
constexpr int64_t kHiddenBlock = 64;

// Runs body(j0, j1) over blocks of hidden units, in parallel when the cell is large. The
// per-block functions take every pointer as a parameter, so the compiler sees plain locals
// (not lambda captures that a store might alias) and vectorises their inner loops.
template <typename Body>
void for_hidden_blocks(const RnnCellShape& s, const Body& body) {
  const int64_t blocks = (s.hidden + kHiddenBlock - 1) / kHiddenBlock;
#pragma omp parallel for schedule(static) if (s.batch * s.hidden > kParallelMin && blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t j1 = (b + 1) * kHiddenBlock;
    body(b * kHiddenBlock, j1 < s.hidden ? j1 : s.hidden);
  }
}

template <typename Math>
void lstm_fwd_block(int64_t batch, int64_t hd, int64_t j0, int64_t j1, float* gates, const float* bias,
                    const float* c, float* h_out, float* c_out) {
  for (int64_t b = 0; b < batch; ++b) {
    float* gi = gates + b * 4 * hd;
    float* gf = gi + hd;
    float* gg = gi + 2 * hd;
    float* go = gi + 3 * hd;
    const float* cb = c + b * hd;
    float* cn = c_out + b * hd;
    float* hn = h_out + b * hd;
#pragma omp simd
    for (int64_t j = j0; j < j1; ++j) {
      const float i = Math::sigmoid(gi[j] + bias[j]);
      const float f = Math::sigmoid(gf[j] + bias[hd + j]);
      const float g = Math::tanh(gg[j] + bias[2 * hd + j]);
      const float o = Math::sigmoid(go[j] + bias[3 * hd + j]);
      const float cj = f * cb[j] + i * g;
      gi[j] = i;
      gf[j] = f;
      gg[j] = g;
      go[j] = o;
      cn[j] = cj;
      hn[j] = o * Math::tanh(cj);
    }
  }
}

template <typename Math>
void lstm_fwd(const RnnCellShape& s, float* gates, const float* bias, const float* c, float* h_out,
              float* c_out) {
  for_hidden_blocks(s, [=](int64_t j0, int64_t j1) {
    lstm_fwd_block<Math>(s.batch, s.hidden, j0, j1, gates, bias, c, h_out, c_out);
  });
}

template <typename Math>
void lstm_bwd_block(int64_t batch, int64_t hd, int64_t j0, int64_t j1, float* gates, const float* c,
                    const float* c_out, const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  for (int64_t b = 0; b < batch; ++b) {
    float* gi = gates + b * 4 * hd;
    float* gf = gi + hd;
    float* gg = gi + 2 * hd;
    float* go = gi + 3 * hd;
    const int64_t row = b * hd;
#pragma omp simd
    for (int64_t j = j0; j < j1; ++j) {
      const float i = gi[j], f = gf[j], g = gg[j], o = go[j];
      const float tc = Math::tanh(c_out[row + j]);
      const float dh = dh_out[row + j];
      const float dcell = dc_out[row + j] + dh * o * (1.0f - tc * tc);
      gi[j] = dcell * g * i * (1.0f - i);
      gf[j] = dcell * c[row + j] * f * (1.0f - f);
      gg[j] = dcell * i * (1.0f - g * g);
      go[j] = dh * tc * o * (1.0f - o);
      if (dc != nullptr) dc[row + j] += dcell * f;
    }
    if (dbias != nullptr)
      for (int k = 0; k < 4; ++k)
#pragma omp simd
        for (int64_t j = j0; j < j1; ++j) dbias[k * hd + j] += gi[k * hd + j];
  }
}

template <typename Math>
void lstm_bwd(const RnnCellShape& s, float* gates, const float* c, const float* c_out, const float* dh_out,
              const float* dc_out, float* dc, float* dbias) {
  for_hidden_blocks(s, [=](int64_t j0, int64_t j1) {
    lstm_bwd_block<Math>(s.batch, s.hidden, j0, j1, gates, c, c_out, dh_out, dc_out, dc, dbias);
  });
}

template <typename Math>
void gru_fwd_block(int64_t batch, int64_t hd, int64_t j0, int64_t j1, float* gi, float* gh, const float* b_ih,
                   const float* b_hh, const float* h, float* h_out) {
  for (int64_t b = 0; b < batch; ++b) {
    float* ir = gi + b * 3 * hd;
    float* iz = ir + hd;
    float* in = ir + 2 * hd;
    const float* hr = gh + b * 3 * hd;
    const float* hz = hr + hd;
    float* hn = gh + b * 3 * hd + 2 * hd;
    const int64_t row = b * hd;
#pragma omp simd
    for (int64_t j = j0; j < j1; ++j) {
      const float r = Math::sigmoid(ir[j] + b_ih[j] + hr[j] + b_hh[j]);
      const float z = Math::sigmoid(iz[j] + b_ih[hd + j] + hz[j] + b_hh[hd + j]);
      const float hnj = hn[j] + b_hh[2 * hd + j];
      const float n = Math::tanh(in[j] + b_ih[2 * hd + j] + r * hnj);
      ir[j] = r;
      iz[j] = z;
      in[j] = n;
      hn[j] = hnj;
      h_out[row + j] = (1.0f - z) * n + z * h[row + j];
    }
  }
}

template <typename Math>
void gru_fwd(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh, const float* h,
             float* h_out) {
  for_hidden_blocks(s, [=](int64_t j0, int64_t j1) {
    gru_fwd_block<Math>(s.batch, s.hidden, j0, j1, gi, gh, b_ih, b_hh, h, h_out);
  });
}

template <typename Math>
void gru_bwd_block(int64_t batch, int64_t hd, int64_t j0, int64_t j1, float* gi, float* gh, const float* h,
                   const float* dh_out, float* dh, float* db_ih, float* db_hh) {
  for (int64_t b = 0; b < batch; ++b) {
    float* ir = gi + b * 3 * hd;
    float* iz = ir + hd;
    float* in = ir + 2 * hd;
    float* hr = gh + b * 3 * hd;
    float* hz = hr + hd;
    float* hn = hr + 2 * hd;
    const int64_t row = b * hd;
#pragma omp simd
    for (int64_t j = j0; j < j1; ++j) {
      const float r = ir[j], z = iz[j], n = in[j], hnj = hn[j];
      const float d = dh_out[row + j];
      const float dn = d * (1.0f - z) * (1.0f - n * n);
      const float dr = dn * hnj * r * (1.0f - r);
      const float dz = d * (h[row + j] - n) * z * (1.0f - z);
      ir[j] = dr;
      iz[j] = dz;
      in[j] = dn;
      hr[j] = dr;
      hz[j] = dz;
      hn[j] = dn * r;
      if (dh != nullptr) dh[row + j] += d * z;
    }
    if (db_ih != nullptr)
      for (int k = 0; k < 3; ++k)
#pragma omp simd
        for (int64_t j = j0; j < j1; ++j) db_ih[k * hd + j] += ir[k * hd + j];
    if (db_hh != nullptr)
      for (int k = 0; k < 3; ++k)
#pragma omp simd
        for (int64_t j = j0; j < j1; ++j) db_hh[k * hd + j] += hr[k * hd + j];
  }
}

template <typename Math>
void gru_bwd(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out, float* dh,
             float* db_ih, float* db_hh) {
  for_hidden_blocks(s, [=](int64_t j0, int64_t j1) {
    gru_bwd_block<Math>(s.batch, s.hidden, j0, j1, gi, gh, h, dh_out, dh, db_ih, db_hh);
  });
}

}  // namespace attn::kernels::rnn_body
