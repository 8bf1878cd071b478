// Classification scores on hand-counted examples, and the edge cases of empty classes.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "metrics/classification.h"

using attn::metrics::classification_score;

TEST_CASE("classification scores: accuracy, per-class P/R/F1, macro-F1 and the confusion matrix", "[metrics]") {
  // reference: 0 0 0 1 1 2 ; predicted: 0 0 1 1 2 2
  const auto s = classification_score({0, 0, 1, 1, 2, 2}, {0, 0, 0, 1, 1, 2}, 3);
  CHECK(s.accuracy == Approx(4.0 / 6));
  CHECK(s.confusion == std::vector<std::vector<int64_t>>{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}});
  CHECK(s.classes[0].precision == Approx(1.0));
  CHECK(s.classes[0].recall == Approx(2.0 / 3));
  CHECK(s.classes[0].f1 == Approx(0.8));
  CHECK(s.classes[1].precision == Approx(0.5));
  CHECK(s.classes[1].recall == Approx(0.5));
  CHECK(s.classes[2].precision == Approx(0.5));
  CHECK(s.classes[2].recall == Approx(1.0));
  CHECK(s.classes[2].f1 == Approx(2.0 / 3));
  CHECK(s.classes[0].support == 3);
  CHECK(s.macro_f1 == Approx((0.8 + 0.5 + 2.0 / 3) / 3));
}

TEST_CASE("classification scores: a class never predicted or never present scores 0, not NaN", "[metrics]") {
  const auto s = classification_score({0, 0, 0}, {0, 0, 1}, 3);
  CHECK(s.classes[1].precision == 0.0);
  CHECK(s.classes[1].recall == 0.0);
  CHECK(s.classes[1].f1 == 0.0);
  CHECK(s.classes[2].support == 0);
  CHECK(s.classes[2].f1 == 0.0);
  CHECK(s.macro_f1 == Approx(0.8 / 3));
  const auto empty = classification_score({}, {}, 2);
  CHECK(empty.accuracy == 0.0);
  CHECK(empty.macro_f1 == 0.0);
}

TEST_CASE("classification scores: bad ids and sizes are data errors", "[metrics]") {
  CHECK_THROWS_AS(classification_score({0, 1}, {0}, 2), attn::Error);
  CHECK_THROWS_AS(classification_score({2}, {0}, 2), attn::Error);
  CHECK_THROWS_AS(classification_score({0}, {-1}, 2), attn::Error);
}
