#include <catch2/catch.hpp>
#include <cstdint>
#include <thread>

#include "base/error.h"
#include "tensor/broadcast.h"
#include "tensor/rng.h"
#include "tensor/tensor.h"

using namespace attn;

TEST_CASE("tensor storage is 64-byte aligned and contiguous") {
  for (int64_t n : {1, 3, 17, 1000}) {
    Tensor t = Tensor::zeros({n, 3});
    CHECK(reinterpret_cast<uintptr_t>(t.data()) % 64 == 0);
    CHECK(t.numel() == n * 3);
    CHECK(t[n * 3 - 1] == 0.0f);
  }
}

TEST_CASE("reshape is a zero-copy view and infers one dimension") {
  Tensor t = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor r = t.reshape({3, -1});
  CHECK(r.shape() == Shape{3, 2});
  CHECK(r.shares_storage(t));
  r[0] = 42.0f;
  CHECK(t[0] == 42.0f);
  CHECK_THROWS_AS(t.reshape({4, 2}), Error);
  CHECK_THROWS_AS(t.reshape({-1, -1}), Error);
}

TEST_CASE("rows view and clone") {
  Tensor t = Tensor::from({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor r = t.rows(1, 3);
  CHECK(r.shape() == Shape{2, 2});
  CHECK(r[0] == 3.0f);
  Tensor c = t.clone();
  c[0] = 9.0f;
  CHECK(t[0] == 1.0f);
}

TEST_CASE("broadcast shapes and offsets") {
  CHECK(broadcast_shapes({2, 1, 3}, {4, 1}) == Shape{2, 4, 3});
  CHECK_THROWS_AS(broadcast_shapes({2, 3}, {4, 3}), Error);
  Shape out{2, 4, 3};
  auto strides = broadcast_strides({4, 1}, out);
  CHECK(strides == std::vector<int64_t>{0, 1, 0});
  CHECK(broadcast_offset(1 * 12 + 2 * 3 + 1, out, strides) == 2);
}

TEST_CASE("rng streams are reproducible, independent, and thread-count free") {
  Rng a(5, 1), b(5, 1), c(5, 2);
  std::vector<float> xa(1000), xb(1000), xc(1000);
  a.fill_uniform(xa.data(), 1000);
  for (auto& x : xb) x = b.uniform();
  c.fill_uniform(xc.data(), 1000);
  CHECK(xa == xb);  // bulk and one-by-one draws agree
  CHECK(xa != xc);
  CHECK(a.state().position == 1000);
  // A large fill runs in parallel; the values must equal the sequential ones.
  Rng big(9, 0), seq(9, 0);
  std::vector<float> par(200000);
  big.fill_uniform(par.data(), par.size());
  for (size_t i = 0; i < par.size(); i += 9973) {
    Rng at(RngState{9, 0, i});
    CHECK(par[i] == at.uniform());
  }
  double mean = 0;
  for (float x : par) mean += x;
  mean /= par.size();
  CHECK(mean == Approx(0.5).margin(0.01));
  CHECK(Rng(1, 0).fork(1).next_u32() != Rng(1, 0).fork(2).next_u32());
}
