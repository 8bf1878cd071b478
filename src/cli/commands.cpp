#include "cli/commands.h"

namespace attn::cli {

namespace {
std::vector<std::string>& invocation_storage() {
  static std::vector<std::string> args;
  return args;
}
}  // namespace

void set_invocation(int argc, char** argv) { invocation_storage().assign(argv, argv + argc); }
const std::vector<std::string>& invocation() { return invocation_storage(); }

std::vector<Command> all_commands(CLI::App& app) {
  return {add_train_command(app), add_eval_command(app), add_attend_command(app),
          add_visualize_command(app), add_bench_command(app)};
}

}  // namespace attn::cli
