#include "tasks/attention_rollout.h"

#include <Eigen/Dense>

#include "base/error.h"

namespace attn::tasks {

Tensor attention_rollout(const std::vector<Tensor>& layers) {
  ATTN_CHECK(!layers.empty(), shape, "attention rollout needs at least one layer");
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int64_t T = layers.front().dim(3);
  Matrix rollout = Matrix::Identity(T, T);
  for (const Tensor& w : layers) {
    ATTN_CHECK(w.shape().size() == 4 && w.dim(0) == 1 && w.dim(2) == T && w.dim(3) == T, shape,
               "attention rollout needs layers of [1, H, ", T, ", ", T, "], got ", to_string(w.shape()));
    const int64_t H = w.dim(1);
    Matrix a = Matrix::Identity(T, T);
    for (int64_t h = 0; h < H; ++h)
      a += Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
               w.data() + h * T * T, T, T).cast<double>() / static_cast<double>(H);
    a.array().colwise() /= a.rowwise().sum().array();
    rollout = a * rollout;
  }
  Tensor out = Tensor::empty({T, T});
  for (int64_t i = 0; i < T * T; ++i) out[i] = static_cast<float>(rollout.data()[i]);
  return out;
}

}  // namespace attn::tasks
