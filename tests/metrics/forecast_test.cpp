#include <catch2/catch.hpp>
#include <cmath>

#include "base/error.h"
#include "metrics/forecast.h"

using namespace attn;
using namespace attn::metrics;

TEST_CASE("forecast scores by hand: mse, rmse, mae, smape, mase") {
  // errors 1, -2, 0, 4 on actual 2, 4, 0, 4.
  const ForecastScore s = forecast_score({3, 2, 0, 8}, {2, 4, 0, 4}, 2.0);
  CHECK(s.mse == Approx((1 + 4 + 0 + 16) / 4.0));
  CHECK(s.rmse == Approx(std::sqrt(21 / 4.0)));
  CHECK(s.mae == Approx(7 / 4.0));
  // 2|e|/(|A|+|F|): 2/5, 4/6, 0 (0/0), 8/12.
  CHECK(s.smape == Approx(100.0 / 4 * (2.0 / 5 + 4.0 / 6 + 8.0 / 12)));
  CHECK(s.mase == Approx(7 / 4.0 / 2.0));
  CHECK_THROWS_AS(forecast_score({1}, {1, 2}, 1.0), Error);
}

TEST_CASE("MASE's naive scale: mean absolute (seasonal) difference in sample") {
  CHECK(naive_mae({1, 3, 2, 6}, 0) == Approx((2 + 1 + 4) / 3.0));
  CHECK(naive_mae({1, 3, 2, 6}, 2) == Approx((1 + 3) / 2.0));
  CHECK(naive_mae({5, 5, 5}, 1) == 0.0);
  CHECK(std::isnan(forecast_score({1}, {2}, 0.0).mase));  // a constant in-sample span: MASE undefined
  CHECK_THROWS_AS(naive_mae({1, 2}, 2), Error);
}
