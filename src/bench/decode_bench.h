// `attn bench decode`: greedy decoding of a randomly initialised Transformer, one
// row per attention score, so a score whose decoding is out of line with the
// others (issue 17: additive) shows up as a ratio measured in the same run.
// Not here: beam search, RNN models, training steps (bench/train_bench.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace attn::bench {

struct DecodeBenchOptions {
  std::vector<std::string> attentions{"dot", "additive"};
  int64_t batch = 64;      // B sources decoded together
  int64_t src_len = 12;    // Ts
  int64_t steps = 24;      // output tokens per source (no early <eos>)
  int64_t width = 128, heads = 4, layers = 2;  // the default training model
  int repeats = 5;         // timed decodes after one warm-up
  int threads = 0;         // 0 = OpenMP default
};

struct DecodeBenchRow {
  std::string attention;
  double ms_median = 0, ms_min = 0;  // one whole decode of the batch
  double tokens_per_second = 0;      // batch · steps / median
  double vs_first = 0;               // ms_median / the first row's ms_median
  int threads = 0;
};

// Calls on_row (if set) as each row is measured.
std::vector<DecodeBenchRow> run_decode_bench(const DecodeBenchOptions& options,
                                             const std::function<void(const DecodeBenchRow&)>& on_row = {});

}  // namespace attn::bench
