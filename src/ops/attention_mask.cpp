#include "ops/attention_mask.h"

#include "base/error.h"
#include "tensor/broadcast.h"

namespace attn {

void check_attention_mask(const AttentionMask& spec, int64_t batch, int64_t heads, int64_t tq, int64_t tk) {
  ATTN_CHECK(spec.window >= -1, shape, "attention window must be -1 (none) or >= 0, got ", spec.window);
  const GridWindow& g = spec.grid;
  ATTN_CHECK(g.window >= -1 && g.rows >= 0 && g.cols >= 0 && g.prefix >= 0, shape,
             "attention grid window needs a grid, prefix >= 0 and a window >= -1, got ", g.rows, "x", g.cols,
             ", prefix ", g.prefix, ", window ", g.window);
  ATTN_CHECK(!g.active() || (tq == g.length() && tk == g.length()), shape, "attention grid window of ", g.rows,
             "x", g.cols, " patches after ", g.prefix, " global slots needs Tq = Tk = ", g.length(), ", got Tq ",
             tq, ", Tk ", tk);
  if (!spec.key_lengths.empty()) {
    ATTN_CHECK(static_cast<int64_t>(spec.key_lengths.size()) == batch, shape, "attention key_lengths has ",
               spec.key_lengths.size(), " entries for batch ", batch);
    for (size_t b = 0; b < spec.key_lengths.size(); ++b)
      ATTN_CHECK(spec.key_lengths[b] >= 0 && spec.key_lengths[b] <= tk, shape, "attention key_lengths[", b,
                 "] = ", spec.key_lengths[b], " outside [0, Tk = ", tk, "]");
  }
  if (spec.mask.defined()) {
    const Shape full{batch, heads, tq, tk};
    const Shape& m = spec.mask.shape();
    bool fits = m.size() <= 4;
    for (size_t i = 0; fits && i < m.size(); ++i) {
      const int64_t want = full[4 - m.size() + i];
      fits = m[i] == want || m[i] == 1;
    }
    ATTN_CHECK(fits, shape, "explicit attention mask of shape ", to_string(m), " does not broadcast to ",
               to_string(full));
  }
}

Tensor build_attention_mask(const AttentionMask& spec, int64_t batch, int64_t heads, int64_t tq, int64_t tk) {
  check_attention_mask(spec, batch, heads, tq, tk);
  if (!spec.any()) return Tensor();
  const bool padded = !spec.key_lengths.empty();
  Shape shape{padded ? batch : 1, 1, tq, tk};
  std::vector<int64_t> explicit_strides;
  if (spec.mask.defined()) {
    shape = broadcast_shapes(shape, spec.mask.shape());
    explicit_strides = broadcast_strides(spec.mask.shape(), shape);
  }
  Tensor out = Tensor::empty(shape);
  const int64_t nb = shape[0], nh = shape[1];
  float* o = out.data();
  const int64_t step = explicit_strides.empty() ? 0 : explicit_strides.back();
  for (int64_t b = 0; b < nb; ++b) {
    const int64_t length = padded ? spec.key_lengths[b] : tk;
    for (int64_t h = 0; h < nh; ++h)
      for (int64_t i = 0; i < tq; ++i) {
        const int64_t row = ((b * nh + h) * tq + i) * tk;
        const float* explicit_row =
            spec.mask.defined() ? spec.mask.data() + broadcast_offset(row, shape, explicit_strides) : nullptr;
        for (int64_t j = 0; j < tk; ++j) {
          bool keep = j < length && key_visible(i, j, tq, tk, spec.causal, spec.window) &&
                      grid_visible(spec.grid, i, j);
          if (keep && explicit_row) keep = explicit_row[j * step] != 0.0f;
          o[row + j] = keep ? 1.0f : 0.0f;
        }
      }
  }
  return out;
}

Tensor fill_masked(const Tensor& x, const Tensor* mask, float value) {
  if (!mask) return x;
  const Shape shape = broadcast_shapes(x.shape(), mask->shape());
  ATTN_CHECK(shape == x.shape(), shape, "mask of shape ", to_string(mask->shape()), " does not broadcast to ",
             to_string(x.shape()));
  const std::vector<int64_t> strides = broadcast_strides(mask->shape(), shape);
  Tensor out = x.clone();
  const int64_t n = x.rank() > 0 ? x.dim(-1) : 1;
  const int64_t step = strides.empty() ? 0 : strides.back();
  const float* m = mask->data();
  float* o = out.data();
  for (int64_t row = 0; row * n < out.numel(); ++row) {
    const float* mr = m + broadcast_offset(row * n, shape, strides);
    float* orow = o + row * n;
    for (int64_t j = 0; j < n; ++j)
      if (mr[j * step] == 0.0f) orow[j] = value;
  }
  return out;
}

}  // namespace attn
