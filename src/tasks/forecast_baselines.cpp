#include "tasks/forecast_baselines.h"

#include <Eigen/Dense>

#include "base/error.h"

namespace attn::tasks {

std::vector<double> naive_forecast(const std::vector<double>& values, int64_t t, int64_t horizon) {
  ATTN_CHECK(t >= 1 && t <= static_cast<int64_t>(values.size()), internal, "naive forecast at ", t);
  return std::vector<double>(horizon, values[t - 1]);
}

std::vector<double> seasonal_naive_forecast(const std::vector<double>& values, int64_t t, int64_t horizon,
                                            int64_t season) {
  ATTN_CHECK(season >= 1 && t >= season && t <= static_cast<int64_t>(values.size()), internal,
             "seasonal naive forecast at ", t, " with season ", season);
  std::vector<double> out;
  for (int64_t h = 0; h < horizon; ++h) out.push_back(values[t + h - season * ((h + season) / season)]);
  return out;
}

ArModel fit_ar(const std::vector<double>& values, int64_t end, int64_t order) {
  ATTN_CHECK(order >= 1 && end <= static_cast<int64_t>(values.size()) && end - order >= order + 1, data, "AR(", order,
             ") needs at least ", 2 * order + 1, " values to fit, the span has ", end);
  const int64_t rows = end - order;
  Eigen::MatrixXd x(rows, order + 1);
  Eigen::VectorXd y(rows);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t t = order + r;
    x(r, 0) = 1.0;
    for (int64_t i = 1; i <= order; ++i) x(r, i) = values[t - i];
    y(r) = values[t];
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  return {std::vector<double>(beta.data(), beta.data() + beta.size())};
}

std::vector<double> ar_forecast(const ArModel& model, const std::vector<double>& values, int64_t t, int64_t horizon) {
  const int64_t p = model.order();
  ATTN_CHECK(t >= p && t <= static_cast<int64_t>(values.size()), internal, "AR(", p, ") forecast at ", t);
  std::vector<double> history(values.begin() + (t - p), values.begin() + t);  // the last p true values
  std::vector<double> out;
  for (int64_t h = 0; h < horizon; ++h) {
    double y = model.coefficients[0];
    for (int64_t i = 1; i <= p; ++i) y += model.coefficients[i] * history[history.size() - i];
    out.push_back(y);
    history.push_back(y);  // several steps ahead: the forecast stands in for the unseen value
  }
  return out;
}

}  // namespace attn::tasks
