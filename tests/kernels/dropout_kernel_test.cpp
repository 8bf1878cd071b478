#include <omp.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/dropout.h"
#include "support/isas.h"
#include "tensor/rng.h"

using namespace attn;
using attn::testing::runnable_isas;
using kernels::Isa;

namespace {
// Stream positions around every alignment case: block starts and middles, and a
// batch that crosses a wrap of the counter's low word (block 2^32 - 5 onwards).
const uint64_t kPositions[] = {0, 1, 2, 3, 13, 4 * 1000003 + 2, 4 * ((uint64_t{1} << 32) - 5) + 1};
const int64_t kSizes[] = {1, 5, 15, 16, 17, 63, 64, 65, 2047, 2048, 2049, 5000};

bool same_bits(float a, float b) { return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b); }
}  // namespace

TEST_CASE("vectorised Philox equals element-wise philox_at on every ISA") {
  for (Isa isa : runnable_isas())
    for (uint64_t position : kPositions)
      for (int64_t n : kSizes) {
        INFO("isa " << kernels::isa_name(isa) << " position " << position << " n " << n);
        const RngState s{0x123456789ABCDEFull, 0xFEDCBA9876543210ull, position};
        std::vector<uint32_t> out(n);
        kernels::philox_numbers(s, n, out.data(), isa);
        for (int64_t i = 0; i < n; ++i) REQUIRE(out[i] == philox_at(s.seed, s.stream, position + i));
      }
}

TEST_CASE("dropout kernels match the element-wise reference on every ISA") {
  Rng rng(31, 7);
  for (float p : {0.0f, 0.1f, 0.5f, 0.999f, 1.0f})
    for (uint64_t position : kPositions)
      for (int64_t n : kSizes) {
        std::vector<float> x(n), dy(n), start(n);
        rng.fill_uniform(x.data(), n, -2.0f, 2.0f);
        rng.fill_uniform(dy.data(), n, -2.0f, 2.0f);
        rng.fill_uniform(start.data(), n, -1.0f, 1.0f);
        x[n / 2] = std::numeric_limits<float>::quiet_NaN();  // a dropped NaN stays NaN (a product)
        const RngState s{5, 9, position};
        std::vector<float> y_ref(n);
        std::vector<uint8_t> keep_ref(kernels::dropout_mask_bytes(n));
        kernels::dropout_fwd_reference(s, p, x.data(), n, y_ref.data(), keep_ref.data());
        const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
        for (Isa isa : runnable_isas()) {
          INFO("isa " << kernels::isa_name(isa) << " p " << p << " position " << position << " n " << n);
          std::vector<float> y(n), dx = start, dx_write(n, std::numeric_limits<float>::quiet_NaN());
          std::vector<uint8_t> keep(kernels::dropout_mask_bytes(n), 0xA5);
          kernels::dropout_fwd(s, p, x.data(), n, y.data(), keep.data(), isa);
          REQUIRE(keep == keep_ref);
          for (int64_t i = 0; i < n; ++i) REQUIRE(same_bits(y[i], y_ref[i]));
          kernels::dropout_bwd(keep.data(), p, dy.data(), n, dx.data(), true, isa);
          kernels::dropout_bwd(keep.data(), p, dy.data(), n, dx_write.data(), false, isa);
          for (int64_t i = 0; i < n; ++i) {
            const float g = dy[i] * ((keep_ref[i / 8] >> (i % 8)) & 1 ? scale : 0.0f);
            REQUIRE(same_bits(dx_write[i], g));
            REQUIRE(dx[i] == Approx(start[i] + g).margin(1e-6));  // fused or not, one rounding apart
          }
        }
      }
}

TEST_CASE("dropout keeps exactly the elements whose uniform number is at least p") {
  // p equal to an element's own uniform keeps it; the next float above drops it.
  const RngState s{11, 3, 40};
  const int64_t n = 300;
  const std::vector<float> x(n, 1.0f);
  for (int64_t probe : {0, 17, 150, 299}) {
    const float u = u32_to_unit(philox_at(s.seed, s.stream, s.position + probe));
    for (Isa isa : runnable_isas()) {
      INFO("isa " << kernels::isa_name(isa) << " element " << probe << " uniform " << u);
      std::vector<float> y(n);
      std::vector<uint8_t> keep(kernels::dropout_mask_bytes(n));
      kernels::dropout_fwd(s, u, x.data(), n, y.data(), keep.data(), isa);
      REQUIRE(y[probe] != 0.0f);
      kernels::dropout_fwd(s, std::nextafter(u, 1.0f), x.data(), n, y.data(), keep.data(), isa);
      REQUIRE(y[probe] == 0.0f);
    }
  }
}

TEST_CASE("dropout kernels give the same mask for any thread count") {
  const int64_t n = 300001;  // several chunks, above the parallel threshold, a ragged end
  std::vector<float> x(n, 1.0f), y1(n), y2(n);
  std::vector<uint8_t> k1(kernels::dropout_mask_bytes(n)), k2(k1.size());
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  kernels::dropout_fwd({8, 0, 3}, 0.3f, x.data(), n, y1.data(), k1.data());
  omp_set_num_threads(2);
  kernels::dropout_fwd({8, 0, 3}, 0.3f, x.data(), n, y2.data(), k2.data());
  omp_set_num_threads(before);
  REQUIRE(k1 == k2);
  for (int64_t i = 0; i < n; ++i) REQUIRE(same_bits(y1[i], y2[i]));
}

TEST_CASE("relu_dropout kernels match the reference and dropout of relu on every ISA") {
  Rng rng(37, 2);
  for (float p : {0.0f, 0.1f, 0.5f, 1.0f})
    for (uint64_t position : kPositions)
      for (int64_t n : kSizes) {
        std::vector<float> x(n), dy(n), start(n);
        rng.fill_uniform(x.data(), n, -2.0f, 2.0f);
        rng.fill_uniform(dy.data(), n, -2.0f, 2.0f);
        rng.fill_uniform(start.data(), n, -1.0f, 1.0f);
        x[n / 2] = std::numeric_limits<float>::quiet_NaN();  // relu keeps NaN, its gradient is 0
        x[n / 3] = 0.0f;                                      // relu'(0) = 0
        const RngState s{5, 9, position};
        std::vector<float> y_ref(n), g_ref(n), relu_x(n), y_composed(n);
        kernels::relu_dropout_fwd_reference(s, p, x.data(), n, y_ref.data());
        kernels::relu_dropout_bwd_reference(p, y_ref.data(), dy.data(), n, g_ref.data(), false);
        for (int64_t i = 0; i < n; ++i) relu_x[i] = x[i] < 0.0f ? 0.0f : x[i];
        std::vector<uint8_t> keep(kernels::dropout_mask_bytes(n));
        kernels::dropout_fwd_reference(s, p, relu_x.data(), n, y_composed.data(), keep.data());
        const float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
        for (int64_t i = 0; i < n; ++i) {
          INFO("p " << p << " position " << position << " n " << n << " i " << i);
          REQUIRE(same_bits(y_ref[i], y_composed[i]));
          const bool kept = (keep[i / 8] >> (i % 8)) & 1;
          REQUIRE(same_bits(g_ref[i], dy[i] * (kept && x[i] > 0.0f ? scale : 0.0f)));
        }
        for (Isa isa : runnable_isas()) {
          INFO("isa " << kernels::isa_name(isa) << " p " << p << " position " << position << " n " << n);
          std::vector<float> y(n), dx = start, dx_write(n, std::numeric_limits<float>::quiet_NaN());
          kernels::relu_dropout_fwd(s, p, x.data(), n, y.data(), isa);
          for (int64_t i = 0; i < n; ++i) REQUIRE(same_bits(y[i], y_ref[i]));
          kernels::relu_dropout_bwd(p, y.data(), dy.data(), n, dx.data(), true, isa);
          kernels::relu_dropout_bwd(p, y.data(), dy.data(), n, dx_write.data(), false, isa);
          for (int64_t i = 0; i < n; ++i) {
            REQUIRE(same_bits(dx_write[i], g_ref[i]));
            REQUIRE(dx[i] == Approx(start[i] + g_ref[i]).margin(1e-6));
          }
        }
      }
}
