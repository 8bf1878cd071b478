#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "metrics/attention_statistics.h"

using attn::metrics::HeadStatistics;

TEST_CASE("head statistics of hand-made maps") {
  SECTION("one-hot identity: entropy 0, distance 0, all mass on the diagonal") {
    const std::vector<float> eye{1, 0, 0, 0, 1, 0, 0, 0, 1};
    HeadStatistics s;
    s.add_map(eye.data(), 3, 3);
    const HeadStatistics m = s.mean();
    CHECK(m.rows == 3);
    CHECK(m.entropy == 0.0);
    CHECK(m.distance == 0.0);
    CHECK(m.diagonal == Approx(1.0));
    CHECK(m.first == Approx(1.0 / 3));
    CHECK(m.last == Approx(1.0 / 3));
  }
  SECTION("uniform over n keys: entropy ln n") {
    const int64_t n = 5;
    std::vector<float> uniform(2 * n, 1.0f / n);
    HeadStatistics s;
    s.add_map(uniform.data(), 2, n);
    const HeadStatistics m = s.mean();
    CHECK(m.entropy == Approx(std::log(5.0)));
    // Row 0: mean |0 - k| = (0+1+2+3+4)/5 = 2; row 1: (1+0+1+2+3)/5 = 1.4.
    CHECK(m.distance == Approx(1.7));
    CHECK(m.diagonal == Approx(0.2));
    CHECK(m.first == Approx(0.2));
    CHECK(m.last == Approx(0.2));
  }
  SECTION("everything on the first key, zeros contribute 0, a masked row is skipped") {
    // Rows: [1 0 0], [1 0 0], [0 0 0] (fully masked), [0.5 0 0.5].
    const std::vector<float> w{1, 0, 0, 1, 0, 0, 0, 0, 0, 0.5f, 0, 0.5f};
    HeadStatistics s;
    s.add_map(w.data(), 4, 3);
    const HeadStatistics m = s.mean();
    CHECK(m.rows == 3);
    CHECK(m.entropy == Approx(std::log(2.0) / 3));
    // Distances: row 0: 0; row 1: 1; row 3: 0.5·3 + 0.5·1 = 2 -> 3 / 3.
    CHECK(m.distance == Approx(1.0));
    CHECK(m.diagonal == Approx(1.0 / 3));  // row 0 only; row 3 has no key 3
    CHECK(m.first == Approx(2.5 / 3));
    CHECK(m.last == Approx(0.5 / 3));
  }
  SECTION("sums add over examples before the mean") {
    const std::vector<float> a{1, 0}, b{0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
    HeadStatistics x, y;
    x.add_map(a.data(), 1, 2);
    y.add_map(b.data(), 3, 2);
    x.add(y);
    CHECK(x.mean().rows == 4);
    CHECK(x.mean().entropy == Approx(3 * std::log(2.0) / 4));
  }
}
