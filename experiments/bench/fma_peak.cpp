// The machine's float32 FMA ceiling: 12 independent AVX-512 FMA chains per thread,
// no memory traffic. GEMMs and the fused attention kernels are judged against it.
//   g++ -O2 -mavx512f -fopenmp experiments/bench/fma_peak.cpp -o /tmp/fma_peak
//   OMP_NUM_THREADS=1 /tmp/fma_peak; OMP_NUM_THREADS=2 /tmp/fma_peak
#include <immintrin.h>
#include <omp.h>

#include <cstdio>

int main() {
  constexpr long kIterations = 20'000'000;
  constexpr int kChains = 12;  // enough independent FMAs to hide their latency
  float sink = 0.0f;
  const double t0 = omp_get_wtime();
#pragma omp parallel reduction(+ : sink)
  {
    __m512 acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(1.0f + i * 1e-7f);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (long it = 0; it < kIterations; ++it)
#pragma GCC unroll 12
      for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    __m512 s = acc[0];
    for (int i = 1; i < kChains; ++i) s = _mm512_add_ps(s, acc[i]);
    sink += _mm512_reduce_add_ps(s);  // keeps the loop alive
  }
  const double seconds = omp_get_wtime() - t0;
  const int threads = omp_get_max_threads();
  const double flops = 2.0 * 16 * kChains * kIterations * threads;
  std::printf("%d threads: %.1f GFLOP/s (checksum %g)\n", threads, flops / seconds / 1e9, sink);
}
