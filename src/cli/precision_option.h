// `--precision fp32|bf16` of the commands that take no training config (eval, attend,
// bench); `attn train` gets it from the config key `precision`. Default fp32: the
// checkpoints are fp32, so any run evaluates in either precision.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "kernels/precision.h"

namespace attn::cli {

void add_precision_option(CLI::App& app, std::string& value);

// The precision named by value, after checking that this CPU runs it (usage error, exit 2).
kernels::Precision checked_precision(const std::string& value);

}  // namespace attn::cli
