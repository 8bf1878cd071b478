// Scores of point forecasts against the true values, on the original scale:
//   mse, rmse, mae;
//   smape  100 / n · Σ 2 |F − A| / (|A| + |F|), in percent (0..200), a term with A = F = 0
//          counting 0 (sunspot counts reach 0);
//   mase   mae / the mean absolute error of the in-sample (seasonal) naive forecast
//          y_t = y_{t−m} (Hyndman & Koehler 2006), m = the season, 1 without one.
#pragma once

#include <cstdint>
#include <vector>

namespace attn::metrics {

struct ForecastScore {
  double mse = 0, rmse = 0, mae = 0, smape = 0, mase = 0;
};

// predicted and actual of the same non-zero length (a data error otherwise). mase is NaN
// when naive_mae is 0 (an in-sample span the naive forecast predicts exactly).
ForecastScore forecast_score(const std::vector<double>& predicted, const std::vector<double>& actual,
                             double naive_mae);

// mean |y_t − y_{t−m}| over t in [m, n): MASE's scale, computed on the fitting span;
// a data error when the span is shorter than m + 1 values.
double naive_mae(const std::vector<double>& in_sample, int64_t season);

}  // namespace attn::metrics
