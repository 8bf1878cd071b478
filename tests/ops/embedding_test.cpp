#include <omp.h>

#include <catch2/catch.hpp>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/embedding.h"

using namespace attn;
using attn::testing::OpCase;

TEST_CASE("gradcheck: embedding") {
  const Ids repeated{{6}, {2, 0, 2, 4, 2, 0}};
  const Ids grid{{2, 3}, {1, 1, 3, 0, 1, 2}};
  const Ids single{{1}, {0}};
  std::vector<OpCase> cases = {
      {"embedding repeated ids", {{5, 3}},
       [repeated](const std::vector<Var>& v) { return embedding(v[0], repeated); }},
      {"embedding [2,3] ids", {{4, 2}}, [grid](const std::vector<Var>& v) { return embedding(v[0], grid); }},
      {"embedding V=1 C=1", {{1, 1}}, [single](const std::vector<Var>& v) { return embedding(v[0], single); }},
  };
  attn::testing::run_op_cases(cases);
}

TEST_CASE("embedding gathers rows and repeated ids accumulate their gradients") {
  Var weight = Var::parameter(Tensor::from({3, 2}, {0, 1, 10, 11, 20, 21}));
  Var out = embedding(weight, Ids{{2, 2}, {2, 0, 2, 2}});
  REQUIRE(out.shape() == Shape{2, 2, 2});
  const std::vector<float> rows{20, 21, 0, 1, 20, 21, 20, 21};
  for (int64_t i = 0; i < 8; ++i) REQUIRE(out.value()[i] == rows[i]);
  out.backward(Tensor::from({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}));
  const std::vector<float> grad{3, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8};
  for (int64_t i = 0; i < 6; ++i) REQUIRE(weight.grad()[i] == grad[i]);
}

TEST_CASE("embedding scatter-add does not depend on the thread count") {
  const int64_t v = 17, c = 300, n = 600;  // above the parallel threshold, several column blocks
  Rng rng(51, 0);
  Tensor table = Tensor::empty({v, c}), seed = Tensor::empty({n, c});
  rng.fill_uniform(table.data(), table.numel(), -1.0f, 1.0f);
  rng.fill_uniform(seed.data(), seed.numel(), -1.0f, 1.0f);
  Ids ids{{n}, std::vector<int32_t>(n)};
  for (auto& id : ids.values) id = static_cast<int32_t>(rng.below(v));
  auto grad_with_threads = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    Var w = Var::parameter(table.clone());
    embedding(w, ids).backward(seed);
    omp_set_num_threads(before);
    return w.grad();
  };
  const Tensor one = grad_with_threads(1), two = grad_with_threads(2);
  for (int64_t i = 0; i < one.numel(); ++i) REQUIRE(one[i] == two[i]);
  // And it is the sum, row by row.
  for (int64_t j = 0; j < c; j += 37) {
    double expect = 0.0;
    for (int64_t i = 0; i < n; ++i)
      if (ids.values[i] == 5) expect += seed[i * c + j];
    REQUIRE(one[5 * c + j] == Approx(expect).margin(1e-4));
  }
}

TEST_CASE("embedding rejects out-of-range ids naming the id and V") {
  Var weight(Tensor::zeros({5, 2}));
  for (int32_t bad : {5, 7, -1}) {
    try {
      embedding(weight, Ids{{3}, {0, bad, 1}});
      FAIL("no error for id " << bad);
    } catch (const Error& e) {
      REQUIRE(e.kind() == ErrorKind::shape);
      REQUIRE_THAT(e.what(), Catch::Contains("id " + std::to_string(bad)) && Catch::Contains("V = 5"));
    }
  }
  REQUIRE_THROWS_AS(embedding(weight, Ids{{4}, {0, 1}}), Error);
  REQUIRE_THROWS_AS(embedding(Var(Tensor::zeros({5})), Ids{{1}, {0}}), Error);
}
