#include "autodiff/var.h"

#include <algorithm>
#include <unordered_set>

#include "base/error.h"

namespace attn {

namespace {
thread_local bool tl_grad_enabled = true;
}

Tensor& Node::grad_buffer() {
  if (!grad.defined()) grad = Tensor::zeros(value.shape());
  own_grad();
  return grad;
}

void Node::own_grad() {
  if (grad.defined() && !grad.unique()) grad = grad.clone();
}

Var::Var(Tensor value, bool requires_grad) : node_(std::make_shared<Node>()) {
  node_->value = std::move(value);
  node_->requires_grad = requires_grad;
}

void Var::zero_grad() {
  if (node_) node_->grad = Tensor();
}

void Var::backward() {
  ATTN_CHECK(numel() == 1, shape, "backward() without a seed needs a scalar, got shape ", to_string(shape()));
  backward(Tensor::full(shape(), 1.0f));
}

void Var::backward(const Tensor& seed) {
  ATTN_CHECK(seed.numel() == numel(), shape, "backward seed of shape ", to_string(seed.shape()),
             " for a value of shape ", to_string(shape()));
  if (!requires_grad()) return;
  // Iterative post-order DFS: a node comes after all nodes it depends on. The
  // order owns its nodes, so releasing a node's parent links below cannot free
  // a parent before its turn.
  std::vector<std::shared_ptr<Node>> order;
  std::unordered_set<Node*> seen;
  std::vector<std::pair<std::shared_ptr<Node>, size_t>> stack{{node_, 0}};
  seen.insert(node_.get());
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->parents.size()) {
      const std::shared_ptr<Node>& parent = node->parents[next++];
      if (parent->requires_grad && seen.insert(parent.get()).second) stack.push_back({parent, 0});
    } else {
      order.push_back(std::move(node));
      stack.pop_back();
    }
  }
  Tensor& g = node_->grad_buffer();
  const float* s = seed.data();
  float* gd = g.data();
  for (int64_t i = 0; i < g.numel(); ++i) gd[i] += s[i];
  // Once a node has pushed its gradient to its parents, nothing reads its gradient,
  // closure or parent links again: free them at once (and the node itself unless a
  // handle holds it), so peak memory stays near the forward's saved values instead
  // of growing by every intermediate gradient.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::shared_ptr<Node> node = std::move(*it);
    if (!node->backward) continue;  // a leaf keeps its gradient
    if (node->grad.defined()) node->backward(node->grad);
    node->grad = Tensor();
    node->backward = nullptr;
    node->parents.clear();
  }
}

void accumulate_grad(const Var& v, const Tensor& g) {
  if (!v.requires_grad()) return;
  ATTN_CHECK(v.numel() == g.numel(), internal, "gradient of shape ", to_string(g.shape()),
             " for a value of shape ", to_string(v.shape()));
  Node* node = v.node();
  const int64_t n = g.numel();
  const float* s = g.data();
  if (!node->grad.defined()) {
    // Only this node's own backward reads a non-leaf's gradient, and every in-place
    // write goes through own_grad(): the first one can share g's storage.
    if (node->backward) {
      node->grad = g.reshape(v.shape());
      return;
    }
    node->grad = Tensor::empty(v.shape());
    std::copy(s, s + n, node->grad.data());
    return;
  }
  // A shared gradient gets the sum in a new buffer: one pass instead of copy-then-add.
  float* d = node->grad.data();
  Tensor sum = node->grad.unique() ? node->grad : Tensor::empty(v.shape());
  float* out = sum.data();
#pragma omp parallel for simd schedule(static) if (n > 262144)
  for (int64_t i = 0; i < n; ++i) out[i] = d[i] + s[i];
  node->grad = std::move(sum);
}

void accumulate_grad(const Var& v, Tensor&& g) {
  if (!v.requires_grad()) return;
  Node* node = v.node();
  if (!node->grad.defined() && g.unique() && g.numel() == v.numel()) {
    node->grad = std::move(g).reshape(v.shape());
    return;
  }
  accumulate_grad(v, static_cast<const Tensor&>(g));
}

GradSink grad_sink(const Var& v) {
  Node* node = v.node();
  node->own_grad();
  if (node->grad.defined()) return {node->grad.data(), true};
  node->grad = Tensor::empty(node->value.shape());
  return {node->grad.data(), false};
}

bool grad_enabled() { return tl_grad_enabled; }

NoGradGuard::NoGradGuard() : previous_(tl_grad_enabled) { tl_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { tl_grad_enabled = previous_; }

Var make_result(Tensor value, const std::vector<Var>& parents,
                std::function<void(const Tensor& dout)> backward) {
  Var out(std::move(value));
  if (!grad_enabled()) return out;
  bool any = false;
  for (const Var& p : parents) any = any || p.requires_grad();
  if (!any) return out;
  Node* node = out.node();
  node->requires_grad = true;
  for (const Var& p : parents)
    if (p.requires_grad()) node->parents.push_back(p.node_ptr());
  node->backward = std::move(backward);
  return out;
}

}  // namespace attn
