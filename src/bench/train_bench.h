// `attn bench train`: whole training steps (forward, loss, backward, optimizer
// update) of the reference configurations: the three of issue 4 (seq2seq and lstm_attn on
// random data, classifier on the classify task's real path) and issue 13's vit (the image
// task's real path).
#pragma once

#include <string>
#include <vector>

namespace attn::bench {

struct TrainBenchOptions {
  std::vector<std::string> configs{"seq2seq", "classifier", "lstm_attn", "vit"};
  int warmup = 2;
  int steps = 10;
  int threads = 0;  // 0 = OpenMP default
};

struct TrainBenchRow {
  std::string config;
  std::string unit;            // "target tokens/s" or "sequences/s"
  double throughput_median = 0;
  double step_ms_median = 0;
  double peak_rss_mib = 0;     // process high-water mark so far (VmHWM)
  double peak_extra_mib = 0;   // peak resident memory added by this configuration (model, optimizer, step)
  int64_t parameters = 0;
  int threads = 0;
};

std::vector<TrainBenchRow> run_train_bench(const TrainBenchOptions& options);
std::vector<std::string> train_bench_configs();

}  // namespace attn::bench
