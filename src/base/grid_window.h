// The 2-D window of attention over image patches: one rule shared by the fused
// kernel, its reference loops and the explicit masks of the reference path.
// Positions [prefix, prefix + rows · cols) are the patches, row by row on a
// rows × cols grid; patch (r, c) sees patch (r', c') iff max(|r - r'|, |c - c'|)
// <= window (the Chebyshev distance), and the `prefix` global positions (an
// image's <cls> slot) see and are seen by every position.
#pragma once

#include <cstdint>

namespace attn {

struct GridWindow {
  int64_t rows = 0, cols = 0, prefix = 0;
  int64_t window = -1;  // -1: no grid window
  bool active() const { return window >= 0; }
  int64_t length() const { return prefix + rows * cols; }
};

// Query position i sees key position j (both in [0, g.length())); true when inactive.
inline bool grid_visible(const GridWindow& g, int64_t i, int64_t j) {
  if (!g.active() || i < g.prefix || j < g.prefix) return true;
  const int64_t a = i - g.prefix, b = j - g.prefix;
  const int64_t dr = a / g.cols - b / g.cols, dc = a % g.cols - b % g.cols;
  return (dr < 0 ? -dr : dr) <= g.window && (dc < 0 ? -dc : dc) <= g.window;
}

}  // namespace attn
