// The random stream dropout draws from. A trainer opens a StepRngScope per
// training step; the stream is a pure function of (seed, step), and draws
// happen in forward order, so a resumed run reproduces the same masks without
// saving any generator state.
#pragma once

#include <cstdint>

#include "tensor/rng.h"

namespace attn::nn {

// The current thread's dropout stream (a fixed default stream outside any scope).
Rng& step_rng();

class StepRngScope {
 public:
  StepRngScope(uint64_t seed, uint64_t step);
  ~StepRngScope();
  StepRngScope(const StepRngScope&) = delete;
  StepRngScope& operator=(const StepRngScope&) = delete;

 private:
  Rng previous_;
};

}  // namespace attn::nn
