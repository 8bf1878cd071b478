#include <omp.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/losses.h"
#include "support/isas.h"
#include "tensor/rng.h"

using namespace attn;
using attn::testing::runnable_isas;
using kernels::CrossEntropyShape;
using kernels::Isa;

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();

// Distance in representable floats (same sign assumed: exp is never negative).
int64_t ulps(float a, float b) {
  return std::abs(static_cast<int64_t>(std::bit_cast<int32_t>(a)) - std::bit_cast<int32_t>(b));
}

struct Problem {
  CrossEntropyShape shape;
  std::vector<float> logits;
  std::vector<int32_t> targets;
};

// Logits in [-spread, spread] with one large value and some ignored rows;
// without smoothing also -inf (masked) entries, which keep the loss finite as
// long as the target's logit is finite (with smoothing the loss is +inf).
Problem random_problem(Rng& rng, int64_t rows, int64_t classes, float eps) {
  Problem p{{rows, classes, -1, eps}, std::vector<float>(rows * classes), std::vector<int32_t>(rows)};
  const float spread = 1.0f + 30.0f * rng.uniform();
  rng.fill_uniform(p.logits.data(), rows * classes, -spread, spread);
  for (float& v : p.logits)
    if (eps == 0.0f && rng.below(9) == 0) v = -kInf;
  p.logits[rng.below(rows * classes)] = 80.0f;  // overflows exp without the max shift
  for (int64_t r = 0; r < rows; ++r) {
    p.targets[r] = rng.below(5) == 0 ? -1 : static_cast<int32_t>(rng.below(classes));
    if (p.targets[r] >= 0) p.logits[r * classes + p.targets[r]] = spread * (rng.uniform() - 0.5f);
  }
  return p;
}
}  // namespace

TEST_CASE("exp kernel is within 1 ulp of the correctly rounded exp on every ISA") {
  // Every 1009th float in [-110, 90]: the whole normal, denormal and underflow range.
  std::vector<float> x;
  for (uint32_t bits = 0; bits < 0xFF800000u; bits += 1009) {
    const float v = std::bit_cast<float>(bits);
    if (v >= -110.0f && v <= 90.0f) x.push_back(v);
  }
  REQUIRE(x.size() > 1000000);
  std::vector<float> y(x.size());
  for (Isa isa : runnable_isas()) {
    INFO("isa " << kernels::isa_name(isa));
    kernels::exp_values(x.data(), y.data(), static_cast<int64_t>(x.size()), isa);
    int64_t worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      const float expect = static_cast<float>(std::exp(static_cast<double>(x[i])));
      const int64_t d = ulps(y[i], expect);
      if (d > worst) {
        worst = d;
        INFO("x = " << x[i] << " exp = " << y[i] << " expected " << expect);
        REQUIRE(d <= 1);
      }
    }
  }
}

TEST_CASE("exp kernel keeps IEEE special values on every ISA") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x{-kInf, -1e30f, -104.0f, 0.0f, -0.0f, 1.0f, 88.72f, 88.73f, 1e30f, kInf, nan};
  for (Isa isa : runnable_isas()) {
    INFO("isa " << kernels::isa_name(isa));
    std::vector<float> y(x.size());
    kernels::exp_values(x.data(), y.data(), static_cast<int64_t>(x.size()), isa);
    CHECK(y[0] == 0.0f);
    CHECK(y[1] == 0.0f);
    CHECK(y[2] == 0.0f);  // e^-104 is below half the smallest denormal
    CHECK(y[3] == 1.0f);
    CHECK(y[4] == 1.0f);
    CHECK(ulps(y[5], std::exp(1.0f)) <= 1);
    CHECK(std::isfinite(y[6]));
    CHECK(y[7] == kInf);
    CHECK(y[8] == kInf);
    CHECK(y[9] == kInf);
    CHECK(std::isnan(y[10]));
  }
}

TEST_CASE("cross-entropy kernels match the libm reference on every ISA") {
  Rng rng(77, 3);
  for (int trial = 0; trial < 40; ++trial) {
    const int64_t rows = 1 + rng.below(6);
    const int64_t classes = trial < 20 ? 1 + rng.below(70) : 100 + rng.below(3000);  // tails and long rows
    const float eps = trial % 3 == 0 ? 0.0f : 0.1f * static_cast<float>(trial % 4);
    const Problem p = random_problem(rng, rows, classes, eps);
    const int64_t n = rows * classes;
    std::vector<float> loss_ref(rows), lse_ref(rows), start(n), d_ref(n), d_ref_write(n);
    rng.fill_uniform(start.data(), n, -1.0f, 1.0f);
    d_ref = start;
    const float scale = 0.5f + rng.uniform();
    kernels::cross_entropy_fwd_reference(p.shape, p.logits.data(), p.targets.data(), loss_ref.data(), lse_ref.data());
    kernels::cross_entropy_bwd_reference(p.shape, p.logits.data(), p.targets.data(), lse_ref.data(), scale,
                                         d_ref.data(), true);
    kernels::cross_entropy_bwd_reference(p.shape, p.logits.data(), p.targets.data(), lse_ref.data(), scale,
                                         d_ref_write.data(), false);
    for (Isa isa : runnable_isas()) {
      INFO("isa " << kernels::isa_name(isa) << " trial " << trial << " [" << rows << ", " << classes << "] eps "
                  << eps);
      std::vector<float> loss(rows), lse(rows), d = start, d_write(n, std::numeric_limits<float>::quiet_NaN());
      kernels::cross_entropy_fwd(p.shape, p.logits.data(), p.targets.data(), loss.data(), lse.data(), isa);
      kernels::cross_entropy_bwd(p.shape, p.logits.data(), p.targets.data(), lse.data(), scale, d.data(), true, isa);
      kernels::cross_entropy_bwd(p.shape, p.logits.data(), p.targets.data(), lse.data(), scale, d_write.data(),
                                 false, isa);
      // Both sides sum in float in different orders. An lse near 80 is only known to
      // ~8e-6 absolute (its ulp); exp(x - lse) turns that into relative error of the
      // gradient, and loss = lse - x_y into absolute error: hence the tolerances.
      for (int64_t r = 0; r < rows; ++r) {
        REQUIRE(lse[r] == Approx(lse_ref[r]).epsilon(2e-6).margin(2e-6));
        REQUIRE(loss[r] == Approx(loss_ref[r]).epsilon(2e-6).margin(2e-5));
      }
      for (int64_t i = 0; i < n; ++i) {
        INFO("element " << i << " logit " << p.logits[i]);
        REQUIRE(d[i] == Approx(d_ref[i]).epsilon(1e-5).margin(1e-6));
        REQUIRE(d_write[i] == Approx(d_ref_write[i]).epsilon(1e-5).margin(1e-6));
      }
    }
  }
}

TEST_CASE("cross-entropy kernels give the same bits for any thread count") {
  Rng rng(12, 0);
  const Problem p = random_problem(rng, 300, 257, 0.1f);  // above the parallel threshold
  const int64_t n = 300 * 257;
  auto run = [&](int threads, std::vector<float>& loss, std::vector<float>& d) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::vector<float> lse(300);
    kernels::cross_entropy_fwd(p.shape, p.logits.data(), p.targets.data(), loss.data(), lse.data());
    kernels::cross_entropy_bwd(p.shape, p.logits.data(), p.targets.data(), lse.data(), 0.25f, d.data(), false);
    omp_set_num_threads(before);
  };
  std::vector<float> loss1(300), loss2(300), d1(n), d2(n);
  run(1, loss1, d1);
  run(2, loss2, d2);
  for (int64_t r = 0; r < 300; ++r) REQUIRE(std::bit_cast<uint32_t>(loss1[r]) == std::bit_cast<uint32_t>(loss2[r]));
  for (int64_t i = 0; i < n; ++i) REQUIRE(std::bit_cast<uint32_t>(d1[i]) == std::bit_cast<uint32_t>(d2[i]));
}
