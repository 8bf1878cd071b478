#include "cli/commands.h"
#include "cli/not_yet.h"

namespace attn::cli {

Command add_train_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("train", "Train an attention model on a task and write a run directory");
  return {sub, [] () -> int { ATTN_NOT_YET("attn train"); }};
}

}  // namespace attn::cli
