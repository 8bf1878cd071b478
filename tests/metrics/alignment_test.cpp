#include <catch2/catch.hpp>

#include <vector>

#include "metrics/alignment.h"

using attn::metrics::AlignmentLink;
using attn::metrics::AlignmentScore;

TEST_CASE("AER and alignment mass against a hand-computed case") {
  // 4 target rows x 4 source keys; row 3 has no true link and is not scored.
  const std::vector<float> w{0.7f, 0.1f, 0.1f, 0.1f,     // argmax 0
                             0.1f, 0.2f, 0.6f, 0.1f,     // argmax 2
                             0.25f, 0.25f, 0.25f, 0.25f, // argmax 0 (the first of equals)
                             0.0f, 0.0f, 0.0f, 1.0f};
  // S = {(0,0), (1,1)}; P = S + {(1,2), (2,3)}.
  const std::vector<AlignmentLink> links{{0, 0, true}, {1, 1, true}, {1, 2, false}, {2, 3, false}};
  AlignmentScore s;
  s.add_map(w.data(), 4, 4, links);
  // A = {(0,0), (1,2), (2,0)}: |A| = 3, |S| = 2, |A∩S| = 1, |A∩P| = 2 -> AER = 1 - 3/5.
  CHECK(s.predicted == 3);
  CHECK(s.sure == 2);
  CHECK(s.hit_sure == 1);
  CHECK(s.hit_possible == 2);
  CHECK(s.aer() == Approx(0.4));
  // Mass on P per row: 0.7, 0.2 + 0.6, 0.25.
  CHECK(s.mean_mass() == Approx(1.75 / 3));
}

TEST_CASE("AER: a perfect diagonal scores 0, a reversed one 1, and counts add over examples") {
  const std::vector<float> eye{1, 0, 0, 0, 1, 0, 0, 0, 1};
  const std::vector<AlignmentLink> diagonal{{0, 0}, {1, 1}, {2, 2}}, anti{{0, 2}, {1, 1}, {2, 0}};
  AlignmentScore good, bad, both;
  good.add_map(eye.data(), 3, 3, diagonal);
  bad.add_map(eye.data(), 3, 3, anti);
  CHECK(good.aer() == 0.0);
  CHECK(good.mean_mass() == 1.0);
  CHECK(bad.aer() == Approx(1.0 - 2.0 / 6));  // only the middle row agrees
  both.add_map(eye.data(), 3, 3, diagonal);
  both.add_map(eye.data(), 3, 3, anti);
  CHECK(both.aer() == Approx(1.0 - 8.0 / 12));
  CHECK(AlignmentScore{}.aer() == 1.0);
}
