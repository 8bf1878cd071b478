#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "kernels/flash_attention.h"
#include "tensor/rng.h"

using namespace attn;
using namespace attn::kernels;

namespace {

struct Case {
  int64_t B = 1, H = 1, Tq = 1, Tk = 1, D = 16;
  bool causal = false;
  int64_t window = -1;
  std::vector<int32_t> key_lengths;  // empty: no padding
  GridWindow grid;                   // inactive: none
  bool bthd_q = false, bthd_k = false, bthd_v = false, bthd_o = false;  // [B, T, H, D] in place
};

std::string describe(const Case& c) {
  std::string s = "B=" + std::to_string(c.B) + " H=" + std::to_string(c.H) + " Tq=" + std::to_string(c.Tq) +
                  " Tk=" + std::to_string(c.Tk) + " D=" + std::to_string(c.D) + (c.causal ? " causal" : "") +
                  (c.window >= 0 ? " window=" + std::to_string(c.window) : "") +
                  (c.grid.active() ? " grid=" + std::to_string(c.grid.rows) + "x" + std::to_string(c.grid.cols) +
                                         "+" + std::to_string(c.grid.prefix) + " r" + std::to_string(c.grid.window)
                                   : "") +
                  " layouts(q,k,v,o)=" +
                  (c.bthd_q ? "T" : "H") + (c.bthd_k ? "T" : "H") + (c.bthd_v ? "T" : "H") + (c.bthd_o ? "T" : "H");
  if (!c.key_lengths.empty()) {
    s += " key_lengths=";
    for (int32_t l : c.key_lengths) s += std::to_string(l) + ",";
  }
  return s;
}

AttnLayout layout(const Case& c, int64_t T, bool bthd) {
  if (bthd) return {T * c.H * c.D, c.D, c.H * c.D};
  return {c.H * T * c.D, T * c.D, c.D};
}

FlashParams params(const Case& c) {
  FlashParams p;
  p.B = c.B, p.H = c.H, p.Tq = c.Tq, p.Tk = c.Tk, p.D = c.D;
  p.scale = 1.0f / std::sqrt(static_cast<float>(c.D));
  p.causal = c.causal;
  p.window = c.window;
  p.grid = c.grid;
  p.key_lengths = c.key_lengths.empty() ? nullptr : c.key_lengths.data();
  p.q = layout(c, c.Tq, c.bthd_q);
  p.k = layout(c, c.Tk, c.bthd_k);
  p.v = layout(c, c.Tk, c.bthd_v);
  p.o = layout(c, c.Tq, c.bthd_o);
  return p;
}

// Inputs are N(0, 1), so every tensor here is built from O(1) terms. A reference
// tensor whose largest entry is below kTiny is a cancellation (a gradient that is
// zero in exact arithmetic, e.g. dq when each row sees one key): there the check
// becomes |a - b| < 1e-4 · kTiny = 1e-7, the fp32 rounding of O(1) terms.
constexpr double kTiny = 1e-3;

// max|a - b| / max(max|b|, kTiny): one number per tensor, insensitive to tiny entries of b.
double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0.0, scale = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isinf(b[i]) && a[i] == b[i]) continue;  // -inf lse of a fully masked row
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - b[i]));
    if (std::isnan(a[i])) diff = INFINITY;
    scale = std::max(scale, std::abs(static_cast<double>(b[i])));
  }
  return diff / std::max(scale, kTiny);
}

std::vector<Isa> isas_to_test() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
    if (static_cast<int>(isa) <= static_cast<int>(detected_isa())) isas.push_back(isa);
  return isas;
}

double max_abs(const std::vector<float>& a) {
  double m = 0.0;
  for (float x : a) m = std::isnan(x) ? INFINITY : std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

// Fused forward and backward on every ISA against the reference loops.
// one_key_per_row: every query sees exactly one key (or none), see below.
void check_case(const Case& c, Rng& rng, bool one_key_per_row = false) {
  const FlashParams p = params(c);
  const int64_t nq = c.B * c.Tq * c.H * c.D, nk = c.B * c.Tk * c.H * c.D;
  std::vector<float> q(nq), k(nk), v(nk), dout(nq);
  rng.fill_normal(q.data(), nq);
  rng.fill_normal(k.data(), nk);
  rng.fill_normal(v.data(), nk);
  rng.fill_normal(dout.data(), nq);
  std::vector<float> o_ref(nq), lse_ref(c.B * c.H * c.Tq), dq_ref(nq), dk_ref(nk), dv_ref(nk);
  flash_attention_fwd_reference(p, q.data(), k.data(), v.data(), o_ref.data(), lse_ref.data());
  flash_attention_bwd_reference(p, q.data(), k.data(), v.data(), o_ref.data(), dout.data(), lse_ref.data(),
                                dq_ref.data(), dk_ref.data(), dv_ref.data());
  for (Isa isa : isas_to_test()) {
    INFO(describe(c) << " isa=" << isa_name(isa));
    // Poisoned outputs: every element must be written.
    std::vector<float> o(nq, NAN), lse(lse_ref.size(), NAN), dq(nq, NAN), dk(nk, NAN), dv(nk, NAN);
    flash_attention_fwd_isa(isa, p, q.data(), k.data(), v.data(), o.data(), lse.data());
    flash_attention_bwd_isa(isa, p, q.data(), k.data(), v.data(), o_ref.data(), dout.data(), lse_ref.data(),
                            dq.data(), dk.data(), dv.data());
    CHECK(relative_error(o, o_ref) < 1e-4);
    CHECK(relative_error(lse, lse_ref) < 1e-4);
    CHECK(relative_error(dv, dv_ref) < 1e-4);
    if (one_key_per_row) {
      // dq and dk are exactly zero (P = 1 gives dS = dP - dO·o = 0); what is left on both
      // sides is fp32 rounding. Bound it against the O(1) scale of these gradients.
      CHECK(max_abs(dq) < 1e-4);
      CHECK(max_abs(dk) < 1e-4);
      CHECK(max_abs(dq_ref) < 1e-4);
      CHECK(max_abs(dk_ref) < 1e-4);
    } else {
      CHECK(relative_error(dq, dq_ref) < 1e-4);
      CHECK(relative_error(dk, dk_ref) < 1e-4);
    }
  }
}

Case random_case(Rng& rng, std::vector<int64_t> dims) {
  Case c;
  c.B = 1 + rng.below(3);
  c.H = 1 + rng.below(3);
  c.Tq = 1 + rng.below(150);
  c.Tk = 1 + rng.below(150);
  c.D = dims[rng.below(dims.size())];
  c.causal = rng.below(2);
  if (rng.below(2)) c.window = 1 + rng.below(40);  // window 0 is tested on its own
  if (rng.below(2)) {
    for (int64_t b = 0; b < c.B; ++b) c.key_lengths.push_back(static_cast<int32_t>(rng.below(c.Tk + 1)));
  }
  c.bthd_q = rng.below(2), c.bthd_k = rng.below(2), c.bthd_v = rng.below(2), c.bthd_o = rng.below(2);
  return c;
}

}  // namespace

TEST_CASE("flash attention matches the reference on random shapes, masks and layouts, every ISA") {
  Rng rng(7, 0);
  for (int trial = 0; trial < 24; ++trial) check_case(random_case(rng, {16, 32, 64, 128, 5, 24, 72}), rng);
}

TEST_CASE("flash attention handles one-element sequences and one-key rows") {
  Rng rng(8, 0);
  for (int64_t D : {1, 16, 64, 128}) {
    Case one;
    one.B = 2, one.H = 2, one.D = D;
    check_case(one, rng, true);
    Case decode = one;  // one query against many keys, and many queries against one key
    decode.Tk = 131;
    decode.causal = true;
    check_case(decode, rng);
    Case prefill = one;
    prefill.Tq = 97;
    check_case(prefill, rng, true);
    Case diagonal = one;  // window 0: each query sees only its aligned key
    diagonal.Tq = 75, diagonal.Tk = 80, diagonal.window = 0, diagonal.causal = D % 2 == 0;
    check_case(diagonal, rng, true);
  }
}

TEST_CASE("flash attention gives fully masked rows zero output, -inf lse and no gradient") {
  Rng rng(9, 0);
  Case padded;  // batch entry 1 has no keys at all
  padded.B = 3, padded.H = 2, padded.Tq = 70, padded.Tk = 90, padded.D = 32;
  padded.key_lengths = {90, 0, 33};
  check_case(padded, rng);
  Case causal_tall = padded;  // Tq > Tk: the first Tq - Tk queries see no key
  causal_tall.key_lengths.clear();
  causal_tall.Tq = 100, causal_tall.Tk = 40, causal_tall.causal = true;
  check_case(causal_tall, rng);
  Case window_tall = causal_tall;  // the window passes beyond the last key for early rows
  window_tall.causal = false, window_tall.window = 5;
  check_case(window_tall, rng);
  window_tall.key_lengths = {40, 3, 12};
  check_case(window_tall, rng);

  const FlashParams p = params(causal_tall);
  const int64_t nq = p.B * p.H * p.Tq * p.D, nk = p.B * p.H * p.Tk * p.D;
  std::vector<float> q(nq, 1.0f), k(nk, 1.0f), v(nk, 2.0f), o(nq), lse(p.B * p.H * p.Tq);
  flash_attention_fwd(p, q.data(), k.data(), v.data(), o.data(), lse.data());
  const int64_t blind = p.Tq - p.Tk;  // rows 0..blind-1 of every head see nothing
  for (int64_t bh = 0; bh < p.B * p.H; ++bh)
    for (int64_t i = 0; i < p.Tq; ++i) {
      INFO("head " << bh << " row " << i);
      if (i < blind) {
        CHECK(std::isinf(lse[bh * p.Tq + i]));
        CHECK(lse[bh * p.Tq + i] < 0);
        CHECK(o[(bh * p.Tq + i) * p.D] == 0.0f);
      } else {
        CHECK(o[(bh * p.Tq + i) * p.D] == Approx(2.0f));
      }
    }
}

TEST_CASE("flash attention covers every mask combination across block boundaries") {
  Rng rng(10, 0);
  for (int64_t D : {16, 64, 40}) {
    for (int mask = 0; mask < 8; ++mask) {
      Case c;
      c.B = 2, c.H = 2, c.Tq = 203, c.Tk = 171, c.D = D;
      c.causal = mask & 1;
      c.window = (mask & 2) ? 37 : -1;
      if (mask & 4) c.key_lengths = {171, 100};
      c.bthd_q = c.bthd_k = c.bthd_v = c.bthd_o = mask % 3 == 0;
      check_case(c, rng);
    }
  }
}

TEST_CASE("flash attention with the 2-D grid window of image patches matches the reference, every ISA") {
  // Grids of ViT patch sizes (7x7, 4x4, 2x2, 1x1 on 28x28; 14x14 crosses every block
  // boundary), non-square ones, with and without a <cls> slot (and two global slots),
  // radii 0..3 (3 covers a 7x7 grid from its centre, not from a corner).
  Rng rng(13, 0);
  const std::vector<std::pair<int64_t, int64_t>> grids{{7, 7}, {4, 4}, {2, 2}, {1, 1}, {14, 14},
                                                       {3, 5}, {5, 3}, {1, 9}, {9, 2}};
  for (auto [rows, cols] : grids)
    for (int64_t prefix : {0, 1, 2})
      for (int64_t radius = 0; radius <= 3; ++radius) {
        Case c;
        c.grid = {rows, cols, prefix, radius};
        c.Tq = c.Tk = c.grid.length();
        c.B = 1 + rng.below(2);
        c.H = 1 + rng.below(3);
        c.D = std::vector<int64_t>{16, 8, 40}[rng.below(3)];
        c.bthd_q = c.bthd_k = c.bthd_v = c.bthd_o = rng.below(2);
        // Without <cls>, radius 0 (or a single patch) leaves each query its own key alone.
        check_case(c, rng, prefix == 0 && (radius == 0 || rows * cols == 1));
      }
}

TEST_CASE("flash attention combines the grid window with padding, causal and 1-D windows") {
  Rng rng(14, 0);
  for (int mask = 0; mask < 8; ++mask) {
    Case c;
    c.grid = {9, 11, 1, 2};  // 100 positions: two query and key blocks on every ISA
    c.B = 2, c.H = 2, c.Tq = c.Tk = 100, c.D = 16;
    c.causal = mask & 1;
    c.window = (mask & 2) ? 30 : -1;
    if (mask & 4) c.key_lengths = {100, 57};
    c.bthd_q = c.bthd_k = c.bthd_v = c.bthd_o = mask % 3 == 0;
    check_case(c, rng);
  }
}
