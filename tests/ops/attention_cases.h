// Shared setup of the attention op tests: the score variants with their
// parameter shapes, mask variants on small shapes (fully masked rows included),
// and a guard that keeps gradchecks of piecewise normalizers off their kinks.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "autodiff/var.h"
#include "ops/attention.h"
#include "tensor/rng.h"

namespace attn::testing {

struct ScoreVariant {
  std::string name;
  AttentionScore score;
  bool learned_tau = false;
};

inline std::vector<ScoreVariant> score_variants() {
  return {{"dot", AttentionScore::dot},         {"scaled_dot", AttentionScore::scaled_dot},
          {"general", AttentionScore::general}, {"additive", AttentionScore::additive},
          {"cosine", AttentionScore::cosine},   {"cosine_learned_tau", AttentionScore::cosine, true}};
}

// Shapes of the learned score parameters, in the order params_from reads them.
inline std::vector<Shape> score_param_shapes(const ScoreVariant& s, int64_t dq, int64_t dk, int64_t a) {
  switch (s.score) {
    case AttentionScore::general: return {{dq, dk}};
    case AttentionScore::additive: return {{a, dq}, {a, dk}, {a}};
    case AttentionScore::cosine: return s.learned_tau ? std::vector<Shape>{{1}} : std::vector<Shape>{};
    default: return {};
  }
}

inline AttentionScoreParams params_from(const ScoreVariant& s, const std::vector<Var>& vars, size_t first) {
  AttentionScoreParams p;
  switch (s.score) {
    case AttentionScore::general: p.weight = vars[first]; break;
    case AttentionScore::additive:
      p.query_weight = vars[first];
      p.key_weight = vars[first + 1];
      p.v = vars[first + 2];
      break;
    case AttentionScore::cosine:
      if (s.learned_tau) p.tau = vars[first];
      break;
    default: break;
  }
  return p;
}

struct MaskVariant {
  std::string name;
  AttentionMask mask;
};

// Masks for batch 2 and any Tq, Tk. "padding" leaves batch 1 one key; "empty rows"
// masks batch 1 entirely; the explicit mask zeroes query row 0 of batch 0.
inline std::vector<MaskVariant> mask_variants(int64_t tq, int64_t tk) {
  std::vector<MaskVariant> out;
  out.push_back({"no mask", {}});
  AttentionMask padding;
  padding.key_lengths = {static_cast<int32_t>(tk), 1};
  out.push_back({"padding", padding});
  AttentionMask causal;
  causal.causal = true;
  out.push_back({"causal", causal});
  AttentionMask window;
  window.window = 1;
  out.push_back({"window 1", window});
  AttentionMask explicit_mask;
  explicit_mask.mask = Tensor::empty({2, 1, tq, tk});
  for (int64_t i = 0; i < explicit_mask.mask.numel(); ++i)
    explicit_mask.mask[i] = (i % 3 == 1 || i < tk) ? 0.0f : 1.0f;
  out.push_back({"explicit", explicit_mask});
  AttentionMask all = explicit_mask;
  all.key_lengths = {static_cast<int32_t>(tk - 1), static_cast<int32_t>(tk)};
  all.causal = true;
  all.window = 2;
  out.push_back({"padding+causal+window+explicit", all});
  AttentionMask empty_rows;
  empty_rows.key_lengths = {static_cast<int32_t>(tk), 0};
  empty_rows.causal = true;
  out.push_back({"causal+empty batch", empty_rows});
  return out;
}

inline Tensor random_tensor(const Shape& shape, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  Tensor t = Tensor::empty(shape);
  rng.fill_uniform(t.data(), t.numel(), lo, hi);
  return t;
}

// A `prepare` for gradcheck: redraws the inputs until no ±eps step of any single
// element changes `pattern` (e.g. which sparsemax weights are nonzero), so
// central differences never straddle a kink.
using PatternFunction = std::function<std::vector<bool>(const std::vector<Tensor>&)>;

inline std::function<void(std::vector<Tensor>&)> away_from_kinks(PatternFunction pattern, float eps) {
  return [pattern, eps](std::vector<Tensor>& inputs) {
    NoGradGuard no_grad;
    for (uint64_t attempt = 0; attempt < 300; ++attempt) {
      if (attempt > 0) {
        Rng rng(1000 + attempt, 0);
        for (Tensor& t : inputs) rng.fill_uniform(t.data(), t.numel(), -1.0f, 1.0f);
      }
      const std::vector<bool> base = pattern(inputs);
      bool stable = true;
      for (size_t i = 0; stable && i < inputs.size(); ++i)
        for (int64_t j = 0; stable && j < inputs[i].numel(); ++j) {
          const float x = inputs[i][j];
          for (float step : {eps, -eps}) {
            inputs[i][j] = x + step;
            stable = stable && pattern(inputs) == base;
          }
          inputs[i][j] = x;
        }
      if (stable) return;
    }
    FAIL("no kink-free inputs found in 300 draws");
  };
}

}  // namespace attn::testing
