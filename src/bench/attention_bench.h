// `attn bench attention`: times fused attention (kernels/flash_attention.h) against
// the unfused composition (bench/unfused_attention.h) over a grid of sequence
// lengths, masks and passes, and relates the rate to the machine's sgemm rate,
// measured again before each sequence length because a shared host drifts.
// Returns rows; printing is the CLI's job.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/grid_window.h"

namespace attn::bench {

struct AttentionBenchOptions {
  std::vector<int64_t> T{128, 256, 512, 1024, 2048};  // Tq = Tk = T
  int64_t B = 8, H = 8, D = 64;
  std::vector<std::string> impls{"fused", "reference"};
  std::vector<std::string> passes{"fwd", "fwdbwd"};
  // none, causal, or grid: the 2-D window of image patches (base/grid_window.h) on a
  // square grid after one <cls> slot, T = n² + 1 (50 = the ViT's 7 × 7 patches of 4),
  // patches within grid_window rows and columns of each other.
  std::vector<std::string> masks{"none", "causal"};
  int64_t grid_window = 1;
  // Timed runs per case after one warm-up. Fast cases repeat until they have run
  // for min_case_seconds (at most 50 runs); cases slower than slow_run_seconds per
  // run use at most 3.
  int64_t sgemm_n = 2048;  // the n³ product that sets the reference rate
  int repeats = 5;
  double min_case_seconds = 0.5;
  double slow_run_seconds = 1.0;
};

struct AttentionBenchRow {
  std::string impl;  // "fused" | "reference"
  std::string mask;  // "none" | "causal" | "grid"
  int64_t T = 0;
  std::string pass;  // "fwd" | "fwdbwd"
  int threads = 1;
  int repeats = 0;
  double ms_median = 0.0;
  double ms_min = 0.0;
  double gflops = 0.0;        // useful flops / median time (see attention_flops)
  double sgemm_gflops = 0.0;  // sgemm rate measured just before this sequence length
  double sgemm_share = 0.0;   // gflops / sgemm_gflops
  double peak_extra_mib = 0.0;  // peak RSS growth of one run beyond inputs and outputs
};

struct SgemmRate {
  int64_t n = 0;  // n × n × n product
  double gflops = 0.0;
};

// Median rate of an n³ fp32 matmul through kernels::matmul (oneDNN), after a warm-up.
SgemmRate measure_sgemm(int64_t n, int repeats);

// The grid of `--mask grid` at sequence length T (a usage error unless T = n² + 1).
GridWindow bench_grid(int64_t T, int64_t window);
// (query, key) pairs a mask leaves visible at Tq = Tk = T: T² for none, T·(T+1)/2
// causal, counted for a grid.
double visible_pairs(int64_t T, const std::string& mask, int64_t grid_window);
// Flops of attention over `pairs` visible (query, key) pairs: 4·B·H·D per pair
// forward (Q·Kᵀ and P·V), 2.5 times that again for the backward (five products).
double attention_flops(int64_t B, int64_t H, int64_t D, double pairs, const std::string& pass);

// Runs the grid; on_row (optional) sees each row as soon as it is measured.
std::vector<AttentionBenchRow> run_attention_bench(const AttentionBenchOptions& options,
                                                   const std::function<void(const AttentionBenchRow&)>& on_row = {});

}  // namespace attn::bench
