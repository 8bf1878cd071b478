#include "bench/attention_bench.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "base/error.h"
#include "base/peak_memory.h"
#include "bench/unfused_attention.h"
#include "kernels/flash_attention.h"
#include "kernels/matmul.h"
#include "tensor/rng.h"

namespace attn::bench {

namespace {
using Clock = std::chrono::steady_clock;

template <class F>
double seconds(F&& f) {
  auto t0 = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Inputs and outputs of one sequence length, [B, H, T, D] contiguous.
struct Tensors {
  std::vector<float> q, k, v, dout, o, lse, dq, dk, dv;
  Tensors(int64_t B, int64_t H, int64_t T, int64_t D, Rng& rng) {
    const int64_t n = B * H * T * D;
    for (auto* t : {&q, &k, &v, &dout, &o, &dq, &dk, &dv}) t->assign(n, 0.0f);
    lse.assign(B * H * T, 0.0f);
    for (auto* t : {&q, &k, &v, &dout}) rng.fill_normal(t->data(), n);
  }
};

std::function<void()> case_runner(const AttentionBenchOptions& opt, int64_t T, const std::string& mask,
                                   const std::string& impl, bool backward, Tensors& x) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(opt.D));
  const bool causal = mask == "causal";
  const GridWindow grid = mask == "grid" ? bench_grid(T, opt.grid_window) : GridWindow{};
  if (impl == "fused") {
    kernels::FlashParams p;
    p.B = opt.B, p.H = opt.H, p.Tq = T, p.Tk = T, p.D = opt.D, p.scale = scale, p.causal = causal, p.grid = grid;
    p.q = p.k = p.v = p.o = kernels::AttnLayout{opt.H * T * opt.D, T * opt.D, opt.D};
    return [p, backward, &x] {
      kernels::flash_attention_fwd(p, x.q.data(), x.k.data(), x.v.data(), x.o.data(), x.lse.data());
      if (backward)
        kernels::flash_attention_bwd(p, x.q.data(), x.k.data(), x.v.data(), x.o.data(), x.dout.data(),
                                     x.lse.data(), x.dq.data(), x.dk.data(), x.dv.data());
    };
  }
  ATTN_CHECK(impl == "reference", usage, "unknown attention implementation '", impl, "' (fused|reference)");
  UnfusedShape shape{opt.B * opt.H, T, T, opt.D, scale, causal, grid};
  return [shape, backward, &x] {
    UnfusedAttention attention(shape);
    attention.forward(x.q.data(), x.k.data(), x.v.data(), x.o.data());
    if (backward)
      attention.backward(x.q.data(), x.k.data(), x.v.data(), x.dout.data(), x.dq.data(), x.dk.data(),
                         x.dv.data());
  };
}
}  // namespace

SgemmRate measure_sgemm(int64_t n, int repeats) {
  std::vector<float> a(n * n), b(n * n), c(n * n);
  Rng rng(1, 0);
  rng.fill_uniform(a.data(), n * n, -1.0f, 1.0f);
  rng.fill_uniform(b.data(), n * n, -1.0f, 1.0f);
  kernels::MatmulShape s;
  s.m = s.n = s.k = n;
  auto run = [&] { kernels::matmul(s, a.data(), b.data(), c.data()); };
  run();
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) times.push_back(seconds(run));
  return {n, 2.0 * n * n * n / median(times) / 1e9};
}

GridWindow bench_grid(int64_t T, int64_t window) {
  const auto side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(T - 1))));
  ATTN_CHECK(T >= 2 && side * side == T - 1, usage, "--mask grid needs T = n^2 + 1 (an n x n grid of patches after ",
             "<cls>, e.g. 50), got T ", T);
  ATTN_CHECK(window >= 0, usage, "--grid-window must be >= 0, got ", window);
  return {side, side, 1, window};
}

double visible_pairs(int64_t T, const std::string& mask, int64_t grid_window) {
  if (mask == "causal") return 0.5 * T * (T + 1);
  if (mask != "grid") return static_cast<double>(T) * T;
  const GridWindow g = bench_grid(T, grid_window);
  double pairs = 0.0;
  for (int64_t i = 0; i < T; ++i)
    for (int64_t j = 0; j < T; ++j) pairs += grid_visible(g, i, j) ? 1.0 : 0.0;
  return pairs;
}

double attention_flops(int64_t B, int64_t H, int64_t D, double pairs, const std::string& pass) {
  const double fwd = 4.0 * B * H * D * pairs;
  return pass == "fwd" ? fwd : 3.5 * fwd;
}

std::vector<AttentionBenchRow> run_attention_bench(const AttentionBenchOptions& opt,
                                                   const std::function<void(const AttentionBenchRow&)>& on_row) {
  ATTN_CHECK(opt.repeats >= 1, usage, "--repeats must be at least 1, got ", opt.repeats);
  for (const std::string& mask : opt.masks)
    ATTN_CHECK(mask == "none" || mask == "causal" || mask == "grid", usage, "unknown mask '", mask,
               "' (none|causal|grid)");
  for (const std::string& pass : opt.passes)
    ATTN_CHECK(pass == "fwd" || pass == "fwdbwd", usage, "unknown pass '", pass, "' (fwd|fwdbwd)");
  std::vector<AttentionBenchRow> rows;
  Rng rng(42, 0);
  for (int64_t T : opt.T) {
    ATTN_CHECK(T >= 1, usage, "sequence lengths must be positive, got ", T);
    Tensors x(opt.B, opt.H, T, opt.D, rng);
    const SgemmRate sgemm = measure_sgemm(opt.sgemm_n, 5);
    for (const std::string& mask : opt.masks)
      for (const std::string& impl : opt.impls)
        for (const std::string& pass : opt.passes) {
          std::function<void()> run = case_runner(opt, T, mask, impl, pass == "fwdbwd", x);
          const double warm = seconds(run);
          std::vector<double> times;
          // Trimmed: the unfused baseline frees and reallocates its [B·H, T, T] buffers
          // every run, and must be charged for them each time.
          PeakMemoryProbe probe(true);
          times.push_back(seconds(run));
          const double extra_mib = probe.extra_mib();
          int repeats = opt.repeats;
          if (warm > opt.slow_run_seconds)
            repeats = std::min(repeats, 3);
          else if (warm * repeats < opt.min_case_seconds)
            repeats = std::min(50, static_cast<int>(std::ceil(opt.min_case_seconds / std::max(warm, 1e-6))));
          while (static_cast<int>(times.size()) < repeats) times.push_back(seconds(run));

          AttentionBenchRow row;
          row.impl = impl, row.mask = mask, row.T = T, row.pass = pass;
          row.threads = omp_get_max_threads();
          row.repeats = repeats;
          row.ms_median = 1e3 * median(times);
          row.ms_min = 1e3 * *std::min_element(times.begin(), times.end());
          const double pairs = visible_pairs(T, mask, opt.grid_window);
          row.gflops = attention_flops(opt.B, opt.H, opt.D, pairs, pass) / (row.ms_median * 1e-3) / 1e9;
          row.sgemm_gflops = sgemm.gflops;
          row.sgemm_share = sgemm.gflops > 0 ? row.gflops / sgemm.gflops : 0.0;
          row.peak_extra_mib = extra_mib;
          rows.push_back(row);
          if (on_row) on_row(row);
        }
  }
  return rows;
}

}  // namespace attn::bench
