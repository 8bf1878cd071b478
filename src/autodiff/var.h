// The reverse-mode tape. A Var is a handle to a Node holding a value, an
// optional gradient, the parents it was computed from and the closure that
// pushes its gradient to them. Backward walks the graph in reverse topological
// order and then releases it. This file knows nothing about specific ops.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace attn {

class Var;

struct Node {
  Tensor value;
  Tensor grad;  // allocated on first accumulation; released after backward unless a leaf
  bool requires_grad = false;
  std::vector<std::shared_ptr<Node>> parents;
  // Receives this node's gradient and accumulates into the parents' grads.
  std::function<void(const Tensor& dout)> backward;

  // Zero-initialised on first call; ops accumulate into it (never overwrite).
  Tensor& grad_buffer();
  // Gives grad storage of its own before an in-place write (it may share a child's).
  void own_grad();
};

class Var {
 public:
  Var() = default;
  explicit Var(Tensor value, bool requires_grad = false);
  // A leaf that collects gradients (a trainable weight).
  static Var parameter(Tensor value) { return Var(std::move(value), true); }

  bool defined() const { return node_ != nullptr; }
  const Tensor& value() const { return node_->value; }
  Tensor& value() { return node_->value; }
  const Tensor& grad() const { return node_->grad; }  // undefined until a backward reached it
  bool requires_grad() const { return node_ && node_->requires_grad; }
  const Shape& shape() const { return node_->value.shape(); }
  int rank() const { return node_->value.rank(); }
  int64_t dim(int axis) const { return node_->value.dim(axis); }
  int64_t numel() const { return node_->value.numel(); }
  Node* node() const { return node_.get(); }
  const std::shared_ptr<Node>& node_ptr() const { return node_; }

  // Drops the gradient (as PyTorch's set_to_none): the next backward writes a
  // fresh buffer instead of zero-filling one and adding to it.
  void zero_grad();
  // Backward from a scalar (seed 1) or with an explicit seed gradient of the value's shape.
  void backward();
  void backward(const Tensor& seed);

 private:
  std::shared_ptr<Node> node_;
};

// Adds g into v's gradient if v wants one. g must have v's element count. The
// first gradient a non-leaf receives shares g's storage (a leaf's is copied, as
// optimizers scale leaf gradients in place); an rvalue nobody else holds is moved in.
void accumulate_grad(const Var& v, const Tensor& g);
void accumulate_grad(const Var& v, Tensor&& g);

// Where an op writes v's gradient (v must require grad). A fresh buffer is
// uninitialised: the op must overwrite every element (accumulate == false);
// otherwise it adds to what is there. Ops that write only some elements use
// Node::grad_buffer(), which zero-fills.
struct GradSink {
  float* data;
  bool accumulate;
};
GradSink grad_sink(const Var& v);

// True unless a NoGradGuard is alive on this thread.
bool grad_enabled();

// Inference scope: ops record no parents and no closures while it lives.
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// How every op creates its output: the closure and parents are recorded only
// when grad is enabled and some parent requires grad. The closure must capture
// parents (or their values), never the output Var, so the graph has no cycles.
Var make_result(Tensor value, const std::vector<Var>& parents,
                std::function<void(const Tensor& dout)> backward);

}  // namespace attn
