#include <catch2/catch.hpp>

#include "base/error.h"
#include "tasks/forecast_baselines.h"

using namespace attn;
using namespace attn::tasks;

TEST_CASE("naive and seasonal naive forecasts see only values before t") {
  const std::vector<double> y{1, 2, 3, 4, 5, 6, 7};
  CHECK(naive_forecast(y, 4, 3) == std::vector<double>{4, 4, 4});
  // season 3 at t = 4: y[1], y[2], y[3], then y[1] again (one season further back).
  CHECK(seasonal_naive_forecast(y, 4, 4, 3) == std::vector<double>{2, 3, 4, 2});
  CHECK(seasonal_naive_forecast(y, 4, 1, 1) == std::vector<double>{4});
}

TEST_CASE("AR(1) least squares matches the closed form: slope cov(x, y) / var(x), intercept ybar - b xbar") {
  const std::vector<double> y{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  const int64_t end = 9;  // fit on y[0, 9): pairs (y[t-1], y[t]) for t = 1..8
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = end - 1;
  for (int64_t t = 1; t < end; ++t) sx += y[t - 1], sy += y[t], sxx += y[t - 1] * y[t - 1], sxy += y[t - 1] * y[t];
  const double slope = (sxy - sx * sy / n) / (sxx - sx * sx / n), intercept = sy / n - slope * sx / n;
  const ArModel m = fit_ar(y, end, 1);
  REQUIRE(m.order() == 1);
  CHECK(m.coefficients[0] == Approx(intercept).margin(1e-12));
  CHECK(m.coefficients[1] == Approx(slope).margin(1e-12));
  CHECK(ar_forecast(m, y, 9, 1)[0] == Approx(intercept + slope * y[8]));
}

TEST_CASE("AR(2) recovers the coefficients of a noise-free AR(2) series and rolls them forward") {
  // y_t = 1 + 1.6 y_{t-1} - 0.9 y_{t-2}: damped oscillation, so the regressors are not collinear.
  std::vector<double> y{0.0, 2.0};
  for (int t = 2; t < 40; ++t) y.push_back(1 + 1.6 * y[t - 1] - 0.9 * y[t - 2]);
  const ArModel m = fit_ar(y, 30, 2);
  CHECK(m.coefficients[0] == Approx(1.0).margin(1e-9));
  CHECK(m.coefficients[1] == Approx(1.6).margin(1e-9));
  CHECK(m.coefficients[2] == Approx(-0.9).margin(1e-9));
  const std::vector<double> ahead = ar_forecast(m, y, 30, 5);  // fed back on itself: the true continuation
  for (int h = 0; h < 5; ++h) CHECK(ahead[h] == Approx(y[30 + h]).margin(1e-7));
  CHECK_THROWS_AS(fit_ar(y, 4, 2), Error);
}
