#include <catch2/catch.hpp>
#include <omp.h>

#include <vector>

#include "kernels/broadcast_binary.h"
#include "tensor/broadcast.h"
#include "tensor/rng.h"

using namespace attn;
using kernels::BroadcastLayout;

TEST_CASE("make_layout collapses same-shape and bias-like layouts") {
  const int64_t dims[3] = {4, 5, 6}, dense[3] = {30, 6, 1}, bias[3] = {0, 0, 1}, col[3] = {0, 1, 0};
  const BroadcastLayout same = kernels::make_layout(3, dims, dense, dense, dense);
  CHECK(same.rank == 1);
  CHECK(same.dims[0] == 120);
  const BroadcastLayout rows = kernels::make_layout(3, dims, dense, dense, bias);
  REQUIRE(rows.rank == 2);
  CHECK(rows.dims[0] == 20);
  CHECK(rows.dims[1] == 6);
  CHECK(rows.strides[2][0] == 0);
  const BroadcastLayout three = kernels::make_layout(3, dims, dense, col);
  CHECK(three.rank == 3);
  const int64_t ones[2] = {1, 1}, zero[2] = {0, 0};
  const BroadcastLayout scalar = kernels::make_layout(2, ones, zero, zero);
  CHECK(scalar.rank == 1);
  CHECK(scalar.dims[0] == 1);
}

// Random shapes (some large enough for the threaded split), random broadcast
// patterns; each kernel against a plain loop over broadcast_offset, and the
// threaded result bit-identical to the single-thread one.
TEST_CASE("broadcast kernels match plain loops for any thread count") {
  Rng rng(31, 0);
  const int threads = omp_get_max_threads();
  for (int trial = 0; trial < 60; ++trial) {
    const int rank = 1 + static_cast<int>(rng.below(4));
    Shape out(rank), a_shape(rank), b_shape(rank);
    const int64_t big = trial % 3 == 0 ? 40 : 7;
    for (int d = 0; d < rank; ++d) {
      out[d] = 1 + rng.below(big);
      a_shape[d] = rng.below(3) == 0 ? 1 : out[d];
      b_shape[d] = rng.below(3) == 0 ? 1 : out[d];
    }
    const auto so = broadcast_strides(out, out), sa = broadcast_strides(a_shape, out),
               sb = broadcast_strides(b_shape, out);
    std::vector<float> a(numel(a_shape)), b(numel(b_shape)), src(numel(out));
    rng.fill_uniform(a.data(), a.size(), 0.5f, 1.5f);
    rng.fill_uniform(b.data(), b.size(), 0.5f, 1.5f);
    rng.fill_uniform(src.data(), src.size(), -1.0f, 1.0f);
    INFO("out " << to_string(out) << " a " << to_string(a_shape) << " b " << to_string(b_shape));

    // binary: out = a / b, then out += a - b
    const BroadcastLayout bin = kernels::make_layout(rank, out.data(), so.data(), sa.data(), sb.data());
    std::vector<float> got(numel(out)), want(numel(out));
    kernels::binary_fwd(kernels::BinaryOp::div, bin, a.data(), b.data(), got.data(), false);
    kernels::binary_fwd(kernels::BinaryOp::sub, bin, a.data(), b.data(), got.data(), true);
    for (int64_t i = 0; i < numel(out); ++i) {
      const float x = a[broadcast_offset(i, out, sa)], y = b[broadcast_offset(i, out, sb)];
      want[i] = x / y;
      want[i] += x - y;
    }
    REQUIRE(got == want);

    // strided_axpy: dense out (+)= 2 · a broadcast
    const BroadcastLayout spread = kernels::make_layout(rank, out.data(), so.data(), sa.data());
    std::vector<float> y(src);
    kernels::strided_axpy(spread, a.data(), y.data(), 2.0f, true);
    for (int64_t i = 0; i < numel(out); ++i) REQUIRE(y[i] == src[i] + 2.0f * a[broadcast_offset(i, out, sa)]);

    // broadcast_sum: a-shaped += 0.5 · Σ src over a's broadcast dims
    const BroadcastLayout reduce = kernels::make_layout(rank, out.data(), sa.data(), so.data());
    std::vector<double> expect(a.size(), 0.0);
    for (int64_t i = 0; i < numel(out); ++i) expect[broadcast_offset(i, out, sa)] += src[i];
    std::vector<float> serial(a.size(), 1.0f), threaded(a.size(), 1.0f);
    omp_set_num_threads(1);
    kernels::broadcast_sum(reduce, src.data(), serial.data(), 0.5f);
    omp_set_num_threads(std::max(threads, 2));
    kernels::broadcast_sum(reduce, src.data(), threaded.data(), 0.5f);
    omp_set_num_threads(threads);
    for (size_t i = 0; i < a.size(); ++i) {
      REQUIRE(serial[i] == Approx(1.0 + 0.5 * expect[i]).margin(1e-4));
      REQUIRE(threaded[i] == serial[i]);
    }
  }
}
