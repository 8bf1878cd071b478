// Tensor: float32, contiguous, row-major, over 64-byte-aligned shared storage.
// Copies share storage (cheap handles); reshape returns a zero-copy view;
// clone() deep-copies. No autodiff here: see autodiff/var.h.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tensor/shape.h"

namespace attn {

class Tensor {
 public:
  Tensor() = default;
  static Tensor empty(const Shape& shape);  // uninitialised
  static Tensor zeros(const Shape& shape);
  static Tensor full(const Shape& shape, float value);
  static Tensor from(const Shape& shape, const std::vector<float>& values);

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int axis) const;  // negative axes count from the end
  int64_t numel() const { return numel_; }

  float* data() { return storage_.get() + offset_; }
  const float* data() const { return storage_.get() + offset_; }
  float& operator[](int64_t i) { return data()[i]; }
  float operator[](int64_t i) const { return data()[i]; }

  // Zero-copy view with a new shape of the same element count; one dim may be -1.
  Tensor reshape(const Shape& shape) const;
  // Zero-copy view of rows [begin, end) along the first axis.
  Tensor rows(int64_t begin, int64_t end) const;
  Tensor clone() const;
  void fill(float value);
  void zero() { fill(0.0f); }
  // Element-wise copy from a tensor of the same element count.
  void copy_from(const Tensor& other);
  bool shares_storage(const Tensor& other) const { return storage_ == other.storage_; }
  // True when no other handle or view shares this storage.
  bool unique() const { return storage_.use_count() == 1; }
  std::vector<float> to_vector() const;

 private:
  std::shared_ptr<float[]> storage_;
  int64_t offset_ = 0;
  int64_t numel_ = 0;
  Shape shape_;
};

}  // namespace attn
