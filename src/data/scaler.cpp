#include "data/scaler.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace attn::data {

Scaler Scaler::fit(const std::string& kind, const double* values, int64_t n) {
  ATTN_CHECK(n >= 1, data, "a scaler needs at least one value to fit");
  Scaler s;
  s.kind = kind;
  if (kind == "standard") {
    double mean = 0, var = 0;
    for (int64_t i = 0; i < n; ++i) mean += values[i];
    mean /= static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i) var += (values[i] - mean) * (values[i] - mean);
    s.shift = mean;
    s.scale = std::sqrt(var / static_cast<double>(n));
  } else if (kind == "minmax") {
    const auto [lo, hi] = std::minmax_element(values, values + n);
    s.shift = *lo;
    s.scale = *hi - *lo;
  } else {
    ATTN_FAIL(config, "unknown scaling '", kind, "' (expected standard or minmax)");
  }
  if (s.scale == 0) s.scale = 1;  // a constant span: shift only
  return s;
}

}  // namespace attn::data
