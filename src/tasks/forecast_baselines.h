// The baselines a forecast is compared with, computed on the same split: each predicts
// values[t .. t + horizon) from values[0 .. t) alone (one-step protocol: true past values).
//   naive           the last value, repeated
//   seasonal naive  the value one season back: y[t + h − m · ceil((h + 1) / m)]
//   AR(p)           y_t = c + Σ_i a_i y_{t−i}, fitted by least squares (Eigen, column-pivoting
//                   QR) on a fitting span; several steps ahead it feeds its own forecasts back
// What this file does not do: scoring (metrics/forecast.h) or scaling (the baselines work on
// the original values).
#pragma once

#include <cstdint>
#include <vector>

namespace attn::tasks {

std::vector<double> naive_forecast(const std::vector<double>& values, int64_t t, int64_t horizon);
std::vector<double> seasonal_naive_forecast(const std::vector<double>& values, int64_t t, int64_t horizon,
                                            int64_t season);

struct ArModel {
  std::vector<double> coefficients;  // c, a_1 .. a_p
  int64_t order() const { return static_cast<int64_t>(coefficients.size()) - 1; }
};

// Least squares on the targets y_t, t in [p, end): a data error when the span has fewer
// than 2p + 1 values (fewer equations than unknowns).
ArModel fit_ar(const std::vector<double>& values, int64_t end, int64_t order);
std::vector<double> ar_forecast(const ArModel& model, const std::vector<double>& values, int64_t t, int64_t horizon);

}  // namespace attn::tasks
