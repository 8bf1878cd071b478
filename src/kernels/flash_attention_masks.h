// Mask geometry of fused attention: which keys a query sees, which queries see a
// key, and whether a whole query × key block is visible, for key padding, causal
// and window masks combined. Every visible set is one interval because each
// mask bounds j by a non-decreasing function of i. The 2-D grid window is not an
// interval (a patch sees a few runs of its neighbouring rows, and <cls> sees
// all): the intervals ignore it, so they are supersets, every block counts as
// masked, and a bit table (one bit per position pair) masks lanes inside a block.
// Also the per-thread scratch buffer and the per-ISA entry points behind
// flash_attention.h's dispatch.
//
// Defined in a baseline-ISA file and called (not inlined) from the SIMD files, so
// no inline function is compiled twice with different ISA flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/flash_attention.h"

namespace attn::kernels::flash {

struct Span {
  int64_t begin, end;  // [begin, end); empty when begin >= end
};

struct MaskGeometry {
  int64_t Tq, Tk;
  int64_t offset;  // Tk - Tq: query i is aligned with key i + offset
  int64_t window;  // -1: no window
  bool causal;
  const int32_t* key_lengths;
  // Grid window: bit y of row x (grid_bits + x · grid_words) says whether x sees y,
  // the same both ways (the rule is symmetric); nullptr when no grid window.
  const uint64_t* grid_bits;
  int64_t grid_words;
};

// The bit table of p.grid ([Tq][grid_words] 64-bit words, padding bits 0); empty when inactive.
std::vector<uint64_t> grid_table(const FlashParams& p);
// `table` is grid_table(p), which must outlive the geometry.
MaskGeometry mask_geometry(const FlashParams& p, const std::vector<uint64_t>& table);
// Number of real keys of batch entry b (key_lengths clamped to [0, Tk]).
int64_t key_limit(const MaskGeometry& g, int64_t b);
// Keys seen by at least one query in [i0, i1); a superset is allowed (masking is exact).
Span keys_of_queries(const MaskGeometry& g, int64_t b, int64_t i0, int64_t i1);
// Queries that see at least one key in [j0, j1), exactly.
Span queries_of_keys(const MaskGeometry& g, int64_t b, int64_t j0, int64_t j1);
// True if every query in [i0, i1) sees every key in [j0, j1).
bool block_fully_visible(const MaskGeometry& g, int64_t b, int64_t i0, int64_t i1, int64_t j0, int64_t j1);
// For key rows j0 + r, r < n: the visible queries as lane indices relative to query
// `lane0`, inclusive [lo[r], hi[r]] (lo > hi when none).
void key_row_lanes(const MaskGeometry& g, int64_t b, int64_t j0, int64_t n, int64_t lane0, int32_t* lo,
                   int32_t* hi);
// For query rows i0 + r, r < n: the visible keys as lane indices relative to key `j0`,
// inclusive [lo[r], hi[r]], also clipped to lanes below `lanes` (the block width).
void query_row_lanes(const MaskGeometry& g, int64_t b, int64_t i0, int64_t n, int64_t j0, int64_t lanes,
                     int32_t* lo, int32_t* hi);

// 64-byte-aligned float scratch owned by one thread for one kernel call.
float* scratch_alloc(std::size_t floats);
void scratch_free(float* p);

// The SIMD variants (flash_attention_{scalar,avx2,avx512}.cpp).
void fwd_scalar(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse);
void fwd_avx2(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse);
void fwd_avx512(const FlashParams& p, const float* q, const float* k, const float* v, float* o, float* lse);
void bwd_scalar(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                const float* dout, const float* lse, float* dq, float* dk, float* dv);
void bwd_avx2(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
              const float* dout, const float* lse, float* dq, float* dk, float* dv);
void bwd_avx512(const FlashParams& p, const float* q, const float* k, const float* v, const float* o,
                const float* dout, const float* lse, float* dq, float* dk, float* dv);

}  // namespace attn::kernels::flash
