#include <catch2/catch.hpp>
#include <cmath>

#include "ops/attention.h"
#include "ops/attention_cases.h"

using namespace attn;
using namespace attn::testing;

namespace {
// Tq > Tk with a causal mask leaves the first Tq - Tk queries without a key, and
// batch 1 has no keys at all; query row 2 of batch 0 is cut by the explicit mask.
constexpr int64_t B = 2, H = 2, Tq = 5, Tk = 3, D = 4;

AttentionMask hard_mask(bool with_explicit) {
  AttentionMask m;
  m.causal = true;
  m.key_lengths = {Tk, 0};
  if (with_explicit) {
    m.mask = Tensor::full({Tq, Tk}, 1.0f);
    for (int64_t j = 0; j < Tk; ++j) m.mask[2 * Tk + j] = 0.0f;
  }
  return m;
}

bool row_visible(int64_t b, int64_t i, bool with_explicit) {
  if (b == 1 || (with_explicit && i == 2)) return false;
  return i + (Tk - Tq) >= 0;  // the causal rule: key 0 is visible
}
}  // namespace

TEST_CASE("captured weights sum to 1 per row (0 when fully masked), whose outputs and gradients are zero") {
  const AttentionNormalizer normalizers[] = {AttentionNormalizer::softmax, AttentionNormalizer::sparsemax,
                                             AttentionNormalizer::hard};
  uint64_t seed = 40;
  for (const ScoreVariant& score : score_variants())
    for (AttentionNormalizer normalizer : normalizers)
      for (bool with_explicit : {false, true})
        for (bool capture : {false, true}) {
          DYNAMIC_SECTION(score.name << " / " << attention_normalizer_name(normalizer)
                                     << (with_explicit ? " / explicit" : "") << (capture ? " / capture" : "")) {
            Rng rng(++seed, 0);
            std::vector<Var> vars{Var::parameter(random_tensor({B, H, Tq, D}, rng)),
                                  Var::parameter(random_tensor({B, H, Tk, D}, rng)),
                                  Var::parameter(random_tensor({B, H, Tk, D}, rng))};
            for (const Shape& s : score_param_shapes(score, D, D, 5))
              vars.push_back(Var::parameter(random_tensor(s, rng)));
            AttentionOptions o;
            o.score = score.score;
            o.normalizer = normalizer;
            o.params = params_from(score, vars, 3);
            o.mask = hard_mask(with_explicit);
            Tensor weights;
            if (capture) o.capture = &weights;
            Var out = attention(vars[0], vars[1], vars[2], o);
            out.backward(random_tensor(out.shape(), rng));
            for (const Var& v : vars)
              if (v.grad().defined())
                for (int64_t i = 0; i < v.numel(); ++i) REQUIRE(std::isfinite(v.grad()[i]));
            for (int64_t b = 0; b < B; ++b)
              for (int64_t h = 0; h < H; ++h)
                for (int64_t i = 0; i < Tq; ++i) {
                  const bool visible = row_visible(b, i, with_explicit);
                  const int64_t row = (b * H + h) * Tq + i;
                  for (int64_t x = 0; x < D; ++x) {
                    REQUIRE(std::isfinite(out.value()[row * D + x]));
                    if (!visible) REQUIRE(out.value()[row * D + x] == 0.0f);
                    if (!visible && vars[0].grad().defined()) REQUIRE(vars[0].grad()[row * D + x] == 0.0f);
                  }
                  if (!capture) continue;
                  REQUIRE(weights.shape() == Shape{B, H, Tq, Tk});
                  double total = 0.0;
                  for (int64_t j = 0; j < Tk; ++j) total += weights[row * Tk + j];
                  REQUIRE(total == Approx(visible ? 1.0 : 0.0).margin(1e-5));
                }
          }
        }
}
