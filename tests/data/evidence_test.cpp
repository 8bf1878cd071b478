// The synthetic find task: deterministic, balanced, and exactly one marker in each "yes".
#include <catch2/catch.hpp>

#include <algorithm>

#include "base/error.h"
#include "data/evidence.h"

using namespace attn::data;

TEST_CASE("find: the same spec gives the same examples, and splits differ", "[data]") {
  const FindSpec spec{6, 12, 7};
  CHECK(find_set(spec, Split::train, 300) == find_set(spec, Split::train, 300));
  CHECK(find_set(spec, Split::train, 50) != find_set(spec, Split::valid, 50));
  CHECK(find_set({6, 12, 8}, Split::train, 50) != find_set(spec, Split::train, 50));
}

TEST_CASE("find: labels follow the marker, lengths and alphabet stay in range", "[data]") {
  const FindSpec spec{5, 9, 3};
  const auto set = find_set(spec, Split::train, 2000);
  int64_t yes = 0;
  for (const TextPair& p : set) {
    const auto markers = std::count(p.src.begin(), p.src.end(), kFindMarker);
    CHECK(p.tgt == (markers == 1 ? "yes" : "no"));
    CHECK(markers <= 1);
    CHECK(p.src.size() >= 2);
    CHECK(p.src.size() <= 9);
    for (char c : p.src) CHECK((c == kFindMarker || (c >= 'a' && c < 'a' + 5)));
    yes += p.tgt == "yes";
  }
  CHECK(yes > 900);
  CHECK(yes < 1100);
  CHECK_THROWS_AS(validate(FindSpec{1, 9, 3}), attn::Error);
  CHECK_THROWS_AS(validate(FindSpec{5, 1, 3}), attn::Error);
}
