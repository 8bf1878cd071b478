#include "cli/commands.h"

#include <cstdio>
#include <cstdlib>

namespace attn::cli {

namespace {
std::vector<std::string>& invocation_storage() {
  static std::vector<std::string> args;
  return args;
}
}  // namespace

void set_invocation(int argc, char** argv) { invocation_storage().assign(argv, argv + argc); }
const std::vector<std::string>& invocation() { return invocation_storage(); }

std::string plural(int64_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

CLI::Validator at_least(double min) {
  char bound[32];
  std::snprintf(bound, sizeof bound, "%g", min);
  return CLI::Validator(
      [min, bound = std::string(bound)](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) return "must be a number, got '" + text + "'";
        return v >= min ? "" : "must be >= " + bound + ", got " + text;
      },
      ">= " + std::string(bound));
}

std::vector<Command> all_commands(CLI::App& app) {
  return {add_train_command(app), add_eval_command(app), add_attend_command(app), add_forecast_command(app),
          add_visualize_command(app), add_bench_command(app), add_sweep_command(app),
          add_report_command(app), add_analyze_command(app)};
}

}  // namespace attn::cli
