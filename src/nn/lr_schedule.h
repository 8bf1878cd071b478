// Learning-rate schedules as pure functions of the step, so a resumed run needs
// no schedule state beyond the step count.
#pragma once

#include <cstdint>

namespace attn::nn {

enum class ScheduleKind { constant, inverse_sqrt, cosine };

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::constant;
  float peak_lr = 1e-3f;
  int64_t warmup_steps = 0;  // linear warmup from 0 to peak_lr (all kinds)
  int64_t total_steps = 0;   // cosine decays to min_lr at total_steps
  float min_lr = 0.0f;
};

// Learning rate for 1-based step `step`.
float learning_rate(const ScheduleOptions& s, int64_t step);

}  // namespace attn::nn
