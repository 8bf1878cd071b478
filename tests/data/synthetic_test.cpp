#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "base/error.h"
#include "data/synthetic.h"

using namespace attn;
using namespace attn::data;

namespace {
SyntheticSpec spec_of(SyntheticTask task) {
  SyntheticSpec spec;
  spec.task = task;
  spec.num_symbols = 6;
  spec.max_len = 8;
  spec.long_max_len = 14;
  spec.seed = 7;
  return spec;
}
}  // namespace

TEST_CASE("synthetic examples are a pure function of (seed, split, range, index)") {
  for (auto task : {SyntheticTask::copy, SyntheticTask::reverse, SyntheticTask::sort, SyntheticTask::add}) {
    SyntheticSpec spec = spec_of(task);
    // Drawing index 37 alone gives the same example as drawing it within a set.
    CHECK(synthetic_example(spec, Split::train, 37) == synthetic_set(spec, Split::train, 40)[37]);
    CHECK(synthetic_example(spec, Split::train, 1037) == synthetic_set(spec, Split::train, 5, LengthRange::trained, 1035)[2]);
    CHECK(synthetic_set(spec, Split::valid, 50) == synthetic_set(spec, Split::valid, 50));
    CHECK(synthetic_set(spec, Split::valid, 50) != synthetic_set(spec, Split::test, 50));
    SyntheticSpec other = spec;
    other.seed = 8;
    CHECK(synthetic_set(spec, Split::train, 50) != synthetic_set(other, Split::train, 50));
  }
}

TEST_CASE("copy, reverse and sort targets are right and lengths stay in range") {
  for (auto task : {SyntheticTask::copy, SyntheticTask::reverse, SyntheticTask::sort}) {
    SyntheticSpec spec = spec_of(task);
    for (auto range : {LengthRange::trained, LengthRange::longer}) {
      std::set<size_t> lengths;
      for (const TextPair& p : synthetic_set(spec, Split::train, 500, range)) {
        std::string expected = p.src;
        if (task == SyntheticTask::reverse) std::reverse(expected.begin(), expected.end());
        if (task == SyntheticTask::sort) std::sort(expected.begin(), expected.end());
        REQUIRE(p.tgt == expected);
        REQUIRE(p.src.find_first_not_of("abcdef") == std::string::npos);
        lengths.insert(p.src.size());
      }
      size_t lo = range == LengthRange::trained ? 1 : 9, hi = range == LengthRange::trained ? 8 : 14;
      CHECK(*lengths.begin() == lo);  // 500 draws reach both ends of the range
      CHECK(*lengths.rbegin() == hi);
    }
  }
}

TEST_CASE("add examples hold correct decimal sums") {
  CHECK(add_decimal("123", "45") == "168");
  CHECK(add_decimal("999", "1") == "1000");
  CHECK(add_decimal("0", "0") == "0");
  CHECK(add_decimal("98765432109876543210", "12345678901234567890") == "111111111011111111100");
  SyntheticSpec spec = spec_of(SyntheticTask::add);
  for (auto range : {LengthRange::trained, LengthRange::longer}) {
    for (const TextPair& p : synthetic_set(spec, Split::valid, 300, range)) {
      size_t plus = p.src.find('+');
      REQUIRE(plus != std::string::npos);
      std::string a = p.src.substr(0, plus), b = p.src.substr(plus + 1);
      size_t lo = range == LengthRange::trained ? 1 : 9, hi = range == LengthRange::trained ? 8 : 14;
      REQUIRE((a.size() >= lo && a.size() <= hi && b.size() >= lo && b.size() <= hi));
      REQUIRE((a.size() == 1 || a[0] != '0'));
      REQUIRE(std::stoll(p.tgt) == std::stoll(a) + std::stoll(b));  // operands have at most 14 digits
      REQUIRE(p.tgt == add_decimal(a, b));
    }
  }
  CHECK(synthetic_symbols(spec).size() == 11);
  CHECK(synthetic_symbols(spec_of(SyntheticTask::copy)).size() == 6);
}

TEST_CASE("invalid synthetic specs are config errors") {
  SyntheticSpec spec = spec_of(SyntheticTask::copy);
  spec.long_max_len = spec.max_len;
  try {
    synthetic_example(spec, Split::train, 0);
    FAIL("accepted long_max_len == max_len");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
  }
  CHECK(synthetic_task_from_name("reverse") == SyntheticTask::reverse);
  CHECK_THROWS_AS(synthetic_task_from_name("multiply"), Error);
}
