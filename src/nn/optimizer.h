// Optimizers over a model's named parameters: SGD (momentum, Nesterov), Adam
// and AdamW, with weight decay. Their state is exposed as named tensors so a
// checkpoint can save and restore it exactly. Learning rate comes per step
// from the schedule (nn/lr_schedule.h).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/var.h"

namespace attn::nn {

enum class OptimizerKind { sgd, adam, adamw };

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::adam;
  float momentum = 0.0f;  // sgd
  bool nesterov = false;  // sgd
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  // sgd/adam: L2 added to the gradient; adamw: decoupled decay of the weights.
  float weight_decay = 0.0f;
};

class Optimizer {
 public:
  Optimizer(std::vector<std::pair<std::string, Var>> params, const OptimizerOptions& options);

  void step(float lr);  // parameters without a gradient are left untouched
  void zero_grad();
  int64_t steps() const { return steps_; }

  // "<slot>.<param name>" -> tensor, e.g. "adam.m.encoder.embed.weight", plus "steps".
  std::map<std::string, Tensor> state() const;
  void load_state(const std::map<std::string, Tensor>& state);  // checkpoint error on mismatch

 private:
  struct Slot {
    std::string name;
    Var param;
    Tensor m, v;  // sgd: momentum buffer in m; adam: first and second moments
  };
  std::vector<Slot> slots_;
  OptimizerOptions options_;
  int64_t steps_ = 0;
};

// Scales all gradients so their global L2 norm is at most max_norm (if > 0).
// Returns the norm before clipping; a non-finite value means the step diverged.
double clip_grad_norm(const std::vector<Var>& params, float max_norm);

}  // namespace attn::nn
