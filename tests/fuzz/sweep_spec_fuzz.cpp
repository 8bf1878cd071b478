// Sweep spec files (`attn sweep --spec FILE`): read as the sweep command reads them, then
// check_spec and the base config. An accepted spec round-trips through to_json (sweep.json), and
// a spec of a few trials is expanded into its trial commands (large plans are h-harden's bound).
#include <optional>

#include "experiment/json_file.h"
#include "experiment/sweep_plan.h"
#include "experiment/sweep_spec.h"
#include "fuzz_support.h"

using namespace attn;
using namespace attn::experiment;

namespace {
// Trials the spec expands to, saturating at `cap`.
int64_t planned_size(const SweepSpec& spec, int64_t cap) {
  int64_t total = 0;
  const int64_t per_point = std::max<int64_t>(spec.trials, 1) * std::max<int64_t>(spec.seeds.size(), 1);
  for (const Grid& grid : spec.grids.empty() ? std::vector<Grid>{Grid{}} : spec.grids) {
    int64_t points = per_point;
    for (const GridAxis& axis : grid) points = std::min<int64_t>(cap, points * std::max<int64_t>(axis.values.size(), 1));
    total = std::min(cap, total + points);
  }
  return total;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fuzz::scratch_dir() / "sweep.json";
  fuzz::write_file(path, fuzz::bytes_of(data, size));
  std::optional<SweepSpec> spec;
  fuzz::reject_or_accept([&] {
    spec = spec_from_json(read_json_file(path, ErrorKind::config), path.string());
    check_spec(*spec);
  });
  if (!spec) return 0;
  ATTN_FUZZ_CHECK(spec_from_json(to_json(*spec), "round trip") == *spec);  // an Error here aborts
  fuzz::reject_or_accept([&] {
    base_config(*spec);
    if (planned_size(*spec, 65) <= 64)
      for (const PlannedTrial& trial : plan_trials(*spec)) trial_command(*spec, trial, "attn", "sweep", 1);
  });
  return 0;
}
