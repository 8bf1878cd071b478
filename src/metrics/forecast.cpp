#include "metrics/forecast.h"

#include <cmath>

#include "base/error.h"

namespace attn::metrics {

ForecastScore forecast_score(const std::vector<double>& predicted, const std::vector<double>& actual,
                             double naive_mae) {
  ATTN_CHECK(!actual.empty() && predicted.size() == actual.size(), data, "forecast scores need as many predictions (",
             predicted.size(), ") as true values (", actual.size(), "), at least one");
  ForecastScore s;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double error = predicted[i] - actual[i], size = std::abs(actual[i]) + std::abs(predicted[i]);
    s.mse += error * error;
    s.mae += std::abs(error);
    if (size > 0) s.smape += 2.0 * std::abs(error) / size;
  }
  const double n = static_cast<double>(actual.size());
  s.mse /= n;
  s.mae /= n;
  s.smape *= 100.0 / n;
  s.rmse = std::sqrt(s.mse);
  s.mase = naive_mae > 0 ? s.mae / naive_mae : std::nan("");  // the record writes NaN as null
  return s;
}

double naive_mae(const std::vector<double>& in_sample, int64_t season) {
  const int64_t n = static_cast<int64_t>(in_sample.size()), m = season > 0 ? season : 1;
  ATTN_CHECK(n > m, data, "MASE's naive scale needs more than ", m, " in-sample values, got ", n);
  double total = 0;
  for (int64_t t = m; t < n; ++t) total += std::abs(in_sample[t] - in_sample[t - m]);
  return total / static_cast<double>(n - m);
}

}  // namespace attn::metrics
