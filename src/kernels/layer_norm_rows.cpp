#include "kernels/layer_norm_rows.h"

#include <algorithm>
#include <cmath>

namespace attn::kernels {

namespace {
constexpr int64_t kParallelMin = 16384;
constexpr int64_t kColumnBlock = 64;  // columns per task of the gamma/beta reduction
}  // namespace

void layer_norm_fwd(const LayerNormShape& s, const float* x, const float* gamma, const float* beta,
                    float* y, float* mean, float* rstd) {
  const int64_t c = s.cols;
#pragma omp parallel for schedule(static) if (s.rows * c > kParallelMin)
  for (int64_t r = 0; r < s.rows; ++r) {
    const float* xr = x + r * c;
    float* yr = y + r * c;
    // Two passes: the variance of values far from zero loses nothing to cancellation.
    float sum = 0.0f;
    for (int64_t j = 0; j < c; ++j) sum += xr[j];
    const float mu = sum / static_cast<float>(c);
    float sq = 0.0f;
    for (int64_t j = 0; j < c; ++j) sq += (xr[j] - mu) * (xr[j] - mu);
    const float rs = 1.0f / std::sqrt(sq / static_cast<float>(c) + s.eps);
    for (int64_t j = 0; j < c; ++j) yr[j] = (xr[j] - mu) * rs * gamma[j] + beta[j];
    mean[r] = mu;
    rstd[r] = rs;
  }
}

void layer_norm_bwd(const LayerNormShape& s, const float* x, const float* gamma, const float* mean,
                    const float* rstd, const float* dy, float* dx, bool accumulate_dx, float* dgamma, float* dbeta) {
  const int64_t c = s.cols;
  const bool parallel = s.rows * c > kParallelMin;
  if (dx != nullptr) {
#pragma omp parallel for schedule(static) if (parallel)
    for (int64_t r = 0; r < s.rows; ++r) {
      const float* xr = x + r * c;
      const float* dyr = dy + r * c;
      const float mu = mean[r], rs = rstd[r];
      float sum_g = 0.0f, sum_gx = 0.0f;
      for (int64_t j = 0; j < c; ++j) {
        const float g = dyr[j] * gamma[j];
        sum_g += g;
        sum_gx += g * (xr[j] - mu) * rs;
      }
      const float mean_g = sum_g / static_cast<float>(c), mean_gx = sum_gx / static_cast<float>(c);
      float* dxr = dx + r * c;
      if (accumulate_dx)
        for (int64_t j = 0; j < c; ++j) dxr[j] += rs * (dyr[j] * gamma[j] - mean_g - (xr[j] - mu) * rs * mean_gx);
      else
        for (int64_t j = 0; j < c; ++j) dxr[j] = rs * (dyr[j] * gamma[j] - mean_g - (xr[j] - mu) * rs * mean_gx);
    }
  }
  if (dgamma == nullptr && dbeta == nullptr) return;
  // Column blocks, rows in order inside each: every column sums the same way for any thread count.
  const int64_t blocks = (c + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static) if (parallel)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t j0 = b * kColumnBlock, j1 = std::min(c, j0 + kColumnBlock);
    for (int64_t r = 0; r < s.rows; ++r) {
      const float* xr = x + r * c;
      const float* dyr = dy + r * c;
      const float mu = mean[r], rs = rstd[r];
      if (dgamma != nullptr)
        for (int64_t j = j0; j < j1; ++j) dgamma[j] += dyr[j] * (xr[j] - mu) * rs;
      if (dbeta != nullptr)
        for (int64_t j = j0; j < j1; ++j) dbeta[j] += dyr[j];
    }
  }
}

}  // namespace attn::kernels
