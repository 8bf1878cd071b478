#include "cli/commands.h"
#include "cli/not_yet.h"

namespace attn::cli {

Command add_eval_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("eval", "Evaluate a trained run on its validation or test split");
  return {sub, [] () -> int { ATTN_NOT_YET("attn eval"); }};
}

}  // namespace attn::cli
