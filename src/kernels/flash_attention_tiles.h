// Register-blocked micro-kernels of the fused attention kernels, written once
// for any SIMD "vector ops" type V and instantiated per ISA in
// flash_attention_{scalar,avx2,avx512}.cpp. V provides: reg, W (lanes), MR (tile
// rows), NR (max vectors per tile row), BK / BQB (block sizes), zero, load, store,
// load_tail, store_tail, set1, fma, mul, add, sub, max, exp2, finite_or_zero,
// mask_lanes, mask_bits, dot, and transpose_block / TB (a TB × TB transpose in registers).
//
// Every function here is a template over V, and each ISA file instantiates it
// with its own V type, so no instantiation compiled for one ISA can be linked into
// another (no ODR mixing of -mavx512f code into the scalar path).
#pragma once

#include <cstdint>

#define FLASH_INLINE inline __attribute__((always_inline))

namespace attn::kernels::flash {

// acc[r][v] += Σ_k A(r, k) · B[k][v·W ...], with A(r, k) = a[r·lda + k] (row-major A)
// or a[k·lda + r] (AColMajor), B rows ldb apart. The last of the N vectors of each B
// row holds only `tail` lanes when Tail (loads masked).
template <class V, int R, int N, bool AColMajor, bool Tail = false>
FLASH_INLINE void accumulate(typename V::reg (&acc)[R][N], int64_t kdim, const float* a, int64_t lda,
                             const float* b, int64_t ldb, int tail = V::W) {
  using reg = typename V::reg;
  for (int64_t k = 0; k < kdim; ++k) {
    const float* bk = b + k * ldb;
    reg bv[N];
#pragma GCC unroll 8
    for (int v = 0; v < N; ++v)
      bv[v] = (Tail && v == N - 1) ? V::load_tail(bk + v * V::W, tail) : V::load(bk + v * V::W);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      reg av = V::set1(AColMajor ? a[k * lda + r] : a[r * lda + k]);
#pragma GCC unroll 8
      for (int v = 0; v < N; ++v) acc[r][v] = V::fma(av, bv[v], acc[r][v]);
    }
  }
}

template <class V, int R, int N>
FLASH_INLINE void zero_tile(typename V::reg (&acc)[R][N]) {
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < N; ++v) acc[r][v] = V::zero();
}

// Calls f.template operator()<R>(row0) over `rows` rows in tiles of MaxR rows,
// the last tile with the remaining R < MaxR rows.
template <int R, class F>
FLASH_INLINE void remainder_tile(int rem, int64_t row0, F& f) {
  if constexpr (R > 0) {
    if (rem == R)
      f.template operator()<R>(row0);
    else
      remainder_tile<R - 1>(rem, row0, f);
  }
}

template <int MaxR, class F>
FLASH_INLINE void for_row_tiles(int64_t rows, F&& f) {
  int64_t r = 0;
  for (; r + MaxR <= rows; r += MaxR) f.template operator()<MaxR>(r);
  if (r < rows) remainder_tile<MaxR - 1>(static_cast<int>(rows - r), r, f);
}

// Calls f.template operator()<N>() with N = n, for 1 <= n <= MaxN.
template <int MaxN, class F>
FLASH_INLINE void with_vecs(int n, F&& f) {
  if constexpr (MaxN > 1) {
    if (n < MaxN) return with_vecs<MaxN - 1>(n, f);
  }
  f.template operator()<MaxN>();
}

// dst[x·ldd + y] = src[y·lds + x] · c for y < rows, x < cols: full TB × TB tiles in
// registers (V::transpose_block), the edges element by element. One side is the
// caller's tensor in memory, the other L1-resident scratch; tiles are visited so
// that the tensor side is walked row after row (what the hardware prefetcher
// follows), which matters for short sequences where these reads are first touches.
enum class Walk { src_rows, dst_rows };

template <class V>
void transpose(const float* src, int64_t lds, int64_t rows, int64_t cols, float* dst, int64_t ldd, float c,
               Walk walk) {
  const int64_t rows_full = rows / V::TB * V::TB, cols_full = cols / V::TB * V::TB;
  if (walk == Walk::src_rows) {
    for (int64_t y = 0; y < rows_full; y += V::TB)
      for (int64_t x = 0; x < cols_full; x += V::TB)
        V::transpose_block(src + y * lds + x, lds, dst + x * ldd + y, ldd, c);
  } else {
    for (int64_t x = 0; x < cols_full; x += V::TB)
      for (int64_t y = 0; y < rows_full; y += V::TB)
        V::transpose_block(src + y * lds + x, lds, dst + x * ldd + y, ldd, c);
  }
  for (int64_t y = rows_full; y < rows; ++y)
    for (int64_t x = 0; x < cols; ++x) dst[x * ldd + y] = src[y * lds + x] * c;
  for (int64_t x = cols_full; x < cols; ++x)
    for (int64_t y = 0; y < rows_full; ++y) dst[x * ldd + y] = src[y * lds + x] * c;
}

// The vectors [a, b] of a row that hold its visible lanes [lo, hi] (a > b: none),
// for rows whose lanes are clipped to [0, lanes).
struct VecRange {
  int32_t a, b;
};

template <class V>
void vector_ranges(const int32_t* lo, const int32_t* hi, int64_t rows, int64_t lanes, VecRange* out) {
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t l = lo[r] < 0 ? 0 : lo[r], h = hi[r] < lanes - 1 ? hi[r] : lanes - 1;
    out[r] = l <= h ? VecRange{static_cast<int32_t>(l / V::W), static_cast<int32_t>(h / V::W)} : VecRange{1, 0};
  }
}

// Rows of the grid-window bit table (flash_attention_masks.h) for a run of rows of
// a tile: row r at rows + r · words, lanes from position pos0 on; rows == nullptr
// without a grid window.
struct GridRows {
  const uint64_t* rows;
  int64_t words, pos0;
};

// The W grid-window bits of one table row (flash_attention_masks.h) from position
// `pos` on, a multiple of W, lane l of the vector in bit l.
template <class V>
FLASH_INLINE uint32_t grid_lane_bits(const uint64_t* row, int64_t pos) {
  static_assert(64 % V::W == 0, "a vector's bits must not straddle two words");
  constexpr uint64_t ones = V::W == 64 ? ~uint64_t{0} : (uint64_t{1} << V::W) - 1;
  return static_cast<uint32_t>((row[pos >> 6] >> (pos & 63)) & ones);
}

// Calls f(begin, end, range) for each maximal run of consecutive rows with one
// non-empty range (how masked blocks skip the vectors a row does not see).
template <class V, class F>
FLASH_INLINE void for_range_runs(const VecRange* r, int64_t rows, F&& f) {
  for (int64_t i = 0; i < rows;) {
    if (r[i].a > r[i].b) {
      ++i;
      continue;
    }
    int64_t e = i + 1;
    while (e < rows && r[e].a == r[i].a && r[e].b == r[i].b) ++e;
    f(i, e, r[i]);
    i = e;
  }
}

}  // namespace attn::kernels::flash
