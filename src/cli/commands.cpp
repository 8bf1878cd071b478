#include "cli/commands.h"

namespace attn::cli {

std::vector<Command> all_commands(CLI::App& app) {
  return {add_train_command(app), add_eval_command(app), add_attend_command(app),
          add_visualize_command(app), add_bench_command(app)};
}

}  // namespace attn::cli
