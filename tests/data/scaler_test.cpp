#include <catch2/catch.hpp>

#include "base/error.h"
#include "data/scaler.h"

using namespace attn;
using namespace attn::data;

TEST_CASE("scalers fit on the span they are given, and undo what they apply") {
  const double y[] = {2, 4, 4, 4, 5, 5, 7, 9, 1000};  // the last value lies outside the fitting span
  const Scaler standard = Scaler::fit("standard", y, 8);
  CHECK(standard.shift == Approx(5.0));
  CHECK(standard.scale == Approx(2.0));  // population std of the first 8
  CHECK(standard.apply(9) == Approx(2.0f));
  const Scaler minmax = Scaler::fit("minmax", y, 8);
  CHECK(minmax.shift == 2.0);
  CHECK(minmax.scale == 7.0);
  CHECK(minmax.apply(9) == 1.0f);
  for (const Scaler& s : {standard, minmax}) CHECK(s.undo(s.apply(1000)) == Approx(1000).epsilon(1e-6));
  const double flat[] = {3, 3};
  CHECK(Scaler::fit("minmax", flat, 2).scale == 1.0);
  CHECK(Scaler::fit("standard", flat, 2).apply(3) == 0.0f);
  CHECK_THROWS_AS(Scaler::fit("robust", y, 8), Error);
  CHECK(standard.to_json().dump() == R"({"kind":"standard","scale":2.0,"shift":5.0})");
}
