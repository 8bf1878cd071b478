#include "cli/commands.h"
#include "cli/not_yet.h"

namespace attn::cli {

Command add_bench_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("bench", "Benchmark attention kernels and training steps");
  return {sub, [] () -> int { ATTN_NOT_YET("attn bench"); }};
}

}  // namespace attn::cli
