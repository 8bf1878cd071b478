#include "kernels/sparsemax.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace attn::kernels {

namespace {
// Michelot (1986): τ = (Σ_{z_i > τ'} z_i - 1) / |{z_i > τ'}| for the previous τ'
// never decreases and the support only shrinks, so the first τ whose support
// keeps its size is the projection's threshold. Starting from every finite entry
// the loop usually ends within a handful of passes over the row.
double simplex_threshold(int64_t n, const float* x) {
  double sum = 0.0;
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i)
    if (x[i] > -INFINITY) {
      sum += x[i];
      ++count;
    }
  if (count == 0) return INFINITY;
  double tau = (sum - 1.0) / static_cast<double>(count);
  for (;;) {
    double s = 0.0;
    int64_t c = 0;
    for (int64_t i = 0; i < n; ++i)
      if (x[i] > tau) {
        s += x[i];
        ++c;
      }
    // c >= count only when the support is stable (or rounding would grow it back).
    if (c >= count || c == 0) break;
    count = c;
    tau = (s - 1.0) / static_cast<double>(c);
  }
  return tau;
}
}  // namespace

void sparsemax_fwd(int64_t rows, int64_t n, const float* x, float* y) {
#pragma omp parallel for schedule(static) if (rows * n > 32768)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    const double tau = simplex_threshold(n, xr);
    for (int64_t i = 0; i < n; ++i) yr[i] = xr[i] > tau ? static_cast<float>(xr[i] - tau) : 0.0f;
  }
}

void sparsemax_bwd(int64_t rows, int64_t n, const float* y, const float* dy, float* dx) {
#pragma omp parallel for schedule(static) if (rows * n > 32768)
  for (int64_t r = 0; r < rows; ++r) {
    const float* yr = y + r * n;
    const float* gr = dy + r * n;
    float* dr = dx + r * n;
    double sum = 0.0;
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i)
      if (yr[i] > 0.0f) {
        sum += gr[i];
        ++count;
      }
    const float mean = count > 0 ? static_cast<float>(sum / static_cast<double>(count)) : 0.0f;
    for (int64_t i = 0; i < n; ++i) dr[i] = yr[i] > 0.0f ? gr[i] - mean : 0.0f;
  }
}

void sparsemax_reference(int64_t rows, int64_t n, const float* x, float* y) {
  std::vector<double> z;
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    z.clear();
    for (int64_t i = 0; i < n; ++i)
      if (xr[i] > -INFINITY) z.push_back(xr[i]);
    std::sort(z.begin(), z.end(), std::greater<double>());
    double cumsum = 0.0, support_sum = 0.0;
    int64_t k = 0;
    for (size_t j = 0; j < z.size(); ++j) {
      cumsum += z[j];
      if (1.0 + static_cast<double>(j + 1) * z[j] > cumsum) {
        k = static_cast<int64_t>(j + 1);
        support_sum = cumsum;
      }
    }
    const double tau = k > 0 ? (support_sum - 1.0) / static_cast<double>(k) : INFINITY;
    for (int64_t i = 0; i < n; ++i) yr[i] = xr[i] > tau ? static_cast<float>(xr[i] - tau) : 0.0f;
  }
}

}  // namespace attn::kernels
