// `attn sweep`: a spec from a file and/or flags, a base config from the same
// flags as `attn train`, then either run the trials here (-j N at a time) or
// print their commands for another scheduler (--emit-commands).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "cli/config_flags.h"
#include "experiment/child_process.h"
#include "experiment/sweep_runner.h"

namespace attn::cli {

namespace fs = std::filesystem;
using experiment::SweepSpec;

namespace {

struct SweepFlags {
  std::string spec_file, out, binary;
  std::vector<std::string> grids, randoms;
  std::string seeds;
  int64_t trials = 0;  // 0: not given
  int64_t jobs = 1;
  bool oversubscribe = false, retry_failed = false, emit_commands = false, quiet = false;
};

std::string default_sweep_dir() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return std::string("runs/sweep-") + buf;
}

// Flags win over the spec file: a --grid or --random key replaces the file's entry for that key.
void merge_flags(SweepSpec& spec, const SweepFlags& f) {
  for (const std::string& text : f.grids) {
    experiment::GridAxis axis = experiment::parse_grid_axis(text, ErrorKind::usage);
    if (spec.grids.empty()) spec.grids.emplace_back();
    for (experiment::Grid& grid : spec.grids) {
      auto same = std::find_if(grid.begin(), grid.end(), [&](const auto& a) { return a.key == axis.key; });
      if (same != grid.end()) *same = axis;
      else grid.push_back(axis);
    }
  }
  for (const std::string& text : f.randoms) {
    experiment::RandomParam p = experiment::parse_random(text, ErrorKind::usage);
    auto same = std::find_if(spec.random.begin(), spec.random.end(), [&](const auto& r) { return r.key == p.key; });
    if (same != spec.random.end()) *same = p;
    else spec.random.push_back(p);
  }
  if (f.trials > 0) spec.trials = f.trials;
  if (!f.seeds.empty()) spec.seeds = experiment::parse_seeds(f.seeds, ErrorKind::usage);
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("sweep", "Run many training runs over a grid or random search of config values");
  auto f = std::make_shared<SweepFlags>();
  ConfigFlags config_flags(*sub);
  sub->add_option("spec", f->spec_file, "sweep spec JSON (base, grid, random, trials, seeds); see docs/sweeps.md");
  sub->add_option("--grid", f->grids, "vary a key over values; repeatable: --grid heads=2,4 --grid lr=1e-3,3e-3")
      ->type_name("KEY=V1,V2,...");
  sub->add_option("--random", f->randoms, "draw a key per trial: uniform(a,b), loguniform(a,b), choice(a,b,...)")
      ->type_name("KEY=DIST");
  sub->add_option("--trials", f->trials, "random draws per grid point (with --random; the draws are seeded by --seed)")
      ->check(at_least(1));
  sub->add_option("--seeds", f->seeds, "repeat every configuration with these training seeds")->type_name("S1,S2,...");
  sub->add_option("--out", f->out, "sweep directory (default: runs/sweep-<timestamp>); an existing one is continued");
  CLI::Option* jobs_option = sub->add_option("-j,--jobs", f->jobs,
                                             "trials at a time; the cores are divided among them (a re-run keeps "
                                             "the sweep's own)")
                                  ->capture_default_str()
                                  ->check(at_least(1));
  sub->add_flag("--oversubscribe", f->oversubscribe, "allow -j beyond the number of cores");
  sub->add_flag("--retry-failed", f->retry_failed, "re-run failed and diverged trials (kept as they are otherwise)");
  sub->add_flag("--emit-commands", f->emit_commands,
                "print one `attn train` command per trial (for GNU parallel, Slurm) and run nothing");
  sub->add_option("--binary", f->binary, "the attn command --emit-commands writes (default: this binary's path)");
  sub->add_flag("--quiet", f->quiet, "no progress lines");
  sub->footer("Exit code: 0 if every trial succeeded, else the number of failed trials (at most 100); "
              "130 if interrupted. Config flags set the base of every trial. See docs/sweeps.md.");
  return {sub, [f, config_flags, jobs_option]() -> int {
            const bool spec_given = !f->spec_file.empty() || !f->grids.empty() || !f->randoms.empty() ||
                                    f->trials > 0 || !f->seeds.empty() || config_flags.any_given();
            SweepSpec spec;
            std::optional<experiment::SweepIndex> previous;  // the sweep this command continues, if any
            if (!spec_given && !f->out.empty() && fs::exists(fs::path(f->out) / experiment::kSweepFile)) {
              config_flags.resolve();  // rejects stray arguments
              previous = experiment::load_sweep_index(f->out);
              spec = previous->spec;
            } else {
              if (!f->spec_file.empty())
                spec = experiment::spec_from_json(experiment::read_json_file(f->spec_file, ErrorKind::config),
                                                  f->spec_file);
              merge_flags(spec, *f);
              spec.base = experiment::config_delta(config_flags.resolve(experiment::base_config(spec)));
              experiment::check_spec(spec);
            }
            const fs::path dir = f->out.empty() ? default_sweep_dir() : f->out;
            const int64_t cores = std::max<unsigned>(1, std::thread::hardware_concurrency());
            // A re-run without -j splits the cores as the sweep did, so its remaining trials
            // run like the finished ones (their records name the thread count).
            const bool keep_split = previous && jobs_option->count() == 0;
            const int64_t jobs = keep_split ? previous->jobs : experiment::clamp_jobs(f->jobs, cores, f->oversubscribe);
            const int64_t base_threads = experiment::base_config(spec).threads;
            const int64_t threads = keep_split          ? previous->threads_per_trial
                                    : base_threads > 0 ? base_threads
                                                       : experiment::threads_per_trial(cores, jobs);

            if (f->emit_commands) {
              const std::string binary = f->binary.empty() ? experiment::self_executable() : f->binary;
              for (const experiment::PlannedTrial& t : experiment::plan_trials(spec))
                std::cout << experiment::shell_join(experiment::trial_command(spec, t, binary, dir / t.id, threads))
                          << "\n";
              return 0;
            }
            ATTN_CHECK(f->binary.empty(), usage, "--binary only applies to --emit-commands");
            if (jobs < f->jobs && !f->quiet)
              std::fprintf(stderr, "attn sweep: -j %lld exceeds the %lld cores; running %lld at a time "
                                   "(--oversubscribe to insist)\n",
                           static_cast<long long>(f->jobs), static_cast<long long>(cores), static_cast<long long>(jobs));
            experiment::SweepOptions options;
            options.dir = dir;
            options.spec = spec;
            options.binary = experiment::self_executable();
            options.jobs = jobs;
            options.threads = threads;
            options.cores = cores;
            options.retry_failed = f->retry_failed;
            options.command_line = invocation();
            if (!f->quiet) options.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
            const experiment::SweepOutcome outcome = experiment::run_sweep(options);
            if (!f->quiet || outcome.failed > 0) {
              std::fprintf(stderr, "sweep %s %s: %lld of %lld trials succeeded, %lld failed; %.1f s (attn report %s)\n",
                           dir.c_str(), outcome.index.status.c_str(), static_cast<long long>(outcome.succeeded),
                           static_cast<long long>(outcome.index.trials.size()), static_cast<long long>(outcome.failed),
                           outcome.index.wall_time_s, dir.c_str());
              for (const experiment::SweepTrial& t : outcome.index.trials)
                if (t.status == "failed" || t.status == "diverged")
                  std::fprintf(stderr, "  %s %s: %s\n", t.id.c_str(), t.status.c_str(), t.message.c_str());
            }
            if (outcome.interrupted) return 130;
            return static_cast<int>(std::min<int64_t>(outcome.failed, 100));
          }};
}

}  // namespace attn::cli
