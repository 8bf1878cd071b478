// `attn analyze RUN`: per-head statistics, importance, pruning curve and alignment quality of
// a trained run over a split (experiment/analysis.h); writes RUN/analysis.json and prints a
// summary, or with --json the document itself.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/worker_threads.h"
#include "cli/commands.h"
#include "experiment/analysis.h"
#include "experiment/atomic_file.h"

namespace attn::cli {

namespace {
struct AnalyzeFlags {
  std::string run, split = "valid", checkpoint = "best", mask_heads, out;
  int64_t limit = 0, prune_steps = 0, batch_size = 64;
  int threads = 0;
  bool json = false, no_pruning = false;
};

void print_summary(const experiment::Json& a) {
  const experiment::Json& metric = a["metric"];
  std::printf("%s  %s  %lld examples  %s %.4f%s\n", a["run"].get<std::string>().c_str(),
              a["split"].get<std::string>().c_str(), a["examples"].get<long long>(),
              metric["name"].get<std::string>().c_str(), metric["value"].get<double>(),
              metric["lower_is_better"].get<bool>() ? " (lower is better)" : "");
  if (!a["masked_throughout"].get<std::string>().empty())
    std::printf("masked throughout: %s\n", a["masked_throughout"].get<std::string>().c_str());
  std::printf("\n%-30s %4s %8s %8s %8s %8s %8s %10s %10s\n", "layer", "head", "entropy", "distance", "diagonal",
              "first", "last", "importance", "masked");
  for (const auto& layer : a["layers"])
    for (const auto& head : layer["heads"]) {
      std::printf("%-30s %4lld %8.3f %8.3f %8.3f %8.3f %8.3f", layer["name"].get<std::string>().c_str(),
                  head["head"].get<long long>(), head["entropy"].get<double>(), head["distance"].get<double>(),
                  head["diagonal"].get<double>(), head["first"].get<double>(), head["last"].get<double>());
      if (head.contains("importance")) std::printf(" %10.3f", head["importance"].get<double>());
      else std::printf(" %10s", "-");
      if (head.contains("metric_masked")) std::printf(" %10.4f", head["metric_masked"].get<double>());
      else std::printf(" %10s", "-");
      std::printf("\n");
    }
  const auto& curve = a["pruning"]["curve"];
  if (!curve.empty()) {
    std::printf("\npruning (least important first):");
    for (const auto& point : curve)
      std::printf("  k=%lld %.4f", point["k"].get<long long>(), point["metric"].get<double>());
    std::printf("\n");
  } else if (a["pruning"]["order"].empty()) {
    std::printf("\nno multi-head attention layers: no importance or pruning (RNN attention and pooling have no heads to gate)\n");
  }
  for (const auto& layer : a["alignment"]) {
    std::printf("\nalignment %s:", layer["name"].get<std::string>().c_str());
    for (const auto& head : layer["heads"])
      std::printf("  head %lld AER %.3f mass %.3f", head["head"].get<long long>(), head["aer"].get<double>(),
                  head["mass"].get<double>());
    std::printf("  | head mean AER %.3f mass %.3f\n", layer["head_mean"]["aer"].get<double>(),
                layer["head_mean"]["mass"].get<double>());
  }
}
}  // namespace

Command add_analyze_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "analyze", "Per-head statistics, head importance, pruning curve and alignment quality of a run");
  auto f = std::make_shared<AnalyzeFlags>();
  sub->add_option("run", f->run, "run directory")->required();
  sub->add_option("--split", f->split, "valid | test")->check(CLI::IsMember({"valid", "test"}))->capture_default_str();
  sub->add_option("--checkpoint", f->checkpoint, "best | last | PATH to a .safetensors file")->capture_default_str();
  sub->add_option("--limit", f->limit, "analyse the first N examples of the split (0 = all)")->check(at_least(0));
  sub->add_option("--prune-steps", f->prune_steps,
                  "points of the pruning curve besides k = 0 (0 = every k from 0 to all heads)")
      ->check(at_least(0));
  sub->add_flag("--no-pruning", f->no_pruning, "skip the masked evaluations (per-head masked metric, pruning curve)");
  sub->add_option("--mask-heads", f->mask_heads, "LAYER:HEAD,…: analyse with these heads masked throughout");
  sub->add_option("--batch-size", f->batch_size, "examples evaluated together")->check(CLI::Range(1, 100000));
  sub->add_option("--threads", f->threads, "worker threads (0 = all cores)")->check(CLI::Range(0, 1024));
  sub->add_option("--out", f->out, "where to write the analysis (default: RUN/analysis.json)");
  sub->add_flag("--json", f->json, "print the analysis JSON on stdout instead of the summary");
  return {sub, [f]() -> int {
            if (f->threads > 0) set_worker_threads(f->threads);
            experiment::AnalyzeRequest request;
            if (!f->mask_heads.empty()) request.mask_heads = models::parse_head_list(f->mask_heads);
            experiment::LoadedRun run = experiment::load_run(f->run, f->checkpoint);
            request.split = f->split;
            request.limit = f->limit;
            request.prune_steps = f->prune_steps;
            request.pruning = !f->no_pruning;
            request.eval.batch_size = f->batch_size;
            if (run.config.max_decode_len > 0) request.eval.decode.max_len = run.config.max_decode_len;
            if (isatty(STDERR_FILENO))
              request.progress = [](const std::string& what) { std::fprintf(stderr, "\r\033[K%s", what.c_str()); };
            const experiment::Json analysis = experiment::analyze_run(run, request);
            if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");
            const std::filesystem::path out = f->out.empty() ? run.dir / "analysis.json" : std::filesystem::path(f->out);
            const std::string text = analysis.dump(1) + "\n";
            experiment::write_file_atomic(out, text);
            if (f->json) std::cout << text;
            else print_summary(analysis);
            std::fprintf(stderr, "wrote %s\n", out.c_str());
            return 0;
          }};
}

}  // namespace attn::cli
