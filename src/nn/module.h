// Module: the base of every layer that owns parameters. Parameters and child
// modules are registered by name, so a model exposes dotted names such as
// `encoder.layers.0.attn.q_proj.weight` (the names used in checkpoints).
// Modules hold no optimizer state and write no files.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/var.h"

namespace attn::nn {

class Module {
 public:
  virtual ~Module() = default;
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Depth-first, in registration order: a stable order for checkpoints and optimizers.
  std::vector<std::pair<std::string, Var>> named_parameters() const;
  std::vector<Var> parameters() const;
  int64_t parameter_count() const;
  void zero_grad();

  // Training mode switches dropout on; propagates to children.
  void set_training(bool training);
  bool training() const { return training_; }

 protected:
  Var register_parameter(const std::string& name, Tensor init);
  template <typename M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    children_.emplace_back(name, module);
    return module;
  }

 private:
  void collect(const std::string& prefix, std::vector<std::pair<std::string, Var>>& out) const;

  std::vector<std::pair<std::string, Var>> params_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace attn::nn
