#include <cstdio>
#include <vector>
#include <iostream>

#include "cli/commands.h"
#include "cli/config_flags.h"
#include "cli/progress.h"
#include "experiment/json_file.h"
#include "experiment/precision_support.h"
#include "experiment/run_dir.h"
#include "experiment/run_loader.h"
#include "experiment/trainer.h"

namespace attn::cli {

namespace {
struct TrainFlags {
  std::string out, resume, runs_dir = "runs";
  bool quiet = false, json = false;
};

// Best effort, on the way out with an error: the record as the trainer left it, if any.
void print_failed_record(const std::filesystem::path& run_dir) noexcept {
  try {
    if (std::filesystem::exists(run_dir / "record.json"))
      std::cout << experiment::to_json(experiment::load_record(run_dir)).dump(2) << "\n";
  } catch (...) {
  }
}
}  // namespace

Command add_train_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("train", "Train an attention model on a task and write a run directory");
  auto flags = std::make_shared<TrainFlags>();
  ConfigFlags config_flags(*sub);
  sub->add_option("--out", flags->out, "run directory (default: <runs-dir>/<task>-<timestamp>)");
  sub->add_option("--runs-dir", flags->runs_dir, "where new run directories go")->capture_default_str();
  sub->add_option("--resume", flags->resume, "continue the run in this directory from its last checkpoint");
  sub->add_flag("--quiet", flags->quiet, "no progress output");
  sub->add_flag("--json", flags->json, "print the final record as JSON on stdout");
  sub->footer("Every config key is a flag; see the README for keys, the record schema and exit codes.");
  return {sub, [flags, config_flags]() -> int {
            experiment::TrainRequest request;
            request.command_line = invocation();
            auto run_dir = std::make_shared<std::filesystem::path>(flags->resume);  // for the --resume hint
            if (!flags->resume.empty()) {
              std::vector<std::string> extra = config_flags.given();
              const bool extend = std::erase(extra, "--max-steps") > 0;
              if (!flags->out.empty()) extra.push_back("--out");
              ATTN_CHECK(extra.empty(), usage, "--resume continues a run with its saved config (only --max-steps ",
                         "may extend it); drop ", join(extra, ", "));
              request.run_dir = experiment::open_run_dir_for_resume(flags->resume);
              experiment::TrainConfig saved =
                  experiment::load_run_config(request.run_dir, experiment::load_record(request.run_dir));
              if (extend) {
                request.extend_to = config_flags.resolve().max_steps;
                saved.max_steps = request.extend_to;
                saved.epochs = 0;  // the new length is in steps
              }
              request.config = saved;
              request.resume = true;
            } else {
              request.config = config_flags.resolve();
              experiment::check_precision_supported(request.config.precision);  // before any warning or file
              // Warned, not refused: short trial runs (--max-steps 20) with the default warmup are common.
              const experiment::TrainConfig& c = request.config;
              if (!flags->quiet && c.max_steps > 0 && c.warmup_steps > c.max_steps)
                std::fprintf(stderr, "attn: warning: warmup_steps %lld > max_steps %lld: the learning rate never reaches lr %g\n",
                             static_cast<long long>(c.warmup_steps), static_cast<long long>(c.max_steps), c.lr);
              // Refuse an --out that holds a run before any work (claim_run_dir throws for it).
              if (!flags->out.empty() && std::filesystem::exists(std::filesystem::path(flags->out) / "record.json"))
                experiment::claim_run_dir(flags->out);
              request.create_run_dir = [flags, run_dir, task = std::string(experiment::enum_name(request.config.task))] {
                std::filesystem::path dir = flags->out.empty() ? experiment::create_run_dir(flags->runs_dir, task)
                                                               : experiment::claim_run_dir(flags->out);
                if (!flags->quiet) std::fprintf(stderr, "run directory: %s\n", dir.c_str());
                *run_dir = dir;
                return dir;
              };
            }
            ProgressPrinter printer(flags->quiet);
            request.on_progress = [&printer](const experiment::TrainProgress& p) { printer(p); };
            experiment::TrainResult result;
            try {
              result = experiment::train(request);
            } catch (...) {
              // The trainer marked the run failed with its message: --json shows that record too.
              printer.finish();
              if (flags->json && !run_dir->empty()) print_failed_record(*run_dir);
              throw;
            }
            printer.finish();
            const experiment::RunRecord& r = result.record;
            if (result.already_finished) {
              if (!flags->quiet)
                std::fprintf(stderr, "%s: already %s after %lld steps; left unchanged (train on: attn train --resume %s "
                             "--max-steps N, N > %lld)\n", r.id.c_str(), experiment::status_name(r.status),
                             static_cast<long long>(r.steps), flags->resume.c_str(), static_cast<long long>(r.steps));
            } else if (!flags->quiet || result.exit_code != 0) {
              std::string best = r.best ? r.best->metric + " " + std::to_string(r.best->value) + " at step " +
                                              std::to_string(r.best->step)
                                        : "no evaluation";
              std::fprintf(stderr, "%s: %s after %lld steps, %.1f s; best %s%s%s\n", r.id.c_str(),
                           experiment::status_name(r.status), static_cast<long long>(r.steps), r.wall_time_s,
                           best.c_str(), r.message.empty() ? "" : "; ", r.message.c_str());
              if (r.status == experiment::RunStatus::interrupted)
                std::fprintf(stderr, "continue it with: attn train --resume %s\n", run_dir->c_str());
            }
            if (flags->json) std::cout << experiment::to_json(r).dump(2) << "\n";
            return result.exit_code;
          }};
}

}  // namespace attn::cli
