#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/pointwise.h"
#include "support/isas.h"

using namespace attn;
using kernels::Isa;
using kernels::Pointwise;
using attn::testing::runnable_isas;

namespace {
const Pointwise kAll[] = {Pointwise::relu, Pointwise::gelu, Pointwise::tanh, Pointwise::sigmoid,
                          Pointwise::exp,  Pointwise::log,  Pointwise::elu};

// A dense grid over each function's interesting domain (odd length: vector tails).
std::vector<float> grid(Pointwise f) {
  const double lo = f == Pointwise::log ? 1e-3 : f == Pointwise::exp ? -87.0 : -12.0;
  const double hi = f == Pointwise::exp ? 88.7 : 12.0;
  std::vector<float> x;
  for (int i = 0; i < 20001; ++i) x.push_back(static_cast<float>(lo + (hi - lo) * i / 20000.0));
  return x;
}
}  // namespace

TEST_CASE("pointwise kernels match the libm reference on every ISA") {
  const float alpha = 0.7f;
  for (Isa isa : runnable_isas())
    for (Pointwise f : kAll) {
      const std::vector<float> x = grid(f);
      const int64_t n = static_cast<int64_t>(x.size());
      std::vector<float> y(n), y_ref(n), dy(n);
      for (int64_t i = 0; i < n; ++i) dy[i] = 1.0f - 0.0001f * static_cast<float>(i % 7);
      kernels::pointwise_fwd(f, x.data(), y.data(), n, alpha, isa);
      kernels::pointwise_fwd_reference(f, x.data(), y_ref.data(), n, alpha);
      for (bool accumulate : {false, true}) {
        // Written (not accumulated) gradients must not read the NaN already there.
        std::vector<float> dx(n, accumulate ? 0.5f : NAN), dx_ref(n, 0.5f);
        kernels::pointwise_bwd(f, x.data(), y.data(), dy.data(), dx.data(), n, alpha, accumulate, isa);
        kernels::pointwise_bwd_reference(f, x.data(), y_ref.data(), dy.data(), dx_ref.data(), n, alpha, accumulate);
        INFO("isa " << kernels::isa_name(isa) << " function " << static_cast<int>(f) << " accumulate " << accumulate);
        for (int64_t i = 0; i < n; ++i) {
          INFO("x = " << x[i]);
          REQUIRE(std::abs(y[i] - y_ref[i]) <= 3e-7f + 3e-7f * std::abs(y_ref[i]));
          REQUIRE(std::abs(dx[i] - dx_ref[i]) <= 3e-7f + 3e-7f * std::abs(dx_ref[i]));
        }
      }
    }
}

TEST_CASE("pointwise kernels keep IEEE special values") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (Isa isa : runnable_isas()) {
    INFO("isa " << kernels::isa_name(isa));
    auto one = [isa](Pointwise f, float x) {
      float y;
      kernels::pointwise_fwd(f, &x, &y, 1, 1.0f, isa);
      return y;
    };
    CHECK(one(Pointwise::exp, -inf) == 0.0f);
    CHECK(one(Pointwise::exp, -120.0f) == 0.0f);
    CHECK(one(Pointwise::exp, 89.0f) == inf);
    CHECK(one(Pointwise::exp, inf) == inf);
    CHECK(one(Pointwise::exp, 0.0f) == 1.0f);
    CHECK(one(Pointwise::tanh, inf) == 1.0f);
    CHECK(one(Pointwise::tanh, -inf) == -1.0f);
    CHECK(one(Pointwise::tanh, 0.0f) == 0.0f);
    CHECK(one(Pointwise::sigmoid, -inf) == 0.0f);
    CHECK(one(Pointwise::sigmoid, inf) == 1.0f);
    CHECK(one(Pointwise::gelu, inf) == inf);
    CHECK(one(Pointwise::elu, -inf) == -1.0f);
    // NaN must propagate, so divergence is detected downstream.
    for (Pointwise f : kAll) CHECK(std::isnan(one(f, nan)));
  }
}
