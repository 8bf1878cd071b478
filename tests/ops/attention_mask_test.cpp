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
