// The resume-after-SIGKILL check every task's end-to-end test makes: a run killed as
// soon as its first last-checkpoint exists, then resumed, must end as a whole run does.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/run_attn.h"

namespace attn::testing {

// Starts `train_args` (a training run whose --out is run_dir) in the background, polls
// every poll_ms (for up to 1,200 polls) for run_dir/checkpoints/last.safetensors, kills
// the run with SIGKILL and resumes it with --quiet --json: the resumed run's result.
inline RunResult kill_at_checkpoint_then_resume(std::vector<std::string> train_args, const std::string& run_dir,
                                                int poll_ms = 25) {
  const int pid = start_attn(std::move(train_args));
  const std::filesystem::path last = std::filesystem::path(run_dir) / "checkpoints/last.safetensors";
  for (int i = 0; i < 1200 && !std::filesystem::exists(last); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(std::filesystem::exists(last));
  return run_attn({"train", "--resume", run_dir, "--quiet", "--json"});
}

}  // namespace attn::testing
