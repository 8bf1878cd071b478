#include <catch2/catch.hpp>
#include <cmath>
#include <tuple>
#include <vector>

#include "kernels/cpu_features.h"
#include "kernels/rnn_cells.h"
#include "support/random_values.h"
#include "tensor/rng.h"

using namespace attn;
using attn::kernels::RnnCellShape;

namespace {

using testing::random_vector;
using testing::require_close;

// Hidden sizes around the 16-lane vectors and the 64-unit blocks, batch sizes from 1; the last
// shape is above the parallel threshold.
const std::vector<RnnCellShape> kShapes = {{1, 1},  {3, 5},  {2, 16},   {1, 17},
                                           {4, 63}, {2, 64}, {3, 65}, {70, 130}, {130, 520}};

}  // namespace

TEST_CASE("lstm pointwise kernels match their reference twin") {
  INFO("isa " << kernels::isa_name(kernels::detected_isa()));
  Rng rng(71, 0);
  for (const RnnCellShape& s : kShapes) {
    const int64_t n = s.batch * s.hidden, g = 4 * n;
    INFO("B " << s.batch << " Hd " << s.hidden);
    // Pre-activations up to ±12 reach the saturated ends of sigmoid and tanh.
    const std::vector<float> pre = random_vector(rng, g, -12.0f, 12.0f);
    const std::vector<float> bias = random_vector(rng, 4 * s.hidden, -1.0f, 1.0f);
    const std::vector<float> c = random_vector(rng, n, -3.0f, 3.0f);
    std::vector<float> gates = pre, h(n), c_out(n), ref_gates = pre, ref_h(n), ref_c(n);
    kernels::lstm_pointwise_fwd(s, gates.data(), bias.data(), c.data(), h.data(), c_out.data());
    kernels::lstm_pointwise_fwd_reference(s, ref_gates.data(), bias.data(), c.data(), ref_h.data(), ref_c.data());
    require_close(gates, ref_gates, 1e-6);
    require_close(h, ref_h, 1e-6);
    require_close(c_out, ref_c, 1e-6);

    const std::vector<float> dh = random_vector(rng, n, -1.0f, 1.0f), dc_out = random_vector(rng, n, -1.0f, 1.0f);
    std::vector<float> dc(n, 0.5f), dbias(4 * s.hidden, -0.25f), ref_dc = dc, ref_dbias = dbias;
    kernels::lstm_pointwise_bwd(s, gates.data(), c.data(), c_out.data(), dh.data(), dc_out.data(), dc.data(),
                                dbias.data());
    kernels::lstm_pointwise_bwd_reference(s, ref_gates.data(), c.data(), ref_c.data(), dh.data(), dc_out.data(),
                                          ref_dc.data(), ref_dbias.data());
    require_close(gates, ref_gates, 1e-6);
    require_close(dc, ref_dc, 1e-6);
    require_close(dbias, ref_dbias, 1e-5);
  }
}

TEST_CASE("gru pointwise kernels match their reference twin") {
  INFO("isa " << kernels::isa_name(kernels::detected_isa()));
  Rng rng(72, 0);
  for (const RnnCellShape& s : kShapes) {
    const int64_t n = s.batch * s.hidden, g = 3 * n;
    INFO("B " << s.batch << " Hd " << s.hidden);
    const std::vector<float> gi0 = random_vector(rng, g, -8.0f, 8.0f), gh0 = random_vector(rng, g, -8.0f, 8.0f);
    const std::vector<float> b_ih = random_vector(rng, 3 * s.hidden, -1.0f, 1.0f);
    const std::vector<float> b_hh = random_vector(rng, 3 * s.hidden, -1.0f, 1.0f);
    const std::vector<float> h = random_vector(rng, n, -1.0f, 1.0f);
    std::vector<float> gi = gi0, gh = gh0, out(n), ref_gi = gi0, ref_gh = gh0, ref_out(n);
    kernels::gru_pointwise_fwd(s, gi.data(), gh.data(), b_ih.data(), b_hh.data(), h.data(), out.data());
    kernels::gru_pointwise_fwd_reference(s, ref_gi.data(), ref_gh.data(), b_ih.data(), b_hh.data(), h.data(),
                                         ref_out.data());
    require_close(gi, ref_gi, 1e-6);
    require_close(gh, ref_gh, 1e-6);
    require_close(out, ref_out, 1e-6);

    const std::vector<float> dout = random_vector(rng, n, -1.0f, 1.0f);
    std::vector<float> dh(n, 0.5f), db_ih(3 * s.hidden, 0.0f), db_hh(3 * s.hidden, 1.0f);
    std::vector<float> ref_dh = dh, ref_db_ih = db_ih, ref_db_hh = db_hh;
    kernels::gru_pointwise_bwd(s, gi.data(), gh.data(), h.data(), dout.data(), dh.data(), db_ih.data(),
                               db_hh.data());
    kernels::gru_pointwise_bwd_reference(s, ref_gi.data(), ref_gh.data(), h.data(), dout.data(), ref_dh.data(),
                                         ref_db_ih.data(), ref_db_hh.data());
    require_close(gi, ref_gi, 1e-6);
    require_close(gh, ref_gh, 1e-6);
    require_close(dh, ref_dh, 1e-6);
    require_close(db_ih, ref_db_ih, 1e-5);
    require_close(db_hh, ref_db_hh, 1e-5);
  }
}

TEST_CASE("lstm pointwise kernels propagate NaN") {
  const RnnCellShape s{1, 3};
  std::vector<float> gates(12, 0.5f), bias(12, 0.0f), c(3, 1.0f), h(3), c_out(3);
  gates[1] = NAN;   // input gate of unit 1
  gates[11] = NAN;  // output gate of unit 2
  kernels::lstm_pointwise_fwd(s, gates.data(), bias.data(), c.data(), h.data(), c_out.data());
  REQUIRE(std::isfinite(h[0]));
  REQUIRE(std::isnan(h[1]));
  REQUIRE(std::isnan(h[2]));
}

TEST_CASE("rnn_to_steps and rnn_from_steps re-lay out sequences, forward and reversed") {
  Rng rng(75, 0);
  // The last shape is above the size where both threads copy.
  for (const auto& [b, t, w] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{{1, 1, 1}, {3, 5, 7}, {64, 20, 130}})
    for (bool reverse : {false, true}) {
      INFO("B " << b << " T " << t << " W " << w << " reverse " << reverse);
      const std::vector<float> src = random_vector(rng, b * t * w, -1.0f, 1.0f);
      std::vector<float> steps(b * t * w);
      kernels::rnn_to_steps(src.data(), b, t, w, reverse, steps.data());
      for (int64_t i = 0; i < t; ++i)
        for (int64_t r = 0; r < b; ++r)
          for (int64_t c = 0; c < w; ++c)
            REQUIRE(steps[(i * b + r) * w + c] == src[(r * t + (reverse ? t - 1 - i : i)) * w + c]);
      std::vector<float> back(b * t * w, 0.0f), twice(b * t * w, 0.0f);
      kernels::rnn_from_steps(steps.data(), b, t, w, reverse, false, back.data());
      REQUIRE(back == src);
      kernels::rnn_from_steps(steps.data(), b, t, w, reverse, true, back.data());
      for (int64_t i = 0; i < b * t * w; ++i) REQUIRE(back[i] == 2.0f * src[i]);
    }
}
