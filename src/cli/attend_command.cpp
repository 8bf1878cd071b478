#include "cli/commands.h"
#include "cli/not_yet.h"

namespace attn::cli {

Command add_attend_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("attend", "Dump every layer's and head's attention weights as JSON");
  return {sub, [] () -> int { ATTN_NOT_YET("attn attend"); }};
}

}  // namespace attn::cli
