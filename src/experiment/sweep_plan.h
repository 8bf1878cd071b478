// A sweep spec expanded into its trials, and the `attn train` command of each.
// The expansion is deterministic: grid points in the order the keys are written
// (the first key varies slowest), then the random draws of each point (one
// 64-bit Mersenne Twister stream seeded with the base config's seed, consumed in
// trial order, so the same spec and seed give the same trials on any machine),
// then the training seeds. Running the commands is sweep_runner.h's job.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "experiment/sweep_spec.h"

namespace attn::experiment {

// Config keys a trial sets on top of the base, as key and --set value.
using Overrides = std::vector<std::pair<std::string, std::string>>;

struct PlannedTrial {
  std::string id;  // its directory under the sweep directory: "trial-003-heads=4-seed=2"
  Overrides overrides;
  bool operator==(const PlannedTrial&) const = default;
};

std::vector<PlannedTrial> plan_trials(const SweepSpec& spec);

// The self-contained command of one trial: `<binary> train --out <dir> --quiet
// --threads <threads> --set <base key>=... --set <trial key>=...`; trial keys
// come last, so they win over the base.
std::vector<std::string> trial_command(const SweepSpec& spec, const PlannedTrial& trial, const std::string& binary,
                                       const std::filesystem::path& dir, int64_t threads);

// argv as one line a POSIX shell reads back into the same words.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace attn::experiment
