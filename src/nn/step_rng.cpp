#include "nn/step_rng.h"

namespace attn::nn {

namespace {
thread_local Rng tl_rng(0, 0);
}

Rng& step_rng() { return tl_rng; }

StepRngScope::StepRngScope(uint64_t seed, uint64_t step) : previous_(tl_rng) {
  tl_rng = Rng(seed, step).fork(0xD80u);
}

StepRngScope::~StepRngScope() { tl_rng = previous_; }

}  // namespace attn::nn
