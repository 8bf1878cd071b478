// A tiny trained run for end-to-end tests of bad input, and the one-line check
// every error message must pass.
#pragma once

#include <catch2/catch.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "support/run_attn.h"

namespace attn::testing {

inline bool one_line(const std::string& err) { return std::count(err.begin(), err.end(), '\n') == 1; }

// A copy-task Transformer small enough to train in well under a second.
inline std::vector<std::string> tiny_train_args(const std::string& out) {
  return {"train",   "--task",        "copy", "--out",          out,  "--max-steps",      "2",  "--eval-every",
          "2",       "--width",       "16",   "--heads",        "2",  "--ff-width",       "32", "--enc-layers",
          "1",       "--dec-layers",  "1",    "--max-len",      "4",  "--eval-long-len",  "6",  "--synth-train-size",
          "64",      "--synth-eval-size", "8", "--batch-size",  "8",  "--threads",        "1",  "--quiet"};
}

inline std::string tiny_run(const std::string& out) {
  auto r = run_attn(tiny_train_args(out));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return out;
}

}  // namespace attn::testing
