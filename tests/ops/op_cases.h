// The op-test table: each differentiable op with its input shapes and
// tolerance, run through the generic central-difference gradcheck. Family test
// files build their rows and call run_op_cases.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/gradcheck.h"
#include "tensor/rng.h"

namespace attn::testing {

struct OpCase {
  std::string name;
  std::vector<Shape> shapes;  // inputs, filled with uniform(-1, 1) from a per-case seed
  VarFunction f;
  GradcheckOptions options{};
  // Optional: reshape the random inputs into the op's domain (e.g. positive for log).
  std::function<void(std::vector<Tensor>&)> prepare{};
};

inline std::vector<Tensor> random_inputs(const OpCase& c, uint64_t seed) {
  Rng rng(seed, 0);
  std::vector<Tensor> inputs;
  for (const Shape& s : c.shapes) {
    Tensor t = Tensor::empty(s);
    rng.fill_uniform(t.data(), t.numel(), -1.0f, 1.0f);
    inputs.push_back(t);
  }
  if (c.prepare) c.prepare(inputs);
  return inputs;
}

inline void run_op_cases(const std::vector<OpCase>& cases) {
  uint64_t seed = 1;
  for (const OpCase& c : cases) {
    DYNAMIC_SECTION(c.name) {
      GradcheckResult r = gradcheck(c.f, random_inputs(c, seed), c.options);
      INFO(c.name << ": " << r.detail << " (max abs error " << r.max_abs_error << ")");
      CHECK(r.ok);
    }
    ++seed;
  }
}

}  // namespace attn::testing
