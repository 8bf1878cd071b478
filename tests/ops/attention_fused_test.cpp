#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "ops/attention.h"
#include "ops/attention_cases.h"

using namespace attn;
using namespace attn::testing;

namespace {
// ‖a − b‖∞ / ‖b‖∞ (0 when both are all zeros).
double relative_error(const Tensor& a, const Tensor& b) {
  double diff = 0.0, scale = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    diff = std::max(diff, static_cast<double>(std::abs(a[i] - b[i])));
    scale = std::max(scale, static_cast<double>(std::abs(b[i])));
  }
  return scale > 0.0 ? diff / scale : diff;
}

struct Result {
  Tensor out, dq, dk, dv;
};

Result run(const std::vector<Tensor>& inputs, const Tensor& dout, const AttentionOptions& o) {
  Var q = Var::parameter(inputs[0].clone()), k = Var::parameter(inputs[1].clone()),
      v = Var::parameter(inputs[2].clone());
  Var out = attention(q, k, v, o);
  out.backward(dout);
  auto grad = [](const Var& x) { return x.grad().defined() ? x.grad() : Tensor::zeros(x.shape()); };
  return {out.value(), grad(q), grad(k), grad(v)};
}
}  // namespace

TEST_CASE("fused attention equals the reference path in values and all gradients") {
  Rng rng(2024, 0);
  const int64_t widths[] = {1, 3, 8, 16, 33, 64};
  for (int trial = 0; trial < 40; ++trial) {
    const int64_t b = 1 + rng.below(3), h = 1 + rng.below(3), tq = 1 + rng.below(40), tk = 1 + rng.below(40);
    const int64_t d = widths[rng.below(6)];
    AttentionOptions o;
    o.score = rng.below(2) ? AttentionScore::scaled_dot : AttentionScore::dot;
    o.layout = rng.below(2) ? AttentionLayout::bthd : AttentionLayout::bhtd;
    if (rng.below(2))
      for (int64_t i = 0; i < b; ++i)  // zero lengths give fully masked rows
        o.mask.key_lengths.push_back(static_cast<int32_t>(rng.below(4) == 0 ? 0 : rng.below(tk + 1)));
    o.mask.causal = rng.below(2);
    o.mask.window = rng.below(2) ? static_cast<int64_t>(rng.below(6)) : -1;
    REQUIRE(attention_uses_fused(o, d, d));
    const bool bthd = o.layout == AttentionLayout::bthd;
    auto shape = [&](int64_t t) { return bthd ? Shape{b, t, h, d} : Shape{b, h, t, d}; };
    const float spread = o.score == AttentionScore::dot ? 1.0f / std::sqrt(static_cast<float>(d)) : 1.0f;
    std::vector<Tensor> inputs{random_tensor(shape(tq), rng, -2.0f, 2.0f),
                               random_tensor(shape(tk), rng, -2.0f * spread, 2.0f * spread),
                               random_tensor(shape(tk), rng)};
    const Tensor dout = random_tensor(shape(tq), rng);
    INFO("trial " << trial << ": B " << b << " H " << h << " Tq " << tq << " Tk " << tk << " D " << d
                  << (bthd ? " bthd" : " bhtd") << " causal " << o.mask.causal << " window " << o.mask.window
                  << " padded " << !o.mask.key_lengths.empty());
    const Result fused = run(inputs, dout, o);
    AttentionOptions reference = o;
    reference.force_reference = true;
    const Result ref = run(inputs, dout, reference);
    CHECK(relative_error(fused.out, ref.out) < 1e-4);
    CHECK(relative_error(fused.dq, ref.dq) < 1e-4);
    CHECK(relative_error(fused.dk, ref.dk) < 1e-4);
    CHECK(relative_error(fused.dv, ref.dv) < 1e-4);
  }
}

TEST_CASE("fused attention with a grid window equals the reference path's explicit mask") {
  // ViT-like grids (7x7, 4x4, 2x2 after <cls> or not) and awkward ones, radii 0..3,
  // sometimes with padding on top; the reference path masks with build_attention_mask.
  Rng rng(2025, 0);
  const int64_t grids[][2] = {{7, 7}, {4, 4}, {2, 2}, {1, 1}, {3, 5}, {6, 1}, {9, 9}};
  for (int trial = 0; trial < 40; ++trial) {
    const auto& g = grids[trial % 7];
    AttentionOptions o;
    o.mask.grid = {g[0], g[1], static_cast<int64_t>(rng.below(2)), static_cast<int64_t>(rng.below(4))};
    const int64_t b = 1 + rng.below(2), h = 1 + rng.below(3), t = o.mask.grid.length();
    const int64_t d = std::vector<int64_t>{4, 16, 33}[rng.below(3)];
    o.score = rng.below(2) ? AttentionScore::scaled_dot : AttentionScore::dot;
    o.layout = rng.below(2) ? AttentionLayout::bthd : AttentionLayout::bhtd;
    if (rng.below(3) == 0)
      for (int64_t i = 0; i < b; ++i) o.mask.key_lengths.push_back(static_cast<int32_t>(1 + rng.below(t)));
    REQUIRE(attention_uses_fused(o, d, d));
    const bool bthd = o.layout == AttentionLayout::bthd;
    const Shape shape = bthd ? Shape{b, t, h, d} : Shape{b, h, t, d};
    std::vector<Tensor> inputs{random_tensor(shape, rng, -2.0f, 2.0f), random_tensor(shape, rng, -1.0f, 1.0f),
                               random_tensor(shape, rng)};
    const Tensor dout = random_tensor(shape, rng);
    INFO("trial " << trial << ": B " << b << " H " << h << " grid " << g[0] << "x" << g[1] << "+"
                  << o.mask.grid.prefix << " radius " << o.mask.grid.window << " D " << d
                  << (bthd ? " bthd" : " bhtd") << " padded " << !o.mask.key_lengths.empty());
    const Result fused = run(inputs, dout, o);
    AttentionOptions reference = o;
    reference.force_reference = true;
    const Result ref = run(inputs, dout, reference);
    CHECK(relative_error(fused.out, ref.out) < 1e-4);
    CHECK(relative_error(fused.dq, ref.dq) < 1e-4);
    CHECK(relative_error(fused.dk, ref.dk) < 1e-4);
    CHECK(relative_error(fused.dv, ref.dv) < 1e-4);
  }
}

TEST_CASE("attention takes the fused kernel only where it computes the same function") {
  AttentionOptions o;
  CHECK(attention_uses_fused(o, 8, 8));
  CHECK(!attention_uses_fused(o, 8, 4));
  AttentionOptions forced = o;
  forced.force_reference = true;
  CHECK(!attention_uses_fused(forced, 8, 8));
  AttentionOptions sparse = o;
  sparse.normalizer = AttentionNormalizer::sparsemax;
  CHECK(!attention_uses_fused(sparse, 8, 8));
  AttentionOptions additive = o;
  additive.score = AttentionScore::additive;
  CHECK(!attention_uses_fused(additive, 8, 8));
  AttentionOptions explicit_mask = o;
  explicit_mask.mask.mask = Tensor::full({1, 1}, 1.0f);
  CHECK(!attention_uses_fused(explicit_mask, 8, 8));
  Tensor weights;
  AttentionOptions capture = o;
  capture.capture = &weights;
  CHECK(!attention_uses_fused(capture, 8, 8));
  AttentionOptions dropping = o;
  dropping.dropout = 0.1f;
  CHECK(attention_uses_fused(dropping, 8, 8));  // dropout is inactive outside training
  dropping.training = true;
  CHECK(!attention_uses_fused(dropping, 8, 8));
}
