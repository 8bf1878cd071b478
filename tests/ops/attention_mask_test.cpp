#include <catch2/catch.hpp>
#include <cstdlib>

#include "base/error.h"
#include "ops/attention_mask.h"
#include "tensor/rng.h"

using namespace attn;

TEST_CASE("attention mask combines padding, causal, window and an explicit mask as documented") {
  Rng rng(17, 0);
  for (int trial = 0; trial < 40; ++trial) {
    const int64_t b = 1 + rng.below(3), h = 1 + rng.below(3), tq = 1 + rng.below(7), tk = 1 + rng.below(7);
    AttentionMask spec;
    if (rng.below(2))
      for (int64_t i = 0; i < b; ++i) spec.key_lengths.push_back(static_cast<int32_t>(rng.below(tk + 1)));
    spec.causal = rng.below(2);
    spec.window = rng.below(2) ? static_cast<int64_t>(rng.below(4)) : -1;
    const bool per_head = rng.below(2);
    if (rng.below(2)) {
      spec.mask = Tensor::empty(per_head ? Shape{b, h, tq, tk} : Shape{tq, tk});
      for (int64_t i = 0; i < spec.mask.numel(); ++i) spec.mask[i] = rng.below(4) ? 1.0f : 0.0f;
    }
    const Tensor m = build_attention_mask(spec, b, h, tq, tk);
    REQUIRE(m.defined() == spec.any());
    if (!m.defined()) continue;
    REQUIRE(m.rank() == 4);
    for (int64_t bi = 0; bi < b; ++bi)
      for (int64_t hi = 0; hi < h; ++hi)
        for (int64_t i = 0; i < tq; ++i)
          for (int64_t j = 0; j < tk; ++j) {
            const int64_t shift = tk - tq;  // queries align with the end of the keys
            bool keep = true;
            if (!spec.key_lengths.empty()) keep = keep && j < spec.key_lengths[bi];
            if (spec.causal) keep = keep && j <= i + shift;
            if (spec.window >= 0) keep = keep && std::abs(j - (i + shift)) <= spec.window;
            if (spec.mask.defined())
              keep = keep && spec.mask[per_head ? ((bi * h + hi) * tq + i) * tk + j : i * tk + j] != 0.0f;
            const int64_t mb = m.dim(0) == 1 ? 0 : bi, mh = m.dim(1) == 1 ? 0 : hi;
            REQUIRE(m[((mb * m.dim(1) + mh) * tq + i) * tk + j] == (keep ? 1.0f : 0.0f));
          }
  }
}

TEST_CASE("attention mask rejects lengths, windows and explicit masks that do not fit") {
  auto kind_of = [](const AttentionMask& spec) {
    try {
      build_attention_mask(spec, 2, 3, 4, 5);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::internal;
  };
  AttentionMask wrong_count;
  wrong_count.key_lengths = {5};
  CHECK(kind_of(wrong_count) == ErrorKind::shape);
  AttentionMask too_long;
  too_long.key_lengths = {5, 6};
  CHECK(kind_of(too_long) == ErrorKind::shape);
  AttentionMask bad_window;
  bad_window.window = -2;
  CHECK(kind_of(bad_window) == ErrorKind::shape);
  AttentionMask bad_explicit;
  bad_explicit.mask = Tensor::full({2, 2, 4, 5}, 1.0f);
  CHECK(kind_of(bad_explicit) == ErrorKind::shape);
  AttentionMask nothing;
  CHECK(!build_attention_mask(nothing, 2, 3, 4, 5).defined());
}

TEST_CASE("fill_masked writes the value where a broadcast mask is zero") {
  Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor mask = Tensor::from({3}, {1, 0, 1});
  Tensor y = fill_masked(x, &mask, -7.0f);
  CHECK(y.to_vector() == std::vector<float>{1, -7, 3, 4, -7, 6});
  CHECK(x[1] == 2.0f);
  CHECK(fill_masked(x, nullptr, 0.0f).shares_storage(x));
}

TEST_CASE("grid window mask: Chebyshev neighbourhoods on the patch grid, global prefix positions") {
  // Brute force over coordinates: position list first (prefix slots, then patches row by row).
  struct Slot {
    bool global;
    int64_t r, c;
  };
  for (int64_t rows : {1, 2, 3, 5})
    for (int64_t cols : {1, 4, 7})
      for (int64_t window : {0, 1, 2, 9})
        for (int64_t prefix : {0, 1, 2}) {
          std::vector<Slot> slots(prefix, Slot{true, 0, 0});
          for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) slots.push_back({false, r, c});
          const int64_t T = static_cast<int64_t>(slots.size());
          AttentionMask spec;
          spec.grid = {rows, cols, prefix, window};
          const Tensor m = build_attention_mask(spec, 1, 1, T, T);
          REQUIRE(m.shape() == Shape{1, 1, T, T});
          for (int64_t i = 0; i < T; ++i)
            for (int64_t j = 0; j < T; ++j) {
              INFO(rows << "x" << cols << " window " << window << " prefix " << prefix << " i " << i << " j " << j);
              const Slot &a = slots[i], &b = slots[j];
              const bool near = std::abs(a.r - b.r) <= window && std::abs(a.c - b.c) <= window;
              REQUIRE(m[i * T + j] == (a.global || b.global || near ? 1.0f : 0.0f));
            }
        }
  // A 3x3 grid, window 1: the centre sees all 9, a corner its 2x2 block.
  AttentionMask spec;
  spec.grid = {3, 3, 0, 1};
  const Tensor m = build_attention_mask(spec, 1, 1, 9, 9);
  float centre = 0, corner = 0;
  for (int64_t j = 0; j < 9; ++j) centre += m[4 * 9 + j], corner += m[0 * 9 + j];
  CHECK(centre == 9.0f);
  CHECK(corner == 4.0f);
  spec.grid = {2, 2, 0, -2};
  CHECK_THROWS_AS(build_attention_mask(spec, 1, 1, 4, 4), Error);
  spec.grid = {2, 2, 1, 1};  // 5 positions
  CHECK_THROWS_AS(build_attention_mask(spec, 1, 1, 4, 4), Error);
  CHECK_THROWS_AS(build_attention_mask(spec, 1, 1, 5, 4), Error);
}
