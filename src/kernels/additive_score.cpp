#include "kernels/additive_score.h"

#include <cmath>

namespace attn::kernels {

void additive_score_fwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        float* scores) {
  const int64_t A = s.width;
#pragma omp parallel for collapse(2) schedule(static) if (s.groups * s.tq * s.tk * A > 65536)
  for (int64_t g = 0; g < s.groups; ++g)
    for (int64_t i = 0; i < s.tq; ++i) {
      const float* q = qp + (g * s.tq + i) * A;
      float* out = scores + (g * s.tq + i) * s.tk;
      for (int64_t j = 0; j < s.tk; ++j) {
        const float* k = kp + (g * s.tk + j) * A;
        float acc = 0.0f;
        for (int64_t a = 0; a < A; ++a) acc += v[a] * std::tanh(q[a] + k[a]);
        out[j] = acc;
      }
    }
}

void additive_score_bwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        const float* dscores, float* dqp, float* dkp, float* dv_groups) {
  const int64_t A = s.width;
  // One group per task: dkp and dv_groups rows are written by their group only.
#pragma omp parallel for schedule(static) if (s.groups * s.tq * s.tk * A > 65536)
  for (int64_t g = 0; g < s.groups; ++g) {
    float* dk_g = dkp + g * s.tk * A;
    float* dv = dv_groups + g * A;
    for (int64_t x = 0; x < s.tk * A; ++x) dk_g[x] = 0.0f;
    for (int64_t a = 0; a < A; ++a) dv[a] = 0.0f;
    for (int64_t i = 0; i < s.tq; ++i) {
      const float* q = qp + (g * s.tq + i) * A;
      const float* ds = dscores + (g * s.tq + i) * s.tk;
      float* dq = dqp + (g * s.tq + i) * A;
      for (int64_t a = 0; a < A; ++a) dq[a] = 0.0f;
      for (int64_t j = 0; j < s.tk; ++j) {
        const float d = ds[j];
        if (d == 0.0f) continue;
        const float* k = kp + (g * s.tk + j) * A;
        float* dk = dk_g + j * A;
        for (int64_t a = 0; a < A; ++a) {
          const float t = std::tanh(q[a] + k[a]);
          const float u = d * v[a] * (1.0f - t * t);
          dq[a] += u;
          dk[a] += u;
          dv[a] += d * t;
        }
      }
    }
  }
}

}  // namespace attn::kernels
