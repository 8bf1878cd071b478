#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "base/build_info.h"
#include "base/error.h"
#include "cli/commands.h"
#include "kernels/cpu_features.h"
#include "kernels/matmul.h"

namespace attn::cli {

namespace {
std::string version_text() {
  const BuildInfo& b = build_info();
  return "attn " + b.version + "\ncommit " + b.git_commit + "\nbuild " + b.build_type + "\nsimd " +
         kernels::isa_name(kernels::detected_isa()) + "\nonednn " + kernels::onednn_version();
}

// CLI11 reports parse problems in several lines; scripts want one, naming the problem.
int usage_error(const CLI::ParseError& e) {
  std::string what = e.what();
  if (auto nl = what.find('\n'); nl != std::string::npos) what = what.substr(0, nl);
  std::fprintf(stderr, "attn: error: %s (see attn --help)\n", what.c_str());
  return exit_code(ErrorKind::usage);
}
}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"attn: attention-mechanism experiments on the CPU", "attn"};
  app.set_version_flag("--version", version_text, "Print version, git commit, build type, SIMD level, oneDNN version");
  app.require_subcommand(0, 1);
  app.fallthrough(false);
  std::vector<Command> commands = all_commands(app);
  set_invocation(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::fprintf(stderr, "attn: error: unknown subcommand '%s' (see attn --help)\n", argv[1]);
      return exit_code(ErrorKind::usage);
    }
    return usage_error(e);
  }
  try {
    for (Command& c : commands)
      if (c.app->parsed()) return c.run();
    std::fprintf(stderr, "attn: error: no subcommand given (try attn train, or attn --help)\n");
    return exit_code(ErrorKind::usage);
  } catch (const Error& e) {
    std::fprintf(stderr, "attn: error: %s\n", e.what());
    return exit_code(e.kind());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "attn: error: out of memory\n");
    return exit_code(ErrorKind::internal);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attn: error: %s\n", e.what());
    return exit_code(ErrorKind::internal);
  }
}

}  // namespace attn::cli
