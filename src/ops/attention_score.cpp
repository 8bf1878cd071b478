#include "ops/attention_score.h"

#include <cmath>
#include <utility>

#include "base/error.h"
#include "kernels/additive_score.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"

namespace attn {

AttentionScore attention_score_from_name(const std::string& name) {
  if (name == "dot") return AttentionScore::dot;
  if (name == "scaled_dot") return AttentionScore::scaled_dot;
  if (name == "general") return AttentionScore::general;
  if (name == "additive") return AttentionScore::additive;
  if (name == "cosine") return AttentionScore::cosine;
  ATTN_FAIL(config, "unknown attention score '", name,
            "' (expected dot, scaled_dot, general, additive or cosine)");
}

const char* attention_score_name(AttentionScore score) {
  switch (score) {
    case AttentionScore::dot: return "dot";
    case AttentionScore::scaled_dot: return "scaled_dot";
    case AttentionScore::general: return "general";
    case AttentionScore::additive: return "additive";
    case AttentionScore::cosine: return "cosine";
  }
  return "?";
}

namespace {
void check_param(const Var& p, const char* name, AttentionScore score, const Shape& want) {
  ATTN_CHECK(p.defined(), shape, attention_score_name(score), " attention score needs ", name, " of shape ",
             to_string(want));
  ATTN_CHECK(p.shape() == want, shape, attention_score_name(score), " attention ", name, " has shape ",
             to_string(p.shape()), ", expected ", to_string(want));
}

Var dot_scores(const Var& q, const Var& k) {
  ATTN_CHECK(q.dim(-1) == k.dim(-1), shape, "dot attention scores need equal query and key widths, got q ",
             to_string(q.shape()), " and k ", to_string(k.shape()));
  return matmul(q, k, false, true);  // [B, H, Tq, Tk]
}
}  // namespace

Var attention_scores(const Var& q, const Var& k, AttentionScore score, const AttentionScoreParams& params,
                     float cosine_tau) {
  ATTN_CHECK(q.rank() == 4 && k.rank() == 4 && q.dim(0) == k.dim(0) && q.dim(1) == k.dim(1), shape,
             "attention scores need q [B, H, Tq, Dq] and k [B, H, Tk, Dk], got q ", to_string(q.shape()),
             " and k ", to_string(k.shape()));
  const int64_t dq = q.dim(-1), dk = k.dim(-1);
  switch (score) {
    case AttentionScore::dot: return dot_scores(q, k);
    // Scaling q costs Tq·D multiplies instead of Tq·Tk on the scores.
    case AttentionScore::scaled_dot: return dot_scores(scale(q, 1.0f / std::sqrt(static_cast<float>(dq))), k);
    case AttentionScore::general:
      check_param(params.weight, "weight", score, {dq, dk});
      return dot_scores(matmul(q, params.weight), k);  // (q W) kᵀ
    case AttentionScore::additive: {
      ATTN_CHECK(params.query_weight.defined() && params.query_weight.rank() == 2, shape,
                 "additive attention score needs query_weight [A, Dq]");
      const int64_t width = params.query_weight.dim(0);
      check_param(params.query_weight, "query_weight", score, {width, dq});
      check_param(params.v, "v", score, {width});
      Var kp = k;
      if (params.key_weight.defined()) {
        check_param(params.key_weight, "key_weight", score, {width, dk});
        kp = matmul(k, params.key_weight, false, true);  // [B, H, Tk, A]
      }
      return additive_scores(matmul(q, params.query_weight, false, true), kp, params.v);
    }
    case AttentionScore::cosine: {
      Var qn = l2_normalize(q), kn = l2_normalize(k);
      if (!params.tau.defined()) return dot_scores(scale(qn, cosine_tau), kn);
      check_param(params.tau, "tau", score, {1});
      return mul(dot_scores(qn, kn), params.tau);
    }
  }
  ATTN_FAIL(internal, "unhandled attention score ", static_cast<int>(score));
}

Var additive_scores(const Var& qp, const Var& kp, const Var& v) {
  ATTN_CHECK(qp.rank() == 4 && kp.rank() == 4 && qp.dim(0) == kp.dim(0) && qp.dim(1) == kp.dim(1) &&
                 qp.dim(3) == kp.dim(3) && v.rank() == 1 && v.dim(0) == qp.dim(3),
             shape, "additive scores need qp [B, H, Tq, A], kp [B, H, Tk, A], v [A], got qp ",
             to_string(qp.shape()), ", kp ", to_string(kp.shape()), ", v ", to_string(v.shape()));
  kernels::AdditiveScoreShape s{qp.dim(0) * qp.dim(1), qp.dim(2), kp.dim(2), qp.dim(3)};
  Tensor scores = Tensor::empty({qp.dim(0), qp.dim(1), s.tq, s.tk});
  Tensor scratch = Tensor::empty({kernels::additive_score_scratch(s)});
  kernels::additive_score_fwd(s, qp.value().data(), kp.value().data(), v.value().data(), scores.data(),
                              scratch.data());
  return make_result(scores, {qp, kp, v}, [qp, kp, v, s](const Tensor& dout) {
    Tensor dqp = Tensor::empty(qp.shape()), dkp = Tensor::empty(kp.shape());
    Tensor dv_groups = Tensor::empty({s.groups, s.width});
    Tensor scratch = Tensor::empty({kernels::additive_score_scratch(s)});
    kernels::additive_score_bwd(s, qp.value().data(), kp.value().data(), v.value().data(), dout.data(),
                                dqp.data(), dkp.data(), dv_groups.data(), scratch.data());
    Tensor dv = Tensor::zeros({s.width});
    for (int64_t g = 0; g < s.groups; ++g)
      for (int64_t a = 0; a < s.width; ++a) dv[a] += dv_groups[g * s.width + a];
    accumulate_grad(qp, std::move(dqp));
    accumulate_grad(kp, std::move(dkp));
    accumulate_grad(v, std::move(dv));
  });
}

Var l2_normalize(const Var& x, float eps) {
  ATTN_CHECK(x.rank() >= 1, shape, "l2_normalize needs at least one axis, got shape ", to_string(x.shape()));
  const int64_t n = x.dim(-1);
  const int64_t rows = n > 0 ? x.numel() / n : 0;
  Tensor y = Tensor::empty(x.shape());
  Tensor norms = Tensor::empty({rows});
  const float* xv = x.value().data();
  for (int64_t r = 0; r < rows; ++r) {
    double sq = static_cast<double>(eps) * eps;
    for (int64_t i = 0; i < n; ++i) sq += static_cast<double>(xv[r * n + i]) * xv[r * n + i];
    norms[r] = static_cast<float>(std::sqrt(sq));
    for (int64_t i = 0; i < n; ++i) y[r * n + i] = xv[r * n + i] / norms[r];
  }
  // y = x / ‖x‖  =>  dx = (dy - y (y · dy)) / ‖x‖
  return make_result(y, {x}, [x, y, norms, rows, n](const Tensor& dout) {
    Tensor dx = Tensor::empty(y.shape());
    for (int64_t r = 0; r < rows; ++r) {
      const float* yr = y.data() + r * n;
      const float* gr = dout.data() + r * n;
      float dot = 0.0f;
      for (int64_t i = 0; i < n; ++i) dot += yr[i] * gr[i];
      for (int64_t i = 0; i < n; ++i) dx[r * n + i] = (gr[i] - yr[i] * dot) / norms[r];
    }
    accumulate_grad(x, std::move(dx));
  });
}

}  // namespace attn
