#include <catch2/catch.hpp>
#include <omp.h>
#include <vector>

#include "kernels/packed_product.h"
#include "tensor/rng.h"

using namespace attn;
using attn::kernels::PackedProductShape;

namespace {

std::vector<float> random_vector(Rng& rng, int64_t n) {
  std::vector<float> v(n);
  rng.fill_uniform(v.data(), n, -1.0f, 1.0f);
  return v;
}

// Shapes of the recurrent ops (32-row chunks, K from 132 to 1024) and awkward ones: one row,
// one column, odd widths, calls with fewer rows than the packed layout was chosen for.
const std::vector<PackedProductShape> kShapes = {
    {1, 1, 1, false},    {1, 1, 1, true},     {3, 5, 7, false},      {3, 5, 7, true},
    {32, 52, 132, false}, {32, 132, 52, true}, {32, 1024, 512, true}, {32, 512, 1024, false},
    {32, 256, 1024, false}, {17, 33, 65, true}};

}  // namespace

TEST_CASE("packed_product matches its reference twin") {
  Rng rng(91, 0);
  for (const PackedProductShape& s : kShapes)
    for (int64_t m : {s.rows, int64_t{1}, s.rows > 2 ? s.rows - 2 : s.rows})
      for (bool accumulate : {false, true}) {
        INFO("rows " << s.rows << " m " << m << " N " << s.n << " K " << s.k << " trans " << s.trans << " acc "
                     << accumulate);
        const std::vector<float> w = random_vector(rng, s.n * s.k), a = random_vector(rng, m * s.k);
        std::vector<float> packed(kernels::packed_weight_floats(s));
        kernels::pack_weight(s, w.data(), packed.data());
        const std::vector<float> c0 = random_vector(rng, m * s.n);
        std::vector<float> got = c0, want = c0;
        kernels::packed_product(s, m, a.data(), w.data(), packed.data(), got.data(), accumulate);
        kernels::packed_product_reference(s, m, a.data(), w.data(), want.data(), accumulate);
        for (int64_t i = 0; i < m * s.n; ++i) REQUIRE(got[i] == Approx(want[i]).margin(1e-4));
      }
}

TEST_CASE("packed_product calls from concurrent threads give the single-thread bits") {
  // Each thread runs its own rows through the same primitive, as the recurrent ops do.
  Rng rng(92, 0);
  for (const PackedProductShape& s : {PackedProductShape{32, 52, 132, false}, PackedProductShape{32, 1024, 512, true},
                                      PackedProductShape{32, 512, 1024, false}}) {
    INFO("N " << s.n << " K " << s.k << " trans " << s.trans);
    const int64_t chunks = 4, m = s.rows;
    const std::vector<float> w = random_vector(rng, s.n * s.k), a = random_vector(rng, chunks * m * s.k);
    std::vector<float> packed(kernels::packed_weight_floats(s));
    kernels::pack_weight(s, w.data(), packed.data());
    std::vector<float> serial(chunks * m * s.n), parallel(chunks * m * s.n);
    for (int64_t c = 0; c < chunks; ++c)
      kernels::packed_product(s, m, a.data() + c * m * s.k, w.data(), packed.data(), serial.data() + c * m * s.n,
                              false);
    for (int rep = 0; rep < 20; ++rep) {
#pragma omp parallel for schedule(static) num_threads(2)
      for (int64_t c = 0; c < chunks; ++c)
        kernels::packed_product(s, m, a.data() + c * m * s.k, w.data(), packed.data(), parallel.data() + c * m * s.n,
                                false);
      for (size_t i = 0; i < serial.size(); ++i) REQUIRE(parallel[i] == serial[i]);
    }
  }
}
