#include "kernels/broadcast_binary.h"

#include <omp.h>

#include <algorithm>
#include <cassert>

namespace attn::kernels {

namespace {
// Below this many elements a loop is not worth waking the thread team.
constexpr int64_t kParallelMin = 1 << 15;
// Column chunks of a split innermost dim are whole vectors of this many floats.
constexpr int64_t kLanes = 16;

int64_t total(const BroadcastLayout& l) {
  int64_t n = 1;
  for (int d = 0; d < l.rank; ++d) n *= l.dims[d];
  return n;
}

// Calls row(o0, o1, o2, n) for every innermost row of the box [begin, end) in
// row-major order, with the operand offsets of the row's first element.
template <class Row>
void for_box(const BroadcastLayout& l, const int64_t* begin, const int64_t* end, Row& row) {
  const int inner = l.rank - 1;
  int64_t idx[kMaxRank];
  int64_t off[3] = {0, 0, 0};
  for (int d = 0; d <= inner; ++d) {
    if (begin[d] >= end[d]) return;
    idx[d] = begin[d];
    for (int k = 0; k < 3; ++k) off[k] += begin[d] * l.strides[k][d];
  }
  const int64_t n = end[inner] - begin[inner];
  for (;;) {
    row(off[0], off[1], off[2], n);
    int d = inner - 1;
    for (; d >= 0; --d) {
      if (++idx[d] < end[d]) {
        for (int k = 0; k < 3; ++k) off[k] += l.strides[k][d];
        break;
      }
      for (int k = 0; k < 3; ++k) off[k] -= (end[d] - 1 - begin[d]) * l.strides[k][d];
      idx[d] = begin[d];
    }
    if (d < 0) return;
  }
}

// Runs for_box over the whole space, split across threads along the largest
// dim in which the destination moves: no two threads touch one destination
// element, and each element sees its terms in the same order as a serial run.
template <class Row>
void parallel_box(const BroadcastLayout& l, Row&& row) {
  int64_t begin[kMaxRank] = {}, end[kMaxRank] = {};
  std::copy(l.dims, l.dims + l.rank, end);
  int split = -1;
  for (int d = 0; d < l.rank; ++d)
    if (l.strides[0][d] != 0 && l.dims[d] > 1 && (split < 0 || l.dims[d] > l.dims[split])) split = d;
  const int threads = omp_get_max_threads();
  if (split < 0 || threads == 1 || total(l) < kParallelMin || omp_in_parallel()) {
    for_box(l, begin, end, row);
    return;
  }
  const int64_t grain = split == l.rank - 1 ? kLanes : 1;
  const int64_t units = (l.dims[split] + grain - 1) / grain;
  const int team = static_cast<int>(std::min<int64_t>(threads, units));
#pragma omp parallel num_threads(team)
  {
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
    int64_t b[kMaxRank], e[kMaxRank];
    std::copy(begin, begin + l.rank, b);
    std::copy(end, end + l.rank, e);
    b[split] = std::min(l.dims[split], units * t / nt * grain);
    e[split] = std::min(l.dims[split], units * (t + 1) / nt * grain);
    for_box(l, b, e, row);
  }
}

template <bool Acc>
inline void put(float* y, float v) {
  if constexpr (Acc)
    *y += v;
  else
    *y = v;
}

template <bool Acc, class F>
void binary_row(F f, float* __restrict y, int64_t sy, const float* a, int64_t sa, const float* b, int64_t sb,
                int64_t n) {
  if (sy == 1 && sa == 1 && sb == 1) {
    for (int64_t j = 0; j < n; ++j) put<Acc>(y + j, f(a[j], b[j]));
  } else if (sy == 1 && sa == 1 && sb == 0) {
    const float bv = *b;
    for (int64_t j = 0; j < n; ++j) put<Acc>(y + j, f(a[j], bv));
  } else if (sy == 1 && sa == 0 && sb == 1) {
    const float av = *a;
    for (int64_t j = 0; j < n; ++j) put<Acc>(y + j, f(av, b[j]));
  } else {
    for (int64_t j = 0; j < n; ++j) put<Acc>(y + j * sy, f(a[j * sa], b[j * sb]));
  }
}

template <bool Acc, class F>
void binary_all(F f, const BroadcastLayout& l, const float* a, const float* b, float* out) {
  const int in = l.rank - 1;
  const int64_t sy = l.strides[0][in], sa = l.strides[1][in], sb = l.strides[2][in];
  parallel_box(l, [=](int64_t o0, int64_t o1, int64_t o2, int64_t n) {
    binary_row<Acc>(f, out + o0, sy, a + o1, sa, b + o2, sb, n);
  });
}

template <class F>
void binary_dispatch(F f, const BroadcastLayout& l, const float* a, const float* b, float* out, bool acc) {
  if (acc)
    binary_all<true>(f, l, a, b, out);
  else
    binary_all<false>(f, l, a, b, out);
}

// Σ x[j·sx] for j < n. Contiguous rows use 16 interleaved partial sums combined
// pairwise: vectorisable, more accurate than one running sum, and fixed in order.
float row_sum(const float* x, int64_t sx, int64_t n) {
  if (sx != 1) {
    float s = 0.0f;
    for (int64_t j = 0; j < n; ++j) s += x[j * sx];
    return s;
  }
  float lanes[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int64_t k = 0; k < kLanes; ++k) lanes[k] += x[j + k];
  float tail = 0.0f;
  for (; j < n; ++j) tail += x[j];
  for (int64_t width = kLanes / 2; width > 0; width /= 2)
    for (int64_t k = 0; k < width; ++k) lanes[k] += lanes[k + width];
  return lanes[0] + tail;
}
// A copy whose destination rows read the source with a stride while the source
// is contiguous along another dim (a transpose): returns that dim, else -1.
int transposed_dim(const BroadcastLayout& l) {
  const int in = l.rank - 1;
  if (l.rank < 2 || l.strides[0][in] != 1 || l.strides[1][in] <= 1) return -1;
  for (int d = 0; d < in; ++d)
    if (l.strides[1][d] == 1) return d;
  return -1;
}

// The transpose of strided_axpy in kTile × kTile tiles, so the source lines of
// one tile stay in L1 while its rows are written; tiles are split across threads.
// (16 beat 32, 64 and tiles staged through a buffer on [4096, 1024]: 4.4 ms vs
// 7–8 ms, 48 ms untiled; a plain copy takes 0.9 ms.)
void transpose_tiles(const BroadcastLayout& l, int p, const float* x, float* y, float alpha, bool accumulate) {
  constexpr int64_t kTile = 16;
  const int in = l.rank - 1;
  int64_t dims[kMaxRank], sy[kMaxRank], sx[kMaxRank];
  int rank = 0;
  int64_t outer = 1;
  for (int d = 0; d < in; ++d) {
    if (d == p) continue;
    dims[rank] = l.dims[d], sy[rank] = l.strides[0][d], sx[rank] = l.strides[1][d];
    outer *= dims[rank++];
  }
  const int64_t rows = l.dims[p], cols = l.dims[in], y_row = l.strides[0][p], x_col = l.strides[1][in];
  const int64_t row_tiles = (rows + kTile - 1) / kTile, col_tiles = (cols + kTile - 1) / kTile;
  const int64_t tiles = row_tiles * col_tiles, items = outer * tiles;
#pragma omp parallel for schedule(static) if (items > 1 && total(l) >= kParallelMin && !omp_in_parallel())
  for (int64_t item = 0; item < items; ++item) {
    int64_t rest = item / tiles, oy = 0, ox = 0;
    for (int d = rank - 1; d >= 0; --d) {
      const int64_t i = rest % dims[d];
      rest /= dims[d];
      oy += i * sy[d], ox += i * sx[d];
    }
    const int64_t r0 = item % tiles / col_tiles * kTile, c0 = item % col_tiles * kTile;
    const int64_t r1 = std::min(rows, r0 + kTile), c1 = std::min(cols, c0 + kTile);
    for (int64_t i = r0; i < r1; ++i) {
      float* __restrict yr = y + oy + i * y_row;
      const float* xr = x + ox + i;
      if (accumulate)
        for (int64_t j = c0; j < c1; ++j) yr[j] += alpha * xr[j * x_col];
      else
        for (int64_t j = c0; j < c1; ++j) yr[j] = alpha * xr[j * x_col];
    }
  }
}
}  // namespace

BroadcastLayout make_layout(int rank, const int64_t* dims, const int64_t* dst_strides,
                            const int64_t* src_strides, const int64_t* src2_strides) {
  assert(rank <= kMaxRank);
  const int64_t* given[3] = {dst_strides, src_strides, src2_strides};
  BroadcastLayout l;
  for (int d = 0; d < rank; ++d) {
    if (dims[d] == 1) continue;
    int64_t st[3];
    for (int k = 0; k < 3; ++k) st[k] = given[k] ? given[k][d] : 0;
    if (l.rank > 0) {
      const int p = l.rank - 1;
      bool merge = true;
      for (int k = 0; k < 3; ++k) merge = merge && l.strides[k][p] == st[k] * dims[d];
      if (merge) {
        l.dims[p] *= dims[d];
        for (int k = 0; k < 3; ++k) l.strides[k][p] = st[k];
        continue;
      }
    }
    l.dims[l.rank] = dims[d];
    for (int k = 0; k < 3; ++k) l.strides[k][l.rank] = st[k];
    ++l.rank;
  }
  if (l.rank == 0) {  // a single element
    l.rank = 1;
    l.dims[0] = 1;
  }
  return l;
}

void binary_fwd(BinaryOp op, const BroadcastLayout& l, const float* a, const float* b, float* out,
                bool accumulate) {
  switch (op) {
    case BinaryOp::add: binary_dispatch([](float x, float y) { return x + y; }, l, a, b, out, accumulate); break;
    case BinaryOp::sub: binary_dispatch([](float x, float y) { return x - y; }, l, a, b, out, accumulate); break;
    case BinaryOp::mul: binary_dispatch([](float x, float y) { return x * y; }, l, a, b, out, accumulate); break;
    case BinaryOp::div: binary_dispatch([](float x, float y) { return x / y; }, l, a, b, out, accumulate); break;
  }
}

void strided_axpy(const BroadcastLayout& l, const float* x, float* y, float alpha, bool accumulate) {
  if (const int p = transposed_dim(l); p >= 0) {
    transpose_tiles(l, p, x, y, alpha, accumulate);
    return;
  }
  const int in = l.rank - 1;
  const int64_t sy = l.strides[0][in], sx = l.strides[1][in];
  parallel_box(l, [=](int64_t o0, int64_t o1, int64_t, int64_t n) {
    float* __restrict yr = y + o0;
    const float* xr = x + o1;
    if (accumulate && sy == 1 && sx == 1) {
      for (int64_t j = 0; j < n; ++j) yr[j] += alpha * xr[j];
    } else if (sy == 1 && sx == 1) {
      for (int64_t j = 0; j < n; ++j) yr[j] = alpha * xr[j];
    } else if (accumulate) {
      for (int64_t j = 0; j < n; ++j) yr[j * sy] += alpha * xr[j * sx];
    } else {
      for (int64_t j = 0; j < n; ++j) yr[j * sy] = alpha * xr[j * sx];
    }
  });
}

void broadcast_sum(const BroadcastLayout& l, const float* x, float* y, float alpha) {
  const int in = l.rank - 1;
  const int64_t sy = l.strides[0][in], sx = l.strides[1][in];
  parallel_box(l, [=](int64_t o0, int64_t o1, int64_t, int64_t n) {
    float* __restrict yr = y + o0;
    const float* xr = x + o1;
    if (sy == 0) {
      *yr += alpha * row_sum(xr, sx, n);
    } else if (sy == 1 && sx == 1) {
      for (int64_t j = 0; j < n; ++j) yr[j] += alpha * xr[j];
    } else {
      for (int64_t j = 0; j < n; ++j) yr[j * sy] += alpha * xr[j * sx];
    }
  });
}

}  // namespace attn::kernels
