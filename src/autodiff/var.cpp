#include "autodiff/var.h"

#include <unordered_set>

#include "base/error.h"

namespace attn {

namespace {
thread_local bool tl_grad_enabled = true;
}

Tensor& Node::grad_buffer() {
  if (!grad.defined()) grad = Tensor::zeros(value.shape());
  return grad;
}

Var::Var(Tensor value, bool requires_grad) : node_(std::make_shared<Node>()) {
  node_->value = std::move(value);
  node_->requires_grad = requires_grad;
}

void Var::zero_grad() {
  if (node_ && node_->grad.defined()) node_->grad.zero();
}

void Var::backward() {
  ATTN_CHECK(numel() == 1, shape, "backward() without a seed needs a scalar, got shape ", to_string(shape()));
  backward(Tensor::full(shape(), 1.0f));
}

void Var::backward(const Tensor& seed) {
  ATTN_CHECK(seed.numel() == numel(), shape, "backward seed of shape ", to_string(seed.shape()),
             " for a value of shape ", to_string(shape()));
  if (!requires_grad()) return;
  // Iterative post-order DFS: a node comes after all nodes it depends on.
  std::vector<Node*> order;
  std::unordered_set<Node*> seen;
  std::vector<std::pair<Node*, size_t>> stack{{node_.get(), 0}};
  seen.insert(node_.get());
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->parents.size()) {
      Node* parent = node->parents[next++].get();
      if (parent->requires_grad && seen.insert(parent).second) stack.push_back({parent, 0});
    } else {
      order.push_back(node);
      stack.pop_back();
    }
  }
  Tensor& g = node_->grad_buffer();
  const float* s = seed.data();
  float* gd = g.data();
  for (int64_t i = 0; i < g.numel(); ++i) gd[i] += s[i];
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node* node = *it;
    if (node->backward && node->grad.defined()) node->backward(node->grad);
  }
  // Release the graph: intermediate values and closures go as soon as handles drop.
  for (Node* node : order) {
    node->backward = nullptr;
    node->parents.clear();
  }
}

void accumulate_grad(const Var& v, const Tensor& g) {
  if (!v.requires_grad()) return;
  Tensor& dst = v.node()->grad_buffer();
  ATTN_CHECK(dst.numel() == g.numel(), internal, "gradient of shape ", to_string(g.shape()),
             " for a value of shape ", to_string(dst.shape()));
  float* d = dst.data();
  const float* s = g.data();
  const int64_t n = dst.numel();
#pragma omp parallel for simd schedule(static) if (n > 262144)
  for (int64_t i = 0; i < n; ++i) d[i] += s[i];
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
