#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "kernels/optimizer_update.h"
#include "support/isas.h"
#include "support/random_values.h"
#include "tensor/rng.h"

using namespace attn;
using kernels::AdamUpdate;
using kernels::SgdUpdate;

namespace {
using testing::random_vector;

// The textbook updates, one element at a time in double.
void adam_reference(const AdamUpdate& u, std::vector<float>& w, const std::vector<float>& g, std::vector<float>& m,
                    std::vector<float>& v) {
  for (size_t i = 0; i < w.size(); ++i) {
    double wi = w[i], d = g[i];
    if (u.decoupled)
      wi *= 1.0 - static_cast<double>(u.lr) * u.weight_decay;
    else
      d += static_cast<double>(u.weight_decay) * w[i];
    const double mi = u.beta1 * static_cast<double>(m[i]) + (1.0 - u.beta1) * d;
    const double vi = u.beta2 * static_cast<double>(v[i]) + (1.0 - u.beta2) * d * d;
    m[i] = static_cast<float>(mi), v[i] = static_cast<float>(vi);
    w[i] = static_cast<float>(wi - u.step_size * mi / (std::sqrt(vi) * u.inv_sqrt_bias2 + u.eps));
  }
}

void sgd_reference(const SgdUpdate& u, std::vector<float>& w, const std::vector<float>& g, std::vector<float>& m) {
  for (size_t i = 0; i < w.size(); ++i) {
    double d = g[i] + static_cast<double>(u.weight_decay) * w[i];
    if (u.momentum > 0.0f) {
      const double mi = u.momentum * static_cast<double>(m[i]) + d;
      m[i] = static_cast<float>(mi);
      d = u.nesterov ? d + u.momentum * mi : mi;
    }
    w[i] = static_cast<float>(w[i] - u.lr * d);
  }
}

void require_near(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
  for (size_t i = 0; i < got.size(); ++i) {
    INFO(what << "[" << i << "]");
    REQUIRE(got[i] == Approx(want[i]).epsilon(2e-6).margin(1e-7));
  }
}
}  // namespace

TEST_CASE("adam and adamw updates match the textbook formula on every ISA") {
  Rng rng(41, 0);
  // Sizes: a tail shorter than one vector, odd, and across the kernel's
  // 16384-element chunks.
  for (int64_t n : {1, 7, 33, 16384 + 5, 40000}) {
    for (bool decoupled : {false, true}) {
      AdamUpdate u;
      u.lr = 3e-3f, u.weight_decay = 0.01f, u.decoupled = decoupled;
      u.step_size = u.lr / (1.0f - std::pow(u.beta1, 3.0f));
      u.inv_sqrt_bias2 = 1.0f / std::sqrt(1.0f - std::pow(u.beta2, 3.0f));
      const auto w0 = random_vector(rng, n, -1, 1), g = random_vector(rng, n, -2, 2),
                 m0 = random_vector(rng, n, -0.1f, 0.1f), v0 = random_vector(rng, n, 0, 0.01f);
      auto w_ref = w0, m_ref = m0, v_ref = v0;
      adam_reference(u, w_ref, g, m_ref, v_ref);
      for (kernels::Isa isa : testing::runnable_isas()) {
        INFO("n=" << n << " decoupled=" << decoupled << " isa=" << kernels::isa_name(isa));
        auto w = w0, m = m0, v = v0;
        kernels::adam_update(u, w.data(), g.data(), m.data(), v.data(), n, isa);
        require_near(m, m_ref, "m");
        require_near(v, v_ref, "v");
        require_near(w, w_ref, "w");
      }
    }
  }
}

TEST_CASE(
    "sgd updates (plain, momentum, nesterov) match the textbook formula "
    "on every ISA") {
  Rng rng(42, 0);
  for (int64_t n : {1, 15, 16384 + 3}) {
    for (float momentum : {0.0f, 0.9f}) {
      for (bool nesterov : {false, true}) {
        const SgdUpdate u{0.05f, momentum, nesterov, 1e-3f};
        const auto w0 = random_vector(rng, n, -1, 1), g = random_vector(rng, n, -2, 2),
                   m0 = random_vector(rng, n, -0.5f, 0.5f);
        auto w_ref = w0, m_ref = m0;
        sgd_reference(u, w_ref, g, m_ref);
        for (kernels::Isa isa : testing::runnable_isas()) {
          INFO("n=" << n << " momentum=" << momentum << " nesterov=" << nesterov << " isa=" << kernels::isa_name(isa));
          auto w = w0, m = m0;
          kernels::sgd_update(u, w.data(), g.data(), m.data(), n, isa);
          require_near(w, w_ref, "w");
          if (momentum > 0.0f) require_near(m, m_ref, "m");
        }
      }
    }
  }
}
