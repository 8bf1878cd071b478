#include "cli/commands.h"
#include "cli/not_yet.h"

namespace attn::cli {

Command add_visualize_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("visualize", "Render attention JSON as HTML/SVG heatmaps, or run records as learning curves");
  return {sub, [] () -> int { ATTN_NOT_YET("attn visualize"); }};
}

}  // namespace attn::cli
