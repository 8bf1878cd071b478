#include "nn/optimizer.h"

#include <cmath>

#include "base/error.h"
#include "kernels/optimizer_update.h"

namespace attn::nn {

namespace {
const char* slot_prefix(OptimizerKind kind) { return kind == OptimizerKind::sgd ? "sgd." : "adam."; }
}  // namespace

Optimizer::Optimizer(std::vector<std::pair<std::string, Var>> params, const OptimizerOptions& options)
    : options_(options) {
  for (auto& [name, var] : params) {
    Slot s{name, var, Tensor::zeros(var.shape()), Tensor()};
    if (options.kind != OptimizerKind::sgd) s.v = Tensor::zeros(var.shape());
    slots_.push_back(std::move(s));
  }
}

void Optimizer::zero_grad() {
  for (Slot& s : slots_) s.param.zero_grad();
}

void Optimizer::step(float lr) {
  ++steps_;
  const OptimizerOptions& o = options_;
  const float bias1 = 1.0f - std::pow(o.beta1, static_cast<float>(steps_));
  const float bias2 = 1.0f - std::pow(o.beta2, static_cast<float>(steps_));
  for (Slot& s : slots_) {
    const Tensor& g = s.param.grad();
    if (!g.defined()) continue;
    float* w = s.param.value().data();
    const int64_t n = s.param.numel();
    if (o.kind == OptimizerKind::sgd) {
      kernels::sgd_update({lr, o.momentum, o.nesterov, o.weight_decay}, w, g.data(), s.m.data(), n);
      continue;
    }
    kernels::AdamUpdate u;
    u.lr = lr, u.beta1 = o.beta1, u.beta2 = o.beta2, u.eps = o.eps, u.weight_decay = o.weight_decay;
    u.decoupled = o.kind == OptimizerKind::adamw;
    u.step_size = lr / bias1;
    u.inv_sqrt_bias2 = 1.0f / std::sqrt(bias2);
    kernels::adam_update(u, w, g.data(), s.m.data(), s.v.data(), n);
  }
}

std::map<std::string, Tensor> Optimizer::state() const {
  std::map<std::string, Tensor> out;
  const std::string prefix = slot_prefix(options_.kind);
  for (const Slot& s : slots_) {
    out[prefix + "m." + s.name] = s.m;
    if (s.v.defined()) out[prefix + "v." + s.name] = s.v;
  }
  out["steps"] = Tensor::full({1}, static_cast<float>(steps_));
  return out;
}

void Optimizer::load_state(const std::map<std::string, Tensor>& state) {
  const std::string prefix = slot_prefix(options_.kind);
  auto take = [&](const std::string& key, Tensor& dst) {
    auto it = state.find(key);
    ATTN_CHECK(it != state.end(), checkpoint, "optimizer state lacks '", key, "'");
    ATTN_CHECK(it->second.shape() == dst.shape(), checkpoint, "optimizer state '", key, "' has shape ",
               to_string(it->second.shape()), ", expected ", to_string(dst.shape()));
    dst.copy_from(it->second);
  };
  for (Slot& s : slots_) {
    take(prefix + "m." + s.name, s.m);
    if (s.v.defined()) take(prefix + "v." + s.name, s.v);
  }
  auto it = state.find("steps");
  ATTN_CHECK(it != state.end() && it->second.numel() == 1, checkpoint, "optimizer state lacks 'steps'");
  steps_ = static_cast<int64_t>(it->second[0]);
}

double clip_grad_norm(const std::vector<Var>& params, float max_norm) {
  double sq = 0.0;
  for (const Var& p : params) {
    if (!p.grad().defined()) continue;
    const float* g = p.grad().data();
    for (int64_t i = 0; i < p.numel(); ++i) sq += static_cast<double>(g[i]) * g[i];
  }
  const double norm = std::sqrt(sq);
  if (max_norm > 0.0f && std::isfinite(norm) && norm > max_norm) {
    const float factor = static_cast<float>(max_norm / (norm + 1e-6));
    for (const Var& p : params) {
      if (!p.grad().defined()) continue;
      float* g = p.node()->grad.data();
      for (int64_t i = 0; i < p.numel(); ++i) g[i] *= factor;
    }
  }
  return norm;
}

}  // namespace attn::nn
