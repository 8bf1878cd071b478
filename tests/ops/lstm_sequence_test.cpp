#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/elementwise.h"
#include "ops/fused_vs_composed.h"
#include "ops/random_tensor.h"
#include "ops/rnn_cells.h"
#include "ops/shape_ops.h"

using namespace attn;
using attn::testing::OpCase;
using attn::testing::parameters_from;
using attn::testing::random_tensor;
using attn::testing::require_same_gradients;
using attn::testing::require_thread_count_independent;

namespace {

struct Dims {
  int64_t b, t, in, hd;
};

// Inputs in the harness order: x, w_ih, w_hh, bias.
std::vector<Shape> sequence_shapes(const Dims& d) {
  return {{d.b, d.t, d.in}, {4 * d.hd, d.in}, {4 * d.hd, d.hd}, {4 * d.hd}};
}

// The composition lstm_sequence fuses: lstm_cell step by step, padded steps keeping the state.
LstmSequence stepwise(const std::vector<Var>& v, const std::vector<int32_t>& lengths, bool reverse) {
  const int64_t b = v[0].dim(0), t = v[0].dim(1), in = v[0].dim(2), hd = v[2].dim(1);
  LstmState s{Var(Tensor::zeros({b, hd})), Var(Tensor::zeros({b, hd}))};
  std::vector<Var> outputs(t);
  for (int64_t i = 0; i < t; ++i) {
    const int64_t pos = reverse ? t - 1 - i : i;
    LstmState next = lstm_cell(reshape(slice(v[0], 1, pos, pos + 1), {b, in}), s, v[1], v[2], v[3]);
    Tensor m = Tensor::empty({b, 1});
    for (int64_t r = 0; r < b; ++r) m[r] = lengths.empty() || pos < lengths[r] ? 1.0f : 0.0f;
    const Var mv(m);
    s = {add(s.h, mul(mv, sub(next.h, s.h))), add(s.c, mul(mv, sub(next.c, s.c)))};
    outputs[pos] = reshape(s.h, {b, 1, hd});
  }
  return {concat(outputs, 1), s};
}

// outputs, final h and final c flattened into one [B·T·Hd + 2·B·Hd] value.
Var flatten(const LstmSequence& s) {
  return concat({reshape(s.outputs, {-1}), reshape(s.final.h, {-1}), reshape(s.final.c, {-1})}, 0);
}

std::vector<int32_t> some_padding(const Dims& d) {
  std::vector<int32_t> lengths(d.b);
  for (int64_t r = 0; r < d.b; ++r) lengths[r] = static_cast<int32_t>(d.t - r % d.t);  // row 0 full
  return lengths;
}

}  // namespace

TEST_CASE("gradcheck: lstm_sequence") {
  std::vector<OpCase> cases;
  for (const Dims& d : {Dims{3, 4, 2, 3}, Dims{1, 1, 1, 1}, Dims{2, 3, 3, 2}}) {
    for (bool reverse : {false, true}) {
      const std::string name = "lstm_sequence B=" + std::to_string(d.b) + " T=" + std::to_string(d.t) +
                               " In=" + std::to_string(d.in) + " Hd=" + std::to_string(d.hd) +
                               (reverse ? " reverse" : "");
      const std::vector<int32_t> lengths = some_padding(d);
      cases.push_back({name, sequence_shapes(d), [lengths, reverse](const std::vector<Var>& v) {
                         return flatten(lstm_sequence(v[0], lengths, v[1], v[2], v[3], reverse));
                       }});
    }
  }
  attn::testing::run_op_cases(cases);
}

TEST_CASE("lstm_sequence equals lstm_cell step by step, values and gradients") {
  Rng rng(31, 0);
  for (const Dims& d : {Dims{1, 1, 1, 1}, Dims{5, 7, 3, 65}, Dims{64, 20, 17, 33}, Dims{37, 3, 4, 5}, Dims{2, 1, 4, 5}}) {
    for (bool padded : {false, true})
      for (bool reverse : {false, true}) {
        INFO("B=" << d.b << " T=" << d.t << " In=" << d.in << " Hd=" << d.hd << " padded=" << padded
                  << " reverse=" << reverse);
        std::vector<Tensor> inputs;
        for (const Shape& s : sequence_shapes(d)) inputs.push_back(random_tensor(s, rng));
        const std::vector<int32_t> lengths = padded ? some_padding(d) : std::vector<int32_t>{};
        const std::vector<Var> fused_in = parameters_from(inputs), ref_in = parameters_from(inputs);
        Var fused = flatten(lstm_sequence(fused_in[0], lengths, fused_in[1], fused_in[2], fused_in[3], reverse));
        Var ref = flatten(stepwise(ref_in, lengths, reverse));
        REQUIRE(fused.numel() == ref.numel());
        for (int64_t i = 0; i < ref.numel(); ++i) REQUIRE(fused.value()[i] == Approx(ref.value()[i]).margin(1e-5));
        require_same_gradients(fused, ref, fused_in, ref_in, random_tensor({ref.numel()}, rng), 2e-4);
      }
  }
}

TEST_CASE("lstm_sequence results do not depend on the thread count") {
  // B = 37: a full 32-row chunk and a 5-row one (ops/rnn_row_chunks.h), with padding.
  const Dims d{37, 6, 5, 40};
  Rng rng(33, 0);
  std::vector<Tensor> inputs;
  for (const Shape& s : sequence_shapes(d)) inputs.push_back(random_tensor(s, rng));
  const std::vector<int32_t> lengths = some_padding(d);
  const Tensor seed = random_tensor({d.b * d.t * d.hd + 2 * d.b * d.hd}, rng);
  for (bool reverse : {false, true}) {
    INFO("reverse " << reverse);
    require_thread_count_independent(inputs, seed, [&](const std::vector<Var>& v) {
      return flatten(lstm_sequence(v[0], lengths, v[1], v[2], v[3], reverse));
    });
  }
}

TEST_CASE("lstm_sequence checks its shapes") {
  Rng rng(32, 0);
  const Var x(random_tensor({2, 3, 4}, rng)), w_ih(random_tensor({20, 4}, rng)), w_hh(random_tensor({20, 5}, rng)),
      bias(random_tensor({20}, rng));
  REQUIRE_THROWS_AS(lstm_sequence(x, {}, w_hh, w_hh, bias, false), Error);             // w_ih [20, 5]
  REQUIRE_THROWS_AS(lstm_sequence(x, {3}, w_ih, w_hh, bias, false), Error);            // one length for B = 2
  REQUIRE_THROWS_AS(lstm_sequence(reshape(x, {6, 4}), {}, w_ih, w_hh, bias, false), Error);  // x not [B, T, In]
  REQUIRE_NOTHROW(lstm_sequence(x, {3, 1}, w_ih, w_hh, bias, true));
}
