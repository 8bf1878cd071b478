// The config keys of `attn train` as command-line flags, generated from the
// config schema (experiment/config_schema.h): every key `batch_size` is a flag
// `--batch-size 64`, a bool key also has `--no-<key>`; plus `--config FILE` and
// repeatable `--set key=value`. Flag values are checked while CLI11 parses (a
// bad one is a usage error); resolve() merges with the documented precedence.
// The app is set to allow extras so that resolve() can report an unknown flag as
// "unknown option '--lrate' (did you mean '--lr'?)" (Error kind usage): a command
// using ConfigFlags must call resolve() before acting on anything it parsed.
// Flags that do not belong to the config (--out, --resume, --quiet, --json) are
// added by the command itself.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "experiment/config.h"

namespace attn::cli {

class ConfigFlags {
 public:
  // Adds the flags to `app`; the object may be copied (e.g. into the command's closure).
  explicit ConfigFlags(CLI::App& app);

  // After app.parse(): `base` < --config file < flags < --set, then validate().
  // Throws Error kind usage for an unknown flag or stray argument, config for a bad
  // key or value in the file or --set, io for an unreadable --config file.
  experiment::TrainConfig resolve(const experiment::TrainConfig& base = {}) const;

  // The config options the user gave ("--config", "--set", "--lr", ...), each once.
  std::vector<std::string> given() const;
  bool any_given() const { return !given().empty(); }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace attn::cli
