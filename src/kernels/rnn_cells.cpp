#include "kernels/rnn_cells.h"

#include <algorithm>
#include <cmath>

namespace attn::kernels {

namespace {

constexpr int64_t kParallelMin = 8192;  // B·Hd below which one thread is faster
constexpr int64_t kHiddenBlock = 64;

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Runs body(j0, j1) over blocks of hidden units, in parallel when the cell is large.
template <typename Body>
void for_hidden_blocks(const RnnCellShape& s, const Body& body) {
  const int64_t blocks = (s.hidden + kHiddenBlock - 1) / kHiddenBlock;
#pragma omp parallel for schedule(static) if (s.batch * s.hidden > kParallelMin && blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) body(b * kHiddenBlock, std::min(s.hidden, (b + 1) * kHiddenBlock));
}

}  // namespace

void lstm_pointwise_fwd(const RnnCellShape& s, float* gates, const float* bias, const float* c, float* h_out,
                        float* c_out) {
  const int64_t hd = s.hidden;
  for_hidden_blocks(s, [&](int64_t j0, int64_t j1) {
    for (int64_t b = 0; b < s.batch; ++b) {
      float* gi = gates + b * 4 * hd;
      float* gf = gi + hd;
      float* gg = gi + 2 * hd;
      float* go = gi + 3 * hd;
      const float* cb = c + b * hd;
      float* cn = c_out + b * hd;
      float* hn = h_out + b * hd;
      for (int64_t j = j0; j < j1; ++j) {
        const float i = sigmoid(gi[j] + bias[j]);
        const float f = sigmoid(gf[j] + bias[hd + j]);
        const float g = std::tanh(gg[j] + bias[2 * hd + j]);
        const float o = sigmoid(go[j] + bias[3 * hd + j]);
        const float cj = f * cb[j] + i * g;
        gi[j] = i;
        gf[j] = f;
        gg[j] = g;
        go[j] = o;
        cn[j] = cj;
        hn[j] = o * std::tanh(cj);
      }
    }
  });
}

void lstm_pointwise_bwd(const RnnCellShape& s, float* gates, const float* c, const float* c_out,
                        const float* dh_out, const float* dc_out, float* dc, float* dbias) {
  const int64_t hd = s.hidden;
  for_hidden_blocks(s, [&](int64_t j0, int64_t j1) {
    for (int64_t b = 0; b < s.batch; ++b) {
      float* gi = gates + b * 4 * hd;
      float* gf = gi + hd;
      float* gg = gi + 2 * hd;
      float* go = gi + 3 * hd;
      const int64_t row = b * hd;
      for (int64_t j = j0; j < j1; ++j) {
        const float i = gi[j], f = gf[j], g = gg[j], o = go[j];
        const float tc = std::tanh(c_out[row + j]);
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
          for (int64_t j = j0; j < j1; ++j) dbias[k * hd + j] += gi[k * hd + j];
    }
  });
}

void gru_pointwise_fwd(const RnnCellShape& s, float* gi, float* gh, const float* b_ih, const float* b_hh,
                       const float* h, float* h_out) {
  const int64_t hd = s.hidden;
  for_hidden_blocks(s, [&](int64_t j0, int64_t j1) {
    for (int64_t b = 0; b < s.batch; ++b) {
      float* ir = gi + b * 3 * hd;
      float* iz = ir + hd;
      float* in = ir + 2 * hd;
      float* hr = gh + b * 3 * hd;
      const float* hz = hr + hd;
      float* hn = hr + 2 * hd;
      const int64_t row = b * hd;
      for (int64_t j = j0; j < j1; ++j) {
        const float r = sigmoid(ir[j] + b_ih[j] + hr[j] + b_hh[j]);
        const float z = sigmoid(iz[j] + b_ih[hd + j] + hz[j] + b_hh[hd + j]);
        const float hnj = hn[j] + b_hh[2 * hd + j];
        const float n = std::tanh(in[j] + b_ih[2 * hd + j] + r * hnj);
        ir[j] = r;
        iz[j] = z;
        in[j] = n;
        hn[j] = hnj;
        h_out[row + j] = (1.0f - z) * n + z * h[row + j];
      }
    }
  });
}

void gru_pointwise_bwd(const RnnCellShape& s, float* gi, float* gh, const float* h, const float* dh_out,
                       float* dh, float* db_ih, float* db_hh) {
  const int64_t hd = s.hidden;
  for_hidden_blocks(s, [&](int64_t j0, int64_t j1) {
    for (int64_t b = 0; b < s.batch; ++b) {
      float* ir = gi + b * 3 * hd;
      float* iz = ir + hd;
      float* in = ir + 2 * hd;
      float* hr = gh + b * 3 * hd;
      float* hz = hr + hd;
      float* hn = hr + 2 * hd;
      const int64_t row = b * hd;
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
          for (int64_t j = j0; j < j1; ++j) db_ih[k * hd + j] += ir[k * hd + j];
      if (db_hh != nullptr)
        for (int k = 0; k < 3; ++k)
          for (int64_t j = j0; j < j1; ++j) db_hh[k * hd + j] += hr[k * hd + j];
    }
  });
}

}  // namespace attn::kernels
