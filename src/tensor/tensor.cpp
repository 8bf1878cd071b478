#include "tensor/tensor.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "base/error.h"

namespace attn {

namespace {
constexpr size_t kAlignment = 64;  // one cache line, one zmm register

// glibc serves large blocks with fresh mmaps and unmaps them on free, so every
// training step would page-fault its activations in again (~20% of a step).
// Keeping freed blocks in the heap lets the next step reuse them.
const bool heap_reuse = [] {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return true;
}();

std::shared_ptr<float[]> allocate(int64_t n) {
  size_t bytes = std::max<size_t>(kAlignment, (static_cast<size_t>(n) * sizeof(float) + kAlignment - 1) /
                                                  kAlignment * kAlignment);
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (!p) throw std::bad_alloc();
  return std::shared_ptr<float[]>(static_cast<float*>(p), [](float* q) { std::free(q); });
}
}  // namespace

Tensor Tensor::empty(const Shape& shape) {
  for (int64_t d : shape) ATTN_CHECK(d >= 0, shape, "negative dimension in ", to_string(shape));
  Tensor t;
  t.shape_ = shape;
  t.numel_ = attn::numel(shape);
  t.storage_ = allocate(t.numel_);
  return t;
}

Tensor Tensor::zeros(const Shape& shape) {
  Tensor t = empty(shape);
  std::memset(t.data(), 0, t.numel_ * sizeof(float));
  return t;
}

Tensor Tensor::full(const Shape& shape, float value) {
  Tensor t = empty(shape);
  t.fill(value);
  return t;
}

Tensor Tensor::from(const Shape& shape, const std::vector<float>& values) {
  ATTN_CHECK(attn::numel(shape) == static_cast<int64_t>(values.size()), shape, "shape ", to_string(shape),
             " needs ", attn::numel(shape), " values, got ", values.size());
  Tensor t = empty(shape);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

int64_t Tensor::dim(int axis) const { return shape_[normalize_axis(axis, rank())]; }

Tensor Tensor::reshape(const Shape& shape) const {
  Shape resolved = shape;
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i] == -1) {
      ATTN_CHECK(infer < 0, shape, "reshape to ", to_string(shape), ": more than one -1");
      infer = static_cast<int>(i);
    } else {
      known *= resolved[i];
    }
  }
  if (infer >= 0) {
    ATTN_CHECK(known > 0 && numel_ % known == 0, shape, "cannot reshape ", to_string(shape_), " to ",
               to_string(shape));
    resolved[infer] = numel_ / known;
  }
  ATTN_CHECK(attn::numel(resolved) == numel_, shape, "cannot reshape ", to_string(shape_), " (", numel_,
             " elements) to ", to_string(shape));
  Tensor t = *this;
  t.shape_ = resolved;
  return t;
}

Tensor Tensor::rows(int64_t begin, int64_t end) const {
  ATTN_CHECK(rank() >= 1 && begin >= 0 && begin <= end && end <= shape_[0], shape, "rows [", begin, ", ",
             end, ") out of range for ", to_string(shape_));
  Tensor t = *this;
  int64_t row = rank() ? numel_ / std::max<int64_t>(shape_[0], 1) : 1;
  t.offset_ = offset_ + begin * row;
  t.shape_[0] = end - begin;
  t.numel_ = attn::numel(t.shape_);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape_);
  if (numel_) std::memcpy(t.data(), data(), numel_ * sizeof(float));
  return t;
}

void Tensor::fill(float value) { std::fill(data(), data() + numel_, value); }

void Tensor::copy_from(const Tensor& other) {
  ATTN_CHECK(other.numel_ == numel_, shape, "copy of ", to_string(other.shape_), " into ", to_string(shape_));
  if (numel_) std::memmove(data(), other.data(), numel_ * sizeof(float));
}

std::vector<float> Tensor::to_vector() const { return std::vector<float>(data(), data() + numel_); }

}  // namespace attn
