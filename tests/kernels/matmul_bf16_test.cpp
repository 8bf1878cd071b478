#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "kernels/cpu_features.h"
#include "kernels/matmul.h"
#include "kernels/precision.h"
#include "tensor/rng.h"

using namespace attn;
using attn::kernels::MatmulShape;
using attn::kernels::Precision;

TEST_CASE("to_bf16 rounds to nearest even and keeps inf and NaN") {
  using kernels::from_bf16;
  using kernels::to_bf16;
  CHECK(to_bf16(1.0f) == 0x3f80);
  CHECK(to_bf16(-2.0f) == 0xc000);
  CHECK(from_bf16(to_bf16(1.0f + 1.0f / 256)) == 1.0f);                   // tie: down to even
  CHECK(from_bf16(to_bf16(1.0f + 3.0f / 256)) == 1.0f + 4.0f / 256);      // tie: up to even
  CHECK(from_bf16(to_bf16(1.0f + 1.0f / 256 + 1e-6f)) == 1.0f + 2.0f / 256);  // above the tie
  CHECK(std::isinf(from_bf16(to_bf16(INFINITY))));
  CHECK(std::isnan(from_bf16(to_bf16(NAN))));
  CHECK(from_bf16(to_bf16(3.3895314e38f)) == 3.3895314e38f);  // the largest bf16 stays finite
  std::vector<float> in{0.1f, -7.3f, 1e-30f, 65504.0f};
  std::vector<uint16_t> out(in.size());
  kernels::to_bf16(in.data(), out.data(), static_cast<int64_t>(in.size()));
  for (size_t i = 0; i < in.size(); ++i) CHECK(out[i] == to_bf16(in[i]));
}

// Random awkward shapes (sizes 1, odd, past oneDNN's blocks), every operand layout.
static MatmulShape random_shape(Rng& rng) {
  MatmulShape s;
  s.batch = 1 + rng.below(3);
  s.m = 1 + rng.below(37);
  s.n = 1 + rng.below(41);
  s.k = 1 + rng.below(70);
  s.trans_a = rng.below(2);
  s.trans_b = rng.below(2);
  s.a_batched = rng.below(4) != 0;
  s.b_batched = rng.below(4) != 0;
  s.accumulate = rng.below(2);
  return s;
}

TEST_CASE("bf16 matmul matches the reference on bf16-rounded inputs, and fp32 within bf16 rounding") {
  if (!kernels::has_avx512_bf16()) {
    WARN("this CPU lacks AVX512-BF16; attn refuses --precision bf16 here, so the bf16 path is not run");
    return;
  }
  Rng rng(23, 0);
  for (int trial = 0; trial < 40; ++trial) {
    MatmulShape s = random_shape(rng);
    const bool with_bias = rng.below(2);
    std::vector<float> a(s.batch * s.m * s.k), b(s.batch * s.k * s.n), c(s.batch * s.m * s.n), bias(s.n);
    rng.fill_uniform(a.data(), a.size(), -1, 1);
    rng.fill_uniform(b.data(), b.size(), -1, 1);
    rng.fill_uniform(c.data(), c.size(), -1, 1);
    rng.fill_uniform(bias.data(), bias.size(), -1, 1);
    const float* bias_ptr = with_bias ? bias.data() : nullptr;
    std::vector<float> rounded_ref = c, fp32_ref = c;
    kernels::matmul_reference(s, a.data(), b.data(), fp32_ref.data(), bias_ptr);
    {
      kernels::PrecisionScope bf16(Precision::bf16);
      kernels::matmul(s, a.data(), b.data(), c.data(), bias_ptr);
      kernels::matmul_reference(s, a.data(), b.data(), rounded_ref.data(), bias_ptr);
    }
    REQUIRE(kernels::matmul_precision() == Precision::fp32);  // the scope restored it
    // fp32 accumulation of exact bf16 products: only summation order differs from the
    // double reference. Against fp32 inputs, each input carries a relative error up to
    // 2^-9, so a product term up to 2^-8 of |a||b| (k terms of magnitude <= 1).
    const float rounding_bound = static_cast<float>(s.k) * std::ldexp(1.0f, -8) + 1e-5f;
    bool any_differs = false;
    for (size_t i = 0; i < c.size(); ++i) {
      REQUIRE(c[i] == Approx(rounded_ref[i]).margin(1e-4));
      REQUIRE(std::fabs(c[i] - fp32_ref[i]) <= rounding_bound);
      any_differs |= c[i] != fp32_ref[i];
    }
    REQUIRE(any_differs);  // the bf16 path really rounded (fp32 would agree to ~1e-6)
  }
}
