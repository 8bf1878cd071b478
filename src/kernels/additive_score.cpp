#include "kernels/additive_score.h"

#include <omp.h>

#include "kernels/pointwise.h"

namespace attn::kernels {

namespace {
// Below this many tanh evaluations one thread is faster than forking a team.
constexpr int64_t kParallelMin = 65536;

// t[j, a] = tanh(q[a] + kp[j, a]) for the Tk keys of one group; sums and t are [Tk, A].
void tanh_block(int64_t tk, int64_t width, const float* q, const float* kp, float* sums, float* t) {
  for (int64_t j = 0; j < tk; ++j) {
    const float* k = kp + j * width;
    float* z = sums + j * width;
    for (int64_t a = 0; a < width; ++a) z[a] = q[a] + k[a];
  }
  pointwise_fwd(Pointwise::tanh, sums, t, tk * width, 0.0f);
}

float* thread_scratch(const AdditiveScoreShape& s, float* scratch) {
  return scratch + static_cast<int64_t>(omp_get_thread_num()) * 2 * s.tk * s.width;
}
}  // namespace

int64_t additive_score_scratch(const AdditiveScoreShape& s) {
  return static_cast<int64_t>(omp_get_max_threads()) * 2 * s.tk * s.width;
}

void additive_score_fwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        float* scores, float* scratch) {
  const int64_t A = s.width;
#pragma omp parallel for collapse(2) schedule(static) if (s.groups * s.tq * s.tk * A > kParallelMin)
  for (int64_t g = 0; g < s.groups; ++g)
    for (int64_t i = 0; i < s.tq; ++i) {
      float* sums = thread_scratch(s, scratch);
      float* t = sums + s.tk * A;
      tanh_block(s.tk, A, qp + (g * s.tq + i) * A, kp + g * s.tk * A, sums, t);
      float* out = scores + (g * s.tq + i) * s.tk;
      for (int64_t j = 0; j < s.tk; ++j) {
        const float* tj = t + j * A;
        float acc = 0.0f;
        for (int64_t a = 0; a < A; ++a) acc += v[a] * tj[a];
        out[j] = acc;
      }
    }
}

void additive_score_bwd(const AdditiveScoreShape& s, const float* qp, const float* kp, const float* v,
                        const float* dscores, float* dqp, float* dkp, float* dv_groups, float* scratch) {
  const int64_t A = s.width;
  // One group per task: dkp and dv_groups rows are written by their group only.
#pragma omp parallel for schedule(static) if (s.groups > 1 && s.groups * s.tq * s.tk * A > kParallelMin)
  for (int64_t g = 0; g < s.groups; ++g) {
    float* sums = thread_scratch(s, scratch);
    float* t = sums + s.tk * A;
    float* dk_g = dkp + g * s.tk * A;
    float* dv = dv_groups + g * A;
    for (int64_t x = 0; x < s.tk * A; ++x) dk_g[x] = 0.0f;
    for (int64_t a = 0; a < A; ++a) dv[a] = 0.0f;
    for (int64_t i = 0; i < s.tq; ++i) {
      const float* ds = dscores + (g * s.tq + i) * s.tk;
      float* dq = dqp + (g * s.tq + i) * A;
      for (int64_t a = 0; a < A; ++a) dq[a] = 0.0f;
      bool any = false;
      for (int64_t j = 0; j < s.tk && !any; ++j) any = ds[j] != 0.0f;
      if (!any) continue;  // a fully masked query row
      tanh_block(s.tk, A, qp + (g * s.tq + i) * A, kp + g * s.tk * A, sums, t);
      for (int64_t j = 0; j < s.tk; ++j) {
        const float d = ds[j];
        if (d == 0.0f) continue;  // masked keys get no gradient from the normalizer
        const float* tj = t + j * A;
        float* dk = dk_g + j * A;
        for (int64_t a = 0; a < A; ++a) {
          const float u = d * v[a] * (1.0f - tj[a] * tj[a]);
          dq[a] += u;
          dk[a] += u;
          dv[a] += d * tj[a];
        }
      }
    }
  }
}

}  // namespace attn::kernels
