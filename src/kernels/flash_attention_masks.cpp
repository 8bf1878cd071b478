#include "kernels/flash_attention_masks.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>

namespace attn::kernels::flash {

namespace {
// Keys seen by query i: the inclusive interval [lo, hi] (lo > hi when none).
// Both ends are non-decreasing in i, which the span functions rely on.
int64_t first_key(const MaskGeometry& g, int64_t i) {
  return g.window >= 0 ? std::max<int64_t>(0, i + g.offset - g.window) : 0;
}
int64_t last_key(const MaskGeometry& g, int64_t b, int64_t i) {
  int64_t hi = key_limit(g, b) - 1;
  if (g.causal) hi = std::min(hi, i + g.offset);
  if (g.window >= 0) hi = std::min(hi, i + g.offset + g.window);
  return hi;
}
int32_t to_lane(int64_t x) { return static_cast<int32_t>(std::clamp<int64_t>(x, -1, int64_t{1} << 30)); }
}  // namespace

std::vector<uint64_t> grid_table(const FlashParams& p) {
  if (!p.grid.active()) return {};
  const int64_t words = (p.Tk + 63) / 64;
  std::vector<uint64_t> table(p.Tq * words, 0);
  for (int64_t x = 0; x < p.Tq; ++x)
    for (int64_t y = 0; y < p.Tk; ++y)
      if (grid_visible(p.grid, x, y)) table[x * words + y / 64] |= uint64_t{1} << (y % 64);
  return table;
}

MaskGeometry mask_geometry(const FlashParams& p, const std::vector<uint64_t>& table) {
  return {p.Tq,        p.Tk, p.Tk - p.Tq, p.window, p.causal, p.key_lengths, table.empty() ? nullptr : table.data(),
          (p.Tk + 63) / 64};
}

int64_t key_limit(const MaskGeometry& g, int64_t b) {
  if (!g.key_lengths) return g.Tk;
  return std::clamp<int64_t>(g.key_lengths[b], 0, g.Tk);
}

Span keys_of_queries(const MaskGeometry& g, int64_t b, int64_t i0, int64_t i1) {
  int64_t lo = first_key(g, i0), hi = last_key(g, b, i1 - 1);
  return {lo, std::max(lo, hi + 1)};
}

Span queries_of_keys(const MaskGeometry& g, int64_t b, int64_t j0, int64_t j1) {
  int64_t limit = key_limit(g, b);
  j1 = std::min(j1, limit);
  if (j0 >= j1) return {0, 0};
  int64_t qs = 0, qe = g.Tq;
  if (g.causal) qs = std::max(qs, j0 - g.offset);
  if (g.window >= 0) {
    qs = std::max(qs, j0 - g.offset - g.window);
    qe = std::min(qe, j1 - g.offset + g.window);
  }
  return {qs, std::max(qs, qe)};
}

bool block_fully_visible(const MaskGeometry& g, int64_t b, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  assert(i0 < i1 && j0 < j1);
  if (g.grid_bits) return false;
  return first_key(g, i1 - 1) <= j0 && last_key(g, b, i0) >= j1 - 1;
}

void key_row_lanes(const MaskGeometry& g, int64_t b, int64_t j0, int64_t n, int64_t lane0, int32_t* lo,
                   int32_t* hi) {
  for (int64_t r = 0; r < n; ++r) {
    Span s = queries_of_keys(g, b, j0 + r, j0 + r + 1);
    if (s.begin >= s.end) {
      lo[r] = 1, hi[r] = 0;
    } else {
      lo[r] = to_lane(s.begin - lane0), hi[r] = to_lane(s.end - 1 - lane0);
    }
  }
}

void query_row_lanes(const MaskGeometry& g, int64_t b, int64_t i0, int64_t n, int64_t j0, int64_t lanes,
                     int32_t* lo, int32_t* hi) {
  for (int64_t r = 0; r < n; ++r) {
    lo[r] = to_lane(first_key(g, i0 + r) - j0);
    hi[r] = to_lane(std::min(last_key(g, b, i0 + r) - j0, lanes - 1));
  }
}

float* scratch_alloc(std::size_t floats) {
  std::size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
  return static_cast<float*>(std::aligned_alloc(64, bytes > 0 ? bytes : 64));
}

void scratch_free(float* p) { std::free(p); }

}  // namespace attn::kernels::flash
