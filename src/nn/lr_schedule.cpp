#include "nn/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace attn::nn {

float learning_rate(const ScheduleOptions& s, int64_t step) {
  const double t = static_cast<double>(std::max<int64_t>(step, 1));
  const double warm = static_cast<double>(s.warmup_steps);
  if (s.warmup_steps > 0 && t <= warm) return static_cast<float>(s.peak_lr * t / warm);
  switch (s.kind) {
    case ScheduleKind::constant:
      return s.peak_lr;
    case ScheduleKind::inverse_sqrt:
      // Continuous at the end of warmup: peak * sqrt(warmup / t).
      return static_cast<float>(s.peak_lr * std::sqrt(std::max(warm, 1.0) / t));
    case ScheduleKind::cosine: {
      const double span = std::max<double>(static_cast<double>(s.total_steps) - warm, 1.0);
      const double progress = std::clamp((t - warm) / span, 0.0, 1.0);
      return static_cast<float>(s.min_lr + (s.peak_lr - s.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
    }
  }
  return s.peak_lr;
}

}  // namespace attn::nn
