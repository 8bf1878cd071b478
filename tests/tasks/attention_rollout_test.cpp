#include <catch2/catch.hpp>

#include "tasks/attention_rollout.h"

using namespace attn;

TEST_CASE("attention rollout matches a hand-computed two-layer, two-head case", "[tasks][rollout]") {
  // Layer 1: heads [[1, 0], [0.5, 0.5]] and [[0, 1], [0.5, 0.5]]; mean [[0.5, 0.5], [0.5, 0.5]];
  // + I -> [[1.5, 0.5], [0.5, 1.5]]; rows / 2 -> A1 = [[0.75, 0.25], [0.25, 0.75]].
  // Layer 2: both heads [[0, 1], [1, 0]]; + I -> [[1, 1], [1, 1]] / 2 -> A2 = [[0.5, 0.5], [0.5, 0.5]].
  // Rollout A2 · A1 = [[0.5, 0.5], [0.5, 0.5]]. A1 alone is the one-layer rollout.
  const Tensor l1 = Tensor::from({1, 2, 2, 2}, {1, 0, 0.5f, 0.5f, 0, 1, 0.5f, 0.5f});
  const Tensor l2 = Tensor::from({1, 2, 2, 2}, {0, 1, 1, 0, 0, 1, 1, 0});
  const Tensor one = tasks::attention_rollout({l1});
  const std::vector<float> a1{0.75f, 0.25f, 0.25f, 0.75f};
  for (int i = 0; i < 4; ++i) CHECK(one[i] == Approx(a1[i]));
  const Tensor two = tasks::attention_rollout({l1, l2});
  for (int i = 0; i < 4; ++i) CHECK(two[i] == Approx(0.5f));
  // Two equal layers: A1 · A1 = [[0.625, 0.375], [0.375, 0.625]].
  const Tensor squared = tasks::attention_rollout({l1, l1});
  CHECK(squared[0] == Approx(0.625f));
  CHECK(squared[1] == Approx(0.375f));
}

TEST_CASE("attention rollout: order of the layers, rows sum to 1", "[tasks][rollout]") {
  // A = [[1, 0], [1, 0]] with one head: + I -> [[2, 0], [1, 1]] -> [[1, 0], [0.5, 0.5]].
  // B = [[0, 1], [0, 1]]: + I -> [[1, 1], [0, 2]] -> [[0.5, 0.5], [0, 1]].
  // Rollout of {A, B} = B · A = [[0.75, 0.25], [0.5, 0.5]]; of {B, A} = A · B = [[0.5, 0.5], [0.25, 0.75]].
  const Tensor a = Tensor::from({1, 1, 2, 2}, {1, 0, 1, 0}), b = Tensor::from({1, 1, 2, 2}, {0, 1, 0, 1});
  const Tensor ab = tasks::attention_rollout({a, b}), ba = tasks::attention_rollout({b, a});
  const std::vector<float> ab_expected{0.75f, 0.25f, 0.5f, 0.5f}, ba_expected{0.5f, 0.5f, 0.25f, 0.75f};
  for (int i = 0; i < 4; ++i) {
    CHECK(ab[i] == Approx(ab_expected[i]));
    CHECK(ba[i] == Approx(ba_expected[i]));
  }
}
