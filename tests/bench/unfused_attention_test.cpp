#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "bench/attention_bench.h"
#include "bench/unfused_attention.h"
#include "kernels/flash_attention.h"
#include "tensor/rng.h"

using namespace attn;

namespace {
double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0.0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
  return m;
}
}  // namespace

// The benchmark baseline must compute attention, or its timings mean nothing.
TEST_CASE("unfused attention baseline matches the reference loops") {
  Rng rng(21, 0);
  for (int mask = 0; mask < 3; ++mask) {
    const bool causal = mask == 1;
    // mask 2: the grid window of 7 x 7 patches after <cls>, radius 1 (Tq = Tk = 50).
    const GridWindow grid = mask == 2 ? GridWindow{7, 7, 1, 1} : GridWindow{};
    const int64_t B = 2, H = 3, Tq = mask == 2 ? 50 : 37, Tk = mask == 2 ? 50 : 53, D = 24;
    const int64_t nq = B * H * Tq * D, nk = B * H * Tk * D;
    std::vector<float> q(nq), k(nk), v(nk), dout(nq);
    for (auto* t : {&q, &k, &v}) rng.fill_normal(t->data(), t->size());
    rng.fill_normal(dout.data(), nq);
    kernels::FlashParams p;
    p.B = B, p.H = H, p.Tq = Tq, p.Tk = Tk, p.D = D, p.scale = 0.3f, p.causal = causal, p.grid = grid;
    p.q = p.o = {H * Tq * D, Tq * D, D};
    p.k = p.v = {H * Tk * D, Tk * D, D};
    std::vector<float> o_ref(nq), lse(B * H * Tq), dq_ref(nq), dk_ref(nk), dv_ref(nk);
    kernels::flash_attention_fwd_reference(p, q.data(), k.data(), v.data(), o_ref.data(), lse.data());
    kernels::flash_attention_bwd_reference(p, q.data(), k.data(), v.data(), o_ref.data(), dout.data(), lse.data(),
                                           dq_ref.data(), dk_ref.data(), dv_ref.data());

    bench::UnfusedAttention unfused({B * H, Tq, Tk, D, p.scale, causal, grid});
    std::vector<float> o(nq), dq(nq), dk(nk), dv(nk);
    unfused.forward(q.data(), k.data(), v.data(), o.data());
    unfused.backward(q.data(), k.data(), v.data(), dout.data(), dq.data(), dk.data(), dv.data());
    INFO("mask " << mask);
    // Values here are O(1) (unit-normal inputs); fp32 matmuls over <= 53 terms.
    CHECK(max_abs_diff(o, o_ref) < 1e-4);
    CHECK(max_abs_diff(dq, dq_ref) < 1e-4);
    CHECK(max_abs_diff(dk, dk_ref) < 1e-4);
    CHECK(max_abs_diff(dv, dv_ref) < 1e-4);
  }
}

TEST_CASE("attention flops count visible pairs, backward as 2.5 forwards") {
  CHECK(bench::visible_pairs(10, "none", 1) == 100);
  CHECK(bench::visible_pairs(10, "causal", 1) == 55);
  // 3 x 3 grid after <cls>, radius 1: <cls> row and column (10 + 9), corners see 4
  // patches, edges 6, the centre 9.
  CHECK(bench::visible_pairs(10, "grid", 1) == 19 + 4 * 4 + 4 * 6 + 9);
  CHECK(bench::visible_pairs(10, "grid", 2) == 100);
  CHECK_THROWS(bench::visible_pairs(11, "grid", 1));
  CHECK(bench::attention_flops(2, 3, 8, 55, "fwd") == 4.0 * 2 * 3 * 8 * 55);
  CHECK(bench::attention_flops(1, 1, 2, 16, "fwdbwd") == 3.5 * 4.0 * 2 * 16);
}
