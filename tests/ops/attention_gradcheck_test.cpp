#include <catch2/catch.hpp>

#include "ops/attention.h"
#include "ops/attention_cases.h"
#include "ops/op_cases.h"

using namespace attn;
using namespace attn::testing;

namespace {
constexpr int64_t B = 2, H = 2, Tq = 3, Tk = 4, D = 3, A = 3;

struct Setup {
  ScoreVariant score;
  AttentionNormalizer normalizer = AttentionNormalizer::softmax;
  MaskVariant mask;
  AttentionLayout layout = AttentionLayout::bhtd;
  bool force_reference = false;
  float dropout = 0.0f;
};

AttentionOptions options_for(const Setup& s, const std::vector<Var>& vars) {
  AttentionOptions o;
  o.score = s.score.score;
  o.normalizer = s.normalizer;
  o.params = params_from(s.score, vars, 3);
  o.cosine_tau = 2.5f;
  o.mask = s.mask.mask;
  o.layout = s.layout;
  o.force_reference = s.force_reference;
  o.dropout = s.dropout;
  o.training = s.dropout > 0.0f;
  return o;
}

Var run(const Setup& s, const std::vector<Var>& vars, Tensor* capture = nullptr) {
  AttentionOptions o = options_for(s, vars);
  Rng rng(77, 0);  // the same dropout mask on every call
  o.rng = &rng;
  o.capture = capture;
  return attention(vars[0], vars[1], vars[2], o);
}

OpCase make_case(const Setup& s, int64_t tq = Tq, int64_t tk = Tk) {
  const bool bthd = s.layout == AttentionLayout::bthd;
  std::vector<Shape> shapes{bthd ? Shape{B, tq, H, D} : Shape{B, H, tq, D},
                            bthd ? Shape{B, tk, H, D} : Shape{B, H, tk, D},
                            bthd ? Shape{B, tk, H, D} : Shape{B, H, tk, D}};
  for (const Shape& p : score_param_shapes(s.score, D, D, A)) shapes.push_back(p);
  std::string name = s.score.name + " / " + attention_normalizer_name(s.normalizer) + " / " + s.mask.name;
  if (bthd) name += " / bthd";
  if (s.force_reference) name += " / reference";
  if (s.dropout > 0.0f) name += " / dropout";
  OpCase c{name, shapes, [s](const std::vector<Var>& v) { return run(s, v); }};
  if (s.normalizer == AttentionNormalizer::sparsemax) {
    c.options.eps = 1e-3f;
    c.prepare = away_from_kinks(
        [s](const std::vector<Tensor>& inputs) {
          std::vector<Var> vars(inputs.begin(), inputs.end());
          Tensor weights;
          run(s, vars, &weights);
          std::vector<bool> support(weights.numel());
          for (int64_t i = 0; i < weights.numel(); ++i) support[i] = weights[i] > 0.0f;
          return support;
        },
        c.options.eps);
  }
  return c;
}

std::vector<OpCase> cases_for(AttentionNormalizer normalizer) {
  std::vector<OpCase> cases;
  for (const ScoreVariant& score : score_variants())
    for (const MaskVariant& mask : mask_variants(Tq, Tk)) {
      Setup s{score, normalizer, mask};
      cases.push_back(make_case(s));
      const bool fusable = score.score == AttentionScore::dot || score.score == AttentionScore::scaled_dot;
      if (fusable && normalizer == AttentionNormalizer::softmax && !mask.mask.mask.defined()) {
        s.force_reference = true;
        cases.push_back(make_case(s));
      }
    }
  return cases;
}
}  // namespace

TEST_CASE("attention gradcheck: softmax over every score and mask") { run_op_cases(cases_for(AttentionNormalizer::softmax)); }

TEST_CASE("attention gradcheck: sparsemax over every score and mask") {
  run_op_cases(cases_for(AttentionNormalizer::sparsemax));
}

TEST_CASE("attention gradcheck: bthd layout and weight dropout") {
  std::vector<OpCase> cases;
  const auto masks = mask_variants(Tq, Tk);
  for (const ScoreVariant& score : score_variants()) {
    if (score.score != AttentionScore::scaled_dot && score.score != AttentionScore::additive) continue;
    for (const MaskVariant& mask : {masks[0], masks[5]}) {
      cases.push_back(make_case({score, AttentionNormalizer::softmax, mask, AttentionLayout::bthd}));
      cases.push_back(make_case({score, AttentionNormalizer::sparsemax, mask, AttentionLayout::bthd}));
      cases.push_back(make_case({score, AttentionNormalizer::softmax, mask, AttentionLayout::bhtd, false, 0.3f}));
    }
  }
  run_op_cases(cases);
}

TEST_CASE("attention gradcheck: hard attention is exact in v") {
  std::vector<OpCase> cases = cases_for(AttentionNormalizer::hard);
  for (OpCase& c : cases) {
    // q, k and score parameters get the straight-through gradient, checked below. The
    // output is linear in v, so no step of v can move the argmax: no kink guard needed.
    c.options.skip.assign(c.shapes.size(), true);
    c.options.skip[2] = false;
  }
  run_op_cases(cases);
}

TEST_CASE("hard attention passes back exactly the softmax gradient to q, k and score parameters") {
  uint64_t seed = 300;
  for (const ScoreVariant& score : score_variants())
    for (const MaskVariant& mask : mask_variants(Tq, Tk)) {
      DYNAMIC_SECTION(score.name << " / " << mask.name) {
        const OpCase c = make_case({score, AttentionNormalizer::softmax, mask});
        const std::vector<Tensor> inputs = random_inputs(c, ++seed);
        Rng rng(seed, 1);
        const Tensor dout = random_tensor({B, H, Tq, D}, rng);
        auto grads = [&](AttentionNormalizer normalizer) {
          std::vector<Var> vars;
          for (const Tensor& t : inputs) vars.push_back(Var::parameter(t.clone()));
          // Both on the reference path, so the shared softmax backward is the same code.
          run({score, normalizer, mask, AttentionLayout::bhtd, true}, vars).backward(dout);
          return vars;
        };
        const std::vector<Var> hard = grads(AttentionNormalizer::hard), soft = grads(AttentionNormalizer::softmax);
        for (size_t i = 0; i < inputs.size(); ++i) {
          if (i == 2) continue;  // v sees the one-hot weights, not the softmax ones
          INFO("input " << i);
          REQUIRE(hard[i].grad().defined() == soft[i].grad().defined());
          if (!soft[i].grad().defined()) continue;
          for (int64_t j = 0; j < inputs[i].numel(); ++j)
            REQUIRE(hard[i].grad()[j] == Approx(soft[i].grad()[j]).margin(1e-6));
        }
      }
    }
}

TEST_CASE("attention gradcheck: the grid window of image patches, fused kernel and reference path") {
  // A 2x3 grid after one <cls> slot (7 positions), radius 0 and 1: each patch sees <cls>
  // and its neighbours only.
  std::vector<OpCase> cases;
  for (int64_t radius : {0, 1}) {
    MaskVariant grid{"grid 2x3+cls r" + std::to_string(radius), {}};
    grid.mask.grid = {2, 3, 1, radius};
    for (const ScoreVariant& score : score_variants()) {
      if (score.score != AttentionScore::dot && score.score != AttentionScore::scaled_dot) continue;
      for (AttentionLayout layout : {AttentionLayout::bhtd, AttentionLayout::bthd})
        for (bool reference : {false, true})
          cases.push_back(make_case({score, AttentionNormalizer::softmax, grid, layout, reference}, 7, 7));
    }
  }
  REQUIRE(cases.size() == 16);
  run_op_cases(cases);
}
