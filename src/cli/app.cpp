#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <algorithm>
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
         kernels::isa_name(kernels::detected_isa()) + "\nonednn " + kernels::onednn_version() +
         "\nbf16 " + (kernels::has_avx512_bf16() ? "yes (AVX512-BF16)" : "no (needs AVX512-BF16)");
}

// `path` is the command the error belongs to ("attn eval"): its --help is the one that helps.
int usage_error(const std::string& message, const std::string& path = "attn") {
  std::fprintf(stderr, "attn: error: %s (see %s --help)\n", message.c_str(), path.c_str());
  return exit_code(ErrorKind::usage);
}

// The innermost subcommand the parse reached ("bench" for `attn bench frob`) and its command path.
const CLI::App* innermost(const CLI::App& app, std::string& path) {
  path = app.get_name();
  const CLI::App* at = &app;
  for (std::vector<const CLI::App*> parsed = at->get_subcommands({}); ;) {
    const auto next = std::find_if(parsed.begin(), parsed.end(), [](const CLI::App* s) { return s->parsed(); });
    if (next == parsed.end()) return at;
    at = *next;
    path += " " + at->get_name();
    parsed = at->get_subcommands({});
  }
}

// CLI11's "run is required" names the positional, not what to give: "attn eval: missing
// argument 'run' (run directory)". Other required options keep CLI11's words.
std::string missing_argument(const CLI::App& at, const std::string& what) {
  for (const CLI::Option* o : at.get_options())
    if (o->get_positional() && o->get_required() && o->count() == 0)
      return "attn " + at.get_name() + ": missing argument '" + o->get_name() + "' (" + o->get_description() + ")";
  return what;
}

// CLI11 reports parse problems in its own words, some on several lines; scripts want
// one line naming the problem, worded like the subcommands' own errors.
int parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::string path;
  const CLI::App* at = innermost(app, path);
  std::vector<std::string> choices;
  for (const CLI::App* s : at->get_subcommands({})) choices.push_back(s->get_name());
  const bool needs_subcommand = !choices.empty() && at->get_require_subcommand_min() > 0 &&
                                std::none_of(choices.begin(), choices.end(), [&](const std::string& name) {
                                  return at->get_subcommand(name)->parsed();
                                });
  // The first word after the command path that is not an option: the would-be subcommand.
  std::string word;
  int depth = 0;
  for (int i = 1; i < argc && word.empty(); ++i) {
    if (argv[i][0] == '-') continue;
    if (depth++ >= static_cast<int>(std::count(path.begin(), path.end(), ' '))) word = argv[i];
  }
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  const bool unknown_word = !word.empty() && std::find(choices.begin(), choices.end(), word) == choices.end();
  if (needs_subcommand || (at == &app && unknown_word))
    return usage_error(!unknown_word ? "'" + path + "' needs a subcommand (" + list + ")"
                                    : "unknown subcommand '" + word + "' of '" + path + "' (" + list + ")");
  if (dynamic_cast<const CLI::ExtrasError*>(&e) && at == &app && argc > 1)
    return usage_error("unknown option '" + std::string(argv[1]) + "'");
  std::string what = e.what();
  if (auto nl = what.find('\n'); nl != std::string::npos) what = what.substr(0, nl);
  if (dynamic_cast<const CLI::RequiredError*>(&e) && at != &app) what = missing_argument(*at, what);
  return usage_error(what, path);
}
}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"attn: attention-mechanism experiments on the CPU", "attn"};
  app.set_version_flag("--version", version_text, "Print version, git commit, build type, SIMD level, oneDNN version, bf16 availability");
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
    return parse_error(app, e, argc, argv);
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
