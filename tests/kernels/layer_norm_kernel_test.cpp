#include <catch2/catch.hpp>

#include <omp.h>

#include <cmath>
#include <vector>

#include "kernels/layer_norm_rows.h"
#include "support/isas.h"
#include "support/random_values.h"
#include "tensor/rng.h"

using namespace attn;
using kernels::LayerNormShape;

namespace {
using testing::random_vector;

struct Reference {
  std::vector<double> y, dx, dgamma, dbeta;
};

// The textbook forward and backward in double, one row at a time.
Reference reference(const LayerNormShape& s, const std::vector<float>& x, const std::vector<float>& gamma,
                    const std::vector<float>& beta, const std::vector<float>& dy) {
  const int64_t c = s.cols;
  Reference r{std::vector<double>(x.size()), std::vector<double>(x.size()), std::vector<double>(c),
              std::vector<double>(c)};
  for (int64_t i = 0; i < s.rows; ++i) {
    double mu = 0.0, var = 0.0, mean_g = 0.0, mean_gx = 0.0;
    for (int64_t j = 0; j < c; ++j) mu += x[i * c + j];
    mu /= c;
    for (int64_t j = 0; j < c; ++j) var += (x[i * c + j] - mu) * (x[i * c + j] - mu);
    const double rs = 1.0 / std::sqrt(var / c + s.eps);
    for (int64_t j = 0; j < c; ++j) {
      const double xhat = (x[i * c + j] - mu) * rs, g = static_cast<double>(dy[i * c + j]) * gamma[j];
      r.y[i * c + j] = xhat * gamma[j] + beta[j];
      mean_g += g / c;
      mean_gx += g * xhat / c;
      r.dgamma[j] += dy[i * c + j] * xhat;
      r.dbeta[j] += dy[i * c + j];
    }
    for (int64_t j = 0; j < c; ++j) {
      const double xhat = (x[i * c + j] - mu) * rs, g = static_cast<double>(dy[i * c + j]) * gamma[j];
      r.dx[i * c + j] = rs * (g - mean_g - xhat * mean_gx);
    }
  }
  return r;
}

void require_near(const std::vector<float>& got, const std::vector<double>& want, double offset, double tol) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    REQUIRE(got[i] == Approx(want[i] + offset).margin(tol));
  }
}
}  // namespace

TEST_CASE("layer_norm kernels match a double-precision reference on every ISA and awkward widths") {
  Rng rng(41, 0);
  for (kernels::Isa isa : testing::runnable_isas())
    for (int64_t cols : {1, 3, 15, 16, 17, 63, 64, 65, 100, 259}) {
      const LayerNormShape s{37, cols, 1e-5f};
      INFO("isa " << kernels::isa_name(isa) << ", cols " << cols);
      // An offset far from zero checks the variance is taken around the mean.
      std::vector<float> x = random_vector(rng, s.rows * cols, 2.0f, 6.0f);
      const std::vector<float> gamma = random_vector(rng, cols, 0.5f, 1.5f), beta = random_vector(rng, cols, -1, 1);
      const std::vector<float> dy = random_vector(rng, s.rows * cols, -1.0f, 1.0f);
      const Reference want = reference(s, x, gamma, beta, dy);

      std::vector<float> y(x.size()), mean(s.rows), rstd(s.rows);
      kernels::layer_norm_fwd(s, x.data(), gamma.data(), beta.data(), y.data(), mean.data(), rstd.data(), isa);
      require_near(y, want.y, 0.0, 1e-4);

      for (bool accumulate : {false, true}) {
        INFO("accumulate " << accumulate);
        // A written dx must not read the NaN already there; an accumulated one adds to 0.25.
        std::vector<float> dx(x.size(), accumulate ? 0.25f : NAN), dgamma(cols, 0.5f), dbeta(cols, -0.5f);
        kernels::layer_norm_bwd(s, {x.data(), gamma.data(), mean.data(), rstd.data()}, dy.data(),
                                {dx.data(), accumulate, dgamma.data(), dbeta.data()}, isa);
        require_near(dx, want.dx, accumulate ? 0.25 : 0.0, 2e-4);
        require_near(dgamma, want.dgamma, 0.5, 1e-4);
        require_near(dbeta, want.dbeta, -0.5, 1e-4);
      }
    }
}

TEST_CASE("layer_norm kernel results do not depend on the thread count") {
  Rng rng(43, 0);
  const LayerNormShape s{301, 200, 1e-5f};  // large enough to run in parallel
  const std::vector<float> x = random_vector(rng, s.rows * s.cols, -3.0f, 3.0f);
  const std::vector<float> gamma = random_vector(rng, s.cols, 0.5f, 1.5f), beta(s.cols, 0.1f);
  const std::vector<float> dy = random_vector(rng, s.rows * s.cols, -1.0f, 1.0f);
  auto run = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::vector<float> out(x.size()), mean(s.rows), rstd(s.rows), dx(x.size()), dgamma(s.cols), dbeta(s.cols);
    kernels::layer_norm_fwd(s, x.data(), gamma.data(), beta.data(), out.data(), mean.data(), rstd.data());
    kernels::layer_norm_bwd(s, {x.data(), gamma.data(), mean.data(), rstd.data()}, dy.data(),
                            {dx.data(), false, dgamma.data(), dbeta.data()});
    omp_set_num_threads(before);
    out.insert(out.end(), dx.begin(), dx.end());
    out.insert(out.end(), dgamma.begin(), dgamma.end());
    out.insert(out.end(), dbeta.begin(), dbeta.end());
    return out;
  };
  REQUIRE(run(1) == run(3));
}
