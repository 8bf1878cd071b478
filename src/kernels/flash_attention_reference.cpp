// The oracle of the fused attention kernels: one query row at a time, the mask
// predicate written out directly (not the interval geometry the kernels use),
// double accumulation.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/flash_attention.h"

namespace attn::kernels {

namespace {
const float* at(const float* base, const AttnLayout& l, int64_t b, int64_t h, int64_t t) {
  return base + b * l.stride_b + h * l.stride_h + t * l.stride_t;
}
float* at(float* base, const AttnLayout& l, int64_t b, int64_t h, int64_t t) {
  return base + b * l.stride_b + h * l.stride_h + t * l.stride_t;
}

bool visible(const FlashParams& p, int64_t b, int64_t i, int64_t j) {
  int64_t aligned = i + p.Tk - p.Tq;
  if (p.key_lengths && j >= p.key_lengths[b]) return false;
  if (p.causal && j > aligned) return false;
  if (p.window >= 0 && (j > aligned ? j - aligned : aligned - j) > p.window) return false;
  return grid_visible(p.grid, i, j);
}

double dot(const float* a, const float* b, int64_t n) {
  double s = 0.0;
  for (int64_t d = 0; d < n; ++d) s += static_cast<double>(a[d]) * b[d];
  return s;
}
}  // namespace

void flash_attention_fwd_reference(const FlashParams& p, const float* q, const float* k, const float* v, float* o,
                                   float* lse) {
  std::vector<double> s(p.Tk), acc(p.D);
  for (int64_t b = 0; b < p.B; ++b)
    for (int64_t h = 0; h < p.H; ++h)
      for (int64_t i = 0; i < p.Tq; ++i) {
        const float* qi = at(q, p.q, b, h, i);
        double m = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < p.Tk; ++j) {
          s[j] = visible(p, b, i, j) ? p.scale * dot(qi, at(k, p.k, b, h, j), p.D)
                                     : -std::numeric_limits<double>::infinity();
          m = std::max(m, s[j]);
        }
        float* oi = at(o, p.o, b, h, i);
        float& row_lse = lse[(b * p.H + h) * p.Tq + i];
        if (m == -std::numeric_limits<double>::infinity()) {
          for (int64_t d = 0; d < p.D; ++d) oi[d] = 0.0f;
          row_lse = -std::numeric_limits<float>::infinity();
          continue;
        }
        double sum = 0.0;
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t j = 0; j < p.Tk; ++j) {
          if (s[j] == -std::numeric_limits<double>::infinity()) continue;
          double e = std::exp(s[j] - m);
          sum += e;
          const float* vj = at(v, p.v, b, h, j);
          for (int64_t d = 0; d < p.D; ++d) acc[d] += e * vj[d];
        }
        for (int64_t d = 0; d < p.D; ++d) oi[d] = static_cast<float>(acc[d] / sum);
        row_lse = static_cast<float>(m + std::log(sum));
      }
}

void flash_attention_bwd_reference(const FlashParams& p, const float* q, const float* k, const float* v,
                                   const float* o, const float* dout, const float* lse, float* dq, float* dk,
                                   float* dv) {
  std::vector<double> prob(p.Tk), dprob(p.Tk), dq_row(p.D), dk_head(p.Tk * p.D), dv_head(p.Tk * p.D);
  for (int64_t b = 0; b < p.B; ++b)
    for (int64_t h = 0; h < p.H; ++h) {
      std::fill(dk_head.begin(), dk_head.end(), 0.0);
      std::fill(dv_head.begin(), dv_head.end(), 0.0);
      for (int64_t i = 0; i < p.Tq; ++i) {
        const float* qi = at(q, p.q, b, h, i);
        const float* doi = at(dout, p.o, b, h, i);
        float row_lse = lse[(b * p.H + h) * p.Tq + i];
        std::fill(dq_row.begin(), dq_row.end(), 0.0);
        if (row_lse != -std::numeric_limits<float>::infinity()) {
          // P = exp(s - lse); dP = dO · v; dS = P (dP - Σ_j P dP).
          double delta = 0.0;
          for (int64_t j = 0; j < p.Tk; ++j) {
            prob[j] = 0.0, dprob[j] = 0.0;
            if (!visible(p, b, i, j)) continue;
            const float* kj = at(k, p.k, b, h, j);
            prob[j] = std::exp(p.scale * dot(qi, kj, p.D) - row_lse);
            dprob[j] = dot(doi, at(v, p.v, b, h, j), p.D);
            delta += prob[j] * dprob[j];
          }
          for (int64_t j = 0; j < p.Tk; ++j) {
            if (prob[j] == 0.0) continue;
            double ds = prob[j] * (dprob[j] - delta) * p.scale;
            const float* kj = at(k, p.k, b, h, j);
            for (int64_t d = 0; d < p.D; ++d) {
              dq_row[d] += ds * kj[d];
              dk_head[j * p.D + d] += ds * qi[d];
              dv_head[j * p.D + d] += prob[j] * doi[d];
            }
          }
        }
        float* dqi = at(dq, p.q, b, h, i);
        for (int64_t d = 0; d < p.D; ++d) dqi[d] = static_cast<float>(dq_row[d]);
      }
      for (int64_t j = 0; j < p.Tk; ++j) {
        float* dkj = at(dk, p.k, b, h, j);
        float* dvj = at(dv, p.v, b, h, j);
        for (int64_t d = 0; d < p.D; ++d) {
          dkj[d] = static_cast<float>(dk_head[j * p.D + d]);
          dvj[d] = static_cast<float>(dv_head[j * p.D + d]);
        }
      }
    }
}

}  // namespace attn::kernels
