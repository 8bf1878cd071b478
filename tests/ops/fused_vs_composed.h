// Checks shared by tests of fused ops (one op with a hand-written backward)
// against the composition of existing ops they replace, and of their
// independence from the thread count.
#pragma once

#include <catch2/catch.hpp>
#include <omp.h>

#include <functional>
#include <vector>

#include "autodiff/var.h"

namespace attn::testing {

// Fresh trainable copies of the inputs, so two computations never share gradients.
inline std::vector<Var> parameters_from(const std::vector<Tensor>& inputs) {
  std::vector<Var> vars;
  for (const Tensor& t : inputs) vars.push_back(Var::parameter(t.clone()));
  return vars;
}

// Backward of the same seed through both outputs; every input's gradient must agree within margin.
inline void require_same_gradients(Var fused, Var composed, const std::vector<Var>& fused_in,
                                   const std::vector<Var>& composed_in, const Tensor& seed, double margin) {
  fused.backward(seed);
  composed.backward(seed);
  for (size_t k = 0; k < fused_in.size(); ++k) {
    INFO("gradient of input " << k);
    const Tensor &got = fused_in[k].grad(), &want = composed_in[k].grad();
    REQUIRE(got.numel() == want.numel());
    for (int64_t i = 0; i < want.numel(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(margin));
  }
}

// The op's output and every input's gradient, bit for bit the same with 1 and 2 threads.
inline void require_thread_count_independent(const std::vector<Tensor>& inputs, const Tensor& seed,
                                             const std::function<Var(const std::vector<Var>&)>& op) {
  auto run = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::vector<Var> v = parameters_from(inputs);
    Var out = op(v);
    out.backward(seed);
    omp_set_num_threads(before);
    std::vector<Tensor> result{out.value()};
    for (const Var& x : v) result.push_back(x.grad());
    return result;
  };
  const std::vector<Tensor> one = run(1), two = run(2);
  for (size_t k = 0; k < one.size(); ++k) {
    INFO("tensor " << k << " (0 = output, then the gradient of each input)");
    REQUIRE(one[k].numel() == two[k].numel());
    for (int64_t i = 0; i < one[k].numel(); ++i) REQUIRE(one[k][i] == two[k][i]);
  }
}

}  // namespace attn::testing
