#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "base/error.h"
#include "nn/module_gradcheck.h"
#include "nn/pooling.h"
#include "ops/random_tensor.h"

using namespace attn;
using namespace attn::testing;

namespace {
constexpr int64_t B = 3, T = 5, C = 4;
const std::vector<int32_t> kLengths{T, 2, 1};  // padding in two rows, one of them a single real position

nn::PoolingOptions options(const std::string& kind, const std::string& score = "scaled_dot",
                           const std::string& normalizer = "softmax") {
  nn::PoolingOptions o;
  o.kind = kind;
  o.width = C;
  o.score = score;
  o.normalizer = normalizer;
  o.attn_width = 3;
  return o;
}

// Distinct values 0.1 apart in random order: no gradcheck step (eps 1e-2) moves a maximum.
Tensor spread_states(Rng& rng) {
  Tensor t = random_tensor({B, T, C}, rng);
  std::vector<int64_t> order(t.numel());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&t](int64_t a, int64_t b) { return t[a] < t[b]; });
  for (size_t r = 0; r < order.size(); ++r) t[order[r]] = 0.1f * static_cast<float>(r) - 3.0f;
  return t;
}

void check_gradients(nn::Pooling& pool, const Tensor& states) {
  auto f = [&](const Var& s) { return pool.forward(s, kLengths); };
  GradcheckResult params = module_gradcheck(pool, [&] { return f(Var(states)); });
  INFO("parameters: " << params.detail);
  CHECK(params.ok);
  GradcheckResult inputs = gradcheck([&](const std::vector<Var>& v) { return f(v[0]); }, {states});
  INFO("states: " << inputs.detail);
  CHECK(inputs.ok);
}

Tensor pooled_with(const nn::Pooling& pool, const Tensor& states, Tensor* capture = nullptr) {
  return pool.forward(Var(states), kLengths, capture).value();
}
}  // namespace

TEST_CASE("pooling gradcheck: every kind, attention pooling with every score, padded batch", "[nn][pooling]") {
  uint64_t seed = 20;
  for (const char* kind : {"mean", "max", "cls", "last"}) {
    DYNAMIC_SECTION(kind) {
      Rng rng(++seed, 0);
      nn::Pooling pool(options(kind), rng);
      check_gradients(pool, spread_states(rng));
    }
  }
  for (const char* score : {"dot", "scaled_dot", "general", "additive", "cosine"}) {
    DYNAMIC_SECTION("attention " << score) {
      Rng rng(++seed, 0);
      nn::Pooling pool(options("attention", score), rng);
      CHECK(pool.parameter_count() > 0);  // at least the query
      check_gradients(pool, random_tensor({B, T, C}, rng));
    }
  }
}

TEST_CASE("pooling values: mean and max see only real positions, cls takes position 0, last the last real one",
          "[nn][pooling]") {
  Rng rng(3, 0);
  Tensor states = random_tensor({B, T, C}, rng);
  // Padding holds the largest values: a max pooling that looked at it would return 100.
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = kLengths[b]; t < T; ++t)
      for (int64_t c = 0; c < C; ++c) states[(b * T + t) * C + c] = 100.0f;
  const Tensor mean = pooled_with(nn::Pooling(options("mean"), rng), states);
  const Tensor max = pooled_with(nn::Pooling(options("max"), rng), states);
  const Tensor cls = pooled_with(nn::Pooling(options("cls"), rng), states);
  const Tensor last = pooled_with(nn::Pooling(options("last"), rng), states);
  REQUIRE(last.shape() == Shape{B, C});
  REQUIRE(mean.shape() == Shape{B, C});
  REQUIRE(max.shape() == Shape{B, C});
  REQUIRE(cls.shape() == Shape{B, C});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t c = 0; c < C; ++c) {
      double total = 0.0;
      float largest = states[b * T * C + c];
      for (int64_t t = 0; t < kLengths[b]; ++t) {
        total += states[(b * T + t) * C + c];
        largest = std::max(largest, states[(b * T + t) * C + c]);
      }
      CHECK(mean[b * C + c] == Approx(total / kLengths[b]).margin(1e-6));
      CHECK(max[b * C + c] == largest);
      CHECK(cls[b * C + c] == states[b * T * C + c]);
      CHECK(last[b * C + c] == states[(b * T + kLengths[b] - 1) * C + c]);
    }
}

TEST_CASE("pooling captures weights [B, T] that sum to 1 over real positions", "[nn][pooling]") {
  Rng rng(4, 0);
  const Tensor states = random_tensor({B, T, C}, rng);
  std::vector<std::pair<std::string, nn::PoolingOptions>> kinds{
      {"mean", options("mean")}, {"max", options("max")}, {"last", options("last")}};
  for (const char* normalizer : {"softmax", "sparsemax", "hard"})
    kinds.push_back({std::string("attention additive ") + normalizer, options("attention", "additive", normalizer)});
  for (const auto& [name, o] : kinds) {
    INFO(name);
    nn::Pooling pool(o, rng);
    Tensor weights;
    pooled_with(pool, states, &weights);
    REQUIRE(weights.shape() == Shape{B, T});
    for (int64_t b = 0; b < B; ++b) {
      double total = 0.0;
      for (int64_t t = 0; t < T; ++t) {
        if (t >= kLengths[b]) CHECK(weights[b * T + t] == 0.0f);
        CHECK(weights[b * T + t] >= 0.0f);
        total += weights[b * T + t];
      }
      CHECK(total == Approx(1.0).margin(1e-6));
      if (o.kind == "mean")
        for (int64_t t = 0; t < kLengths[b]; ++t) CHECK(weights[b * T + t] == Approx(1.0 / kLengths[b]));
      if (o.kind == "last") CHECK(weights[b * T + kLengths[b] - 1] == 1.0f);
    }
  }
  Tensor weights = Tensor::zeros({1});
  pooled_with(nn::Pooling(options("cls"), rng), states, &weights);
  CHECK_FALSE(weights.defined());
}

TEST_CASE("max pooling captures the share of channels each position holds the maximum of", "[nn][pooling]") {
  Rng rng(5, 0);
  nn::Pooling pool(options("max"), rng);
  // One row of 3 positions and C = 4 channels: position 0 holds channels 0 and 3 (a tie
  // with position 2, which goes to the first), position 2 channels 1 and 2, position 1 none.
  const Tensor states = Tensor::from({1, 3, C}, {9, 0, 1, 9, 1, 0, 0, 1, 0, 5, 9, 9});
  Tensor weights;
  const Tensor pooled = pool.forward(Var(states), {3}, &weights).value();
  CHECK(pooled.to_vector() == std::vector<float>{9, 5, 9, 9});
  CHECK(weights.to_vector() == std::vector<float>{0.5f, 0.0f, 0.5f});
}

TEST_CASE("attention pooling ignores what padding holds", "[nn][pooling]") {
  Rng rng(6, 0);
  for (const char* score : {"scaled_dot", "additive"}) {
    INFO(score);
    nn::Pooling pool(options("attention", score), rng);
    Tensor states = random_tensor({B, T, C}, rng);
    const Tensor before = pooled_with(pool, states);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t i = kLengths[b] * C; i < T * C; ++i) states[b * T * C + i] = 50.0f;
    const Tensor after = pooled_with(pool, states);
    for (int64_t i = 0; i < before.numel(); ++i) CHECK(after[i] == Approx(before[i]).margin(1e-6));
  }
}

TEST_CASE("pooling refuses unknown kinds, scores it cannot attend with, and bad lengths", "[nn][pooling]") {
  Rng rng(7, 0);
  auto config_error = [&](const nn::PoolingOptions& o, const std::string& expect) {
    try {
      nn::Pooling pool(o, rng);
      FAIL("no error for " << o.kind << " / " << o.score);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      CHECK_THAT(e.what(), Catch::Contains(expect));
    }
  };
  config_error(options("sum"), "'sum' (expected attention, mean, max, cls or last)");
  config_error(options("attention", "linear"), "dot, scaled_dot, general, additive or cosine");
  config_error(options("attention", "none"), "cannot use score 'none'");
  config_error(options("attention", "bilinear"), "unknown attention score 'bilinear'");
  config_error(options("attention", "dot", "argmax"), "argmax");
  nn::Pooling ok(options("mean", "linear"), rng);  // the score matters to attention pooling only

  nn::Pooling pool(options("mean"), rng);
  const Var states(Tensor::zeros({2, 3, C}));
  CHECK_THROWS_WITH(pool.forward(states, {3, 0}), Catch::Contains("length 0 of row 1"));
  CHECK_THROWS_WITH(pool.forward(states, {4, 1}), Catch::Contains("outside [1, 3]"));
  CHECK_THROWS_WITH(pool.forward(states, {3}), Catch::Contains("1 lengths"));
  CHECK_THROWS_WITH(pool.forward(Var(Tensor::zeros({2, 3, C + 1})), {3, 3}), Catch::Contains("[2, 3, 5]"));
}
