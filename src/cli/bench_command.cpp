// `attn bench <what>`: performance measurements kept in the project so anyone can
// re-run them. Each benchmark is a sub-subcommand added by one function below;
// the library side lives in src/bench/.
#include <omp.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.h"
#include "base/worker_threads.h"
#include "bench/attention_bench.h"
#include "bench/decode_bench.h"
#include "bench/train_bench.h"
#include "cli/commands.h"
#include "cli/precision_option.h"
#include "kernels/cpu_features.h"

namespace attn::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

struct AttentionFlags {
  std::vector<int64_t> T{128, 256, 512, 1024, 2048};
  std::string impls = "fused,reference", passes = "fwd,fwdbwd", masks = "none,causal";
  int64_t batch = 8, heads = 8, head_width = 64, grid_window = 1;
  int threads = 0;
  int repeats = 5;
  double min_seconds = 0.5;
  int64_t sgemm_n = 2048;
  std::string precision = "fp32";
  bool json = false;
};

void print_table_row(const bench::AttentionBenchRow& r) {
  std::printf("%-10s %-7s %6lld %-7s %8d %11.2f %9.1f %9.1f %7.1f%% %13.1f\n", r.impl.c_str(), r.mask.c_str(),
              static_cast<long long>(r.T), r.pass.c_str(), r.threads, r.ms_median,
              r.gflops, r.sgemm_gflops, 100.0 * r.sgemm_share, r.peak_extra_mib);
  std::fflush(stdout);
}

nlohmann::json row_json(const bench::AttentionBenchRow& r, const std::string& precision) {
  return {{"impl", r.impl},
          {"mask", r.mask},
          {"precision", precision},
          {"causal", r.mask == "causal"},  // kept for experiments/bench/compare_attention.py
          {"T", r.T},
          {"pass", r.pass},
          {"threads", r.threads},
          {"repeats", r.repeats},
          {"ms_median", r.ms_median},
          {"ms_min", r.ms_min},
          {"gflops", r.gflops},
          {"sgemm_gflops", r.sgemm_gflops},
          {"sgemm_share", r.sgemm_share},
          {"peak_extra_mib", r.peak_extra_mib}};
}

int run_attention_bench(const AttentionFlags& f) {
  if (f.threads > 0) set_worker_threads(f.threads);
  const kernels::PrecisionScope precision(checked_precision(f.precision));
  bench::AttentionBenchOptions opt;
  opt.T = f.T;
  opt.impls = split_list(f.impls);
  opt.passes = split_list(f.passes);
  opt.masks = split_list(f.masks);
  opt.grid_window = f.grid_window;
  opt.B = f.batch, opt.H = f.heads, opt.D = f.head_width;
  opt.repeats = f.repeats;
  opt.min_case_seconds = f.min_seconds;
  opt.sgemm_n = f.sgemm_n;
  if (!f.json) {
    std::printf("attention B=%lld H=%lld D=%lld, %d threads, simd %s, precision %s; sgemm = %lld^3 oneDNN matmul in that "
                "precision, measured before each T\n",
                static_cast<long long>(opt.B), static_cast<long long>(opt.H), static_cast<long long>(opt.D),
                omp_get_max_threads(), kernels::isa_name(kernels::detected_isa()), f.precision.c_str(),
                static_cast<long long>(opt.sgemm_n));
    std::printf("GFLOP/s counts visible (query, key) pairs only; memory = peak RSS growth of one run.\n");
    std::printf("%-10s %-7s %6s %-7s %8s %11s %9s %9s %8s %13s\n", "impl", "mask", "T", "pass", "threads",
                "ms_median", "GFLOP/s", "sgemm_GF", "share", "peak_MiB");
  }
  std::vector<bench::AttentionBenchRow> rows = bench::run_attention_bench(
      opt, f.json ? std::function<void(const bench::AttentionBenchRow&)>{} : print_table_row);
  if (f.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) out.push_back(row_json(r, f.precision));
    std::cout << out.dump(1) << "\n";
  }
  return 0;
}

Command add_attention_bench(CLI::App& bench) {
  auto f = std::make_shared<AttentionFlags>();
  CLI::App* sub = bench.add_subcommand("attention", "Fused vs unfused attention: time, GFLOP/s, sgemm share, memory");
  sub->add_option("--T", f->T, "Sequence lengths (Tq = Tk), comma-separated")
      ->delimiter(',')
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--impl", f->impls, "Implementations: fused,reference");
  sub->add_option("--pass", f->passes, "Passes: fwd,fwdbwd");
  sub->add_option("--mask", f->masks,
                  "Masks: none,causal,grid (grid: the 2-D window of image patches on an n x n grid after <cls>, "
                  "T = n^2 + 1)");
  sub->add_option("--grid-window", f->grid_window, "Window of --mask grid: patch rows and columns seen each way")
      ->check(at_least(0))
      ->capture_default_str();
  sub->add_option("--batch", f->batch, "Batch size B")->check(at_least(1))->capture_default_str();
  sub->add_option("--heads", f->heads, "Heads H")->check(at_least(1))->capture_default_str();
  sub->add_option("--head-width", f->head_width, "Head width D")->check(at_least(1))->capture_default_str();
  sub->add_option("--threads", f->threads, "OpenMP threads (default: all)")->check(at_least(1));
  CLI::Option* repeats =
      sub->add_option("--repeats", f->repeats, "Timed runs per case after one warm-up (cases over 1 s: at most 3)")
          ->check(at_least(1))
          ->capture_default_str();
  CLI::Option* min_seconds =
      sub->add_option("--min-seconds", f->min_seconds,
                      "Fast cases repeat until their timed runs add up to this, at most 50 runs (default 0.5; "
                      "with --repeats alone 0, so --repeats is exact; with both, --repeats is the minimum)")
          ->check(at_least(0));
  sub->add_option("--sgemm-n", f->sgemm_n, "Size of the n^3 sgemm that sets the reference rate")
      ->check(at_least(1));
  add_precision_option(*sub, f->precision);
  sub->add_flag("--json", f->json, "Print a JSON array of rows instead of the table");
  return {sub, [f, repeats, min_seconds] {
            // --repeats 1 means one timed run: the default --min-seconds would silently add up to 50.
            if (repeats->count() > 0 && min_seconds->count() == 0) f->min_seconds = 0;
            return run_attention_bench(*f);
          }};
}

struct TrainBenchFlags {
  std::string configs = "seq2seq,classifier,lstm_attn,vit";
  int threads = 0, steps = 10, warmup = 2;
  std::string precision = "fp32";
  bool json = false;
};

int run_train_bench(const TrainBenchFlags& f) {
  const kernels::PrecisionScope precision(checked_precision(f.precision));
  bench::TrainBenchOptions opt;
  opt.configs = split_list(f.configs);
  opt.threads = f.threads;
  opt.steps = f.steps;
  opt.warmup = f.warmup;
  const std::vector<std::string> known = bench::train_bench_configs();
  for (const std::string& c : opt.configs)  // before the table header, so a typo prints nothing
    ATTN_CHECK(std::find(known.begin(), known.end(), c) != known.end(), usage, "--configs: unknown configuration '", c,
               "' (choose from ", join(known, ", "), ")");
  if (!f.json) std::printf("%-11s %10s %-16s %11s %13s %12s %8s\n", "config", "throughput", "unit", "step_ms", "peak_extra_MiB",
                           "parameters", "threads");
  nlohmann::json out = nlohmann::json::array();
  for (const bench::TrainBenchRow& r : bench::run_train_bench(opt)) {
    if (f.json) {
      out.push_back({{"config", r.config}, {"precision", f.precision}, {"unit", r.unit}, {"throughput_median", r.throughput_median},
                     {"step_ms_median", r.step_ms_median}, {"peak_extra_mib", r.peak_extra_mib},
                     {"peak_rss_mib", r.peak_rss_mib}, {"parameters", r.parameters}, {"threads", r.threads}});
    } else {
      std::printf("%-11s %10.1f %-16s %11.1f %13.1f %12lld %8d\n", r.config.c_str(), r.throughput_median,
                  r.unit.c_str(), r.step_ms_median, r.peak_extra_mib, static_cast<long long>(r.parameters), r.threads);
      std::fflush(stdout);
    }
  }
  if (f.json) std::cout << out.dump(1) << "\n";
  return 0;
}

Command add_train_bench(CLI::App& bench) {
  auto f = std::make_shared<TrainBenchFlags>();
  CLI::App* sub = bench.add_subcommand("train", "Whole training steps of four reference models: throughput, memory");
  sub->add_option("--configs", f->configs, "seq2seq,classifier,lstm_attn,vit")->capture_default_str();
  sub->add_option("--steps", f->steps, "Timed steps per configuration (median reported)")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--warmup", f->warmup, "Untimed steps first")->check(at_least(0))->capture_default_str();
  add_precision_option(*sub, f->precision);
  sub->add_option("--threads", f->threads, "OpenMP threads (default: all)")->check(at_least(1));
  sub->add_flag("--json", f->json, "Print a JSON array of rows instead of the table");
  return {sub, [f] { return run_train_bench(*f); }};
}

struct DecodeBenchFlags {
  std::string attentions = "dot,additive";
  bench::DecodeBenchOptions options;
  bool json = false;
};

int run_decode_bench(DecodeBenchFlags f) {
  f.options.attentions = split_list(f.attentions);
  ATTN_CHECK(!f.options.attentions.empty(), usage, "--attention: name at least one attention score");
  const bench::DecodeBenchOptions& o = f.options;
  if (!f.json) {
    std::printf("greedy decoding, Transformer C=%lld H=%lld layers=%lld+%lld, B=%lld sources of %lld tokens, "
                "%lld output tokens each\n",
                static_cast<long long>(o.width), static_cast<long long>(o.heads), static_cast<long long>(o.layers),
                static_cast<long long>(o.layers), static_cast<long long>(o.batch), static_cast<long long>(o.src_len),
                static_cast<long long>(o.steps));
    std::printf("%-11s %8s %11s %9s %12s %9s\n", "attention", "threads", "ms_median", "ms_min", "tokens/s",
                "vs_first");
  }
  auto print_row = [](const bench::DecodeBenchRow& r) {
    std::printf("%-11s %8d %11.1f %9.1f %12.0f %8.2fx\n", r.attention.c_str(), r.threads, r.ms_median, r.ms_min,
                r.tokens_per_second, r.vs_first);
    std::fflush(stdout);
  };
  std::vector<bench::DecodeBenchRow> rows =
      bench::run_decode_bench(o, f.json ? std::function<void(const bench::DecodeBenchRow&)>{} : print_row);
  if (f.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
      out.push_back({{"attention", r.attention}, {"threads", r.threads}, {"repeats", o.repeats},
                     {"batch", o.batch}, {"src_len", o.src_len}, {"steps", o.steps}, {"ms_median", r.ms_median},
                     {"ms_min", r.ms_min}, {"tokens_per_second", r.tokens_per_second}, {"vs_first", r.vs_first}});
    std::cout << out.dump(1) << "\n";
  }
  return 0;
}

Command add_decode_bench(CLI::App& bench) {
  auto f = std::make_shared<DecodeBenchFlags>();
  CLI::App* sub = bench.add_subcommand(
      "decode", "Greedy decoding speed of a Transformer per attention score, as ratios to the first");
  sub->add_option("--attention", f->attentions, "Attention scores, comma-separated (the first is the baseline)")
      ->capture_default_str();
  sub->add_option("--batch", f->options.batch, "Sources decoded together")->check(at_least(1))->capture_default_str();
  sub->add_option("--src-len", f->options.src_len, "Tokens per source")->check(at_least(1))->capture_default_str();
  sub->add_option("--steps", f->options.steps, "Output tokens per source")->check(at_least(1))->capture_default_str();
  sub->add_option("--repeats", f->options.repeats, "Timed decodes after one warm-up (median reported)")
      ->check(at_least(1))
      ->capture_default_str();
  sub->add_option("--threads", f->options.threads, "OpenMP threads (default: all)")->check(at_least(1));
  sub->add_flag("--json", f->json, "Print a JSON array of rows instead of the table");
  return {sub, [f] { return run_decode_bench(*f); }};
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("bench", "Benchmark attention kernels, training steps and decoding");
  sub->require_subcommand(1);
  auto benches = std::make_shared<std::vector<Command>>(
      std::vector<Command>{add_attention_bench(*sub), add_train_bench(*sub), add_decode_bench(*sub)});
  return {sub, [benches] {
            for (Command& c : *benches)
              if (c.app->parsed()) return c.run();
            return exit_code(ErrorKind::usage);
          }};
}

}  // namespace attn::cli
