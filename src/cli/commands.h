// The subcommand registry: each subcommand lives in its own file and adds
// itself to the app through one function listed in all_commands().
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace attn::cli {

struct Command {
  CLI::App* app;             // the parsed subcommand
  std::function<int()> run;  // returns the process exit code
};

Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_attend_command(CLI::App& app);
Command add_forecast_command(CLI::App& app);
Command add_visualize_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_analyze_command(CLI::App& app);

std::vector<Command> all_commands(CLI::App& app);

// A lower bound on a numeric option, failing as "--steps: must be >= 1, got 0"
// (CLI11's own PositiveNumber prints its upper bound, a 300-digit number).
CLI::Validator at_least(double min);

// "1 input", "2 inputs": a count and its noun (plural by appending "s").
std::string plural(int64_t count, const std::string& noun);

// "a, b, c" style lists in messages.
std::string join(const std::vector<std::string>& items, const std::string& separator);

// The process's argv, as given (recorded in run records).
void set_invocation(int argc, char** argv);
const std::vector<std::string>& invocation();

}  // namespace attn::cli
