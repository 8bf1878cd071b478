#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "op_cases.h"
#include "ops/attention.h"
#include "ops/fused_vs_composed.h"
#include "ops/random_tensor.h"
#include "ops/rnn_attention_decoder.h"
#include "ops/shape_ops.h"

using namespace attn;
using attn::testing::OpCase;
using attn::testing::parameters_from;
using attn::testing::random_tensor;
using attn::testing::require_same_gradients;
using attn::testing::require_thread_count_independent;

namespace {

struct Dims {
  int64_t b, t, e, hd, tk, a, dk;
};

// Inputs in the harness order: y, h0, c0, memory, keys, w_ih, w_hh, bias, query_weight, v.
std::vector<Shape> decoder_shapes(const Dims& d) {
  return {{d.b, d.t, d.e}, {d.b, d.hd},   {d.b, d.hd}, {d.b, d.tk, d.dk}, {d.b, d.tk, d.a},
          {4 * d.hd, d.e + d.dk}, {4 * d.hd, d.hd}, {4 * d.hd}, {d.a, d.hd}, {d.a}};
}

AdditiveLstmDecoderInputs decoder_inputs(const std::vector<Var>& v, const std::vector<int32_t>& lengths) {
  return {v[0], {v[1], v[2]}, v[3], v[4], lengths, v[5], v[6], v[7], v[8], v[9]};
}

// The loop the op fuses, from existing ops: additive attention from the previous h, then
// lstm_cell over [y_t; context], output [h; context] per step.
Var composed(const std::vector<Var>& v, const std::vector<int32_t>& lengths, Tensor* weights) {
  const int64_t b = v[0].dim(0), t = v[0].dim(1), e = v[0].dim(2), hd = v[1].dim(1);
  const int64_t tk = v[3].dim(1), dk = v[3].dim(2), a = v[4].dim(2);
  AttentionOptions o;
  o.score = AttentionScore::additive;
  o.params.query_weight = v[8];
  o.params.v = v[9];
  o.mask.key_lengths = lengths;
  LstmState s{v[1], v[2]};
  std::vector<Var> outputs;
  std::vector<Tensor> step_weights(t);
  for (int64_t i = 0; i < t; ++i) {
    o.capture = &step_weights[i];
    Var context = reshape(attention(reshape(s.h, {b, 1, 1, hd}), reshape(v[4], {b, 1, tk, a}),
                                    reshape(v[3], {b, 1, tk, dk}), o),
                          {b, dk});
    s = lstm_cell(concat({reshape(slice(v[0], 1, i, i + 1), {b, e}), context}, 1), s, v[5], v[6], v[7]);
    outputs.push_back(reshape(concat({s.h, context}, 1), {b, 1, hd + dk}));
  }
  *weights = Tensor::empty({b, t, tk});
  for (int64_t i = 0; i < t; ++i)
    for (int64_t r = 0; r < b; ++r)
      for (int64_t j = 0; j < tk; ++j) (*weights)[(r * t + i) * tk + j] = step_weights[i][r * tk + j];
  return concat(outputs, 1);
}

std::vector<int32_t> some_padding(const Dims& d) {
  std::vector<int32_t> lengths(d.b);
  for (int64_t r = 0; r < d.b; ++r) lengths[r] = static_cast<int32_t>(d.tk - r % d.tk);  // row 0 full
  if (d.b > 2) lengths[2] = 0;  // a row with no keys gets a zero context
  return lengths;
}

}  // namespace

TEST_CASE("gradcheck: additive_lstm_decoder") {
  std::vector<OpCase> cases;
  for (const Dims& d : {Dims{2, 3, 2, 3, 4, 3, 2}, Dims{1, 1, 1, 1, 1, 1, 1}}) {
    const std::vector<int32_t> lengths = some_padding(d);
    cases.push_back({"additive_lstm_decoder B=" + std::to_string(d.b) + " T=" + std::to_string(d.t),
                     decoder_shapes(d), [lengths](const std::vector<Var>& v) {
                       return additive_lstm_decoder(decoder_inputs(v, lengths));
                     }});
  }
  attn::testing::run_op_cases(cases);
}

TEST_CASE("additive_lstm_decoder equals the loop of attention and lstm_cell, values and gradients") {
  Rng rng(41, 0);
  for (const Dims& d : {Dims{1, 1, 1, 1, 1, 1, 1}, Dims{3, 5, 7, 9, 6, 5, 11}, Dims{64, 4, 16, 33, 20, 17, 19},
                        Dims{2, 3, 4, 65, 1, 3, 2}}) {
    for (bool padded : {false, true}) {
      INFO("B=" << d.b << " T=" << d.t << " E=" << d.e << " Hd=" << d.hd << " Tk=" << d.tk << " A=" << d.a
                << " Dk=" << d.dk << " padded=" << padded);
      std::vector<Tensor> inputs;
      for (const Shape& s : decoder_shapes(d)) inputs.push_back(random_tensor(s, rng));
      const std::vector<int32_t> lengths = padded ? some_padding(d) : std::vector<int32_t>{};
      const std::vector<Var> fused_in = parameters_from(inputs), ref_in = parameters_from(inputs);
      Tensor fused_weights, ref_weights;
      AdditiveLstmDecoderInputs in = decoder_inputs(fused_in, lengths);
      in.capture = &fused_weights;
      Var fused = additive_lstm_decoder(in);
      Var ref = composed(ref_in, lengths, &ref_weights);
      REQUIRE(fused.shape() == ref.shape());
      for (int64_t i = 0; i < ref.numel(); ++i) REQUIRE(fused.value()[i] == Approx(ref.value()[i]).margin(1e-5));
      REQUIRE(fused_weights.shape() == ref_weights.shape());
      for (int64_t i = 0; i < ref_weights.numel(); ++i)
        REQUIRE(fused_weights[i] == Approx(ref_weights[i]).margin(1e-6));
      require_same_gradients(fused, ref, fused_in, ref_in, random_tensor(ref.shape(), rng), 2e-4);
    }
  }
}

TEST_CASE("additive_lstm_decoder results do not depend on the thread count") {
  // B = 37: a full 32-row chunk and a 5-row one (ops/rnn_row_chunks.h), with padding.
  const Dims d{37, 3, 5, 40, 7, 9, 6};
  Rng rng(43, 0);
  std::vector<Tensor> inputs;
  for (const Shape& s : decoder_shapes(d)) inputs.push_back(random_tensor(s, rng));
  const Tensor seed = random_tensor({d.b, d.t, d.hd + d.dk}, rng);
  const std::vector<int32_t> lengths = some_padding(d);
  require_thread_count_independent(inputs, seed, [&](const std::vector<Var>& v) {
    return additive_lstm_decoder(decoder_inputs(v, lengths));
  });
}

TEST_CASE("additive_lstm_decoder checks its shapes") {
  Rng rng(42, 0);
  const Dims d{2, 3, 2, 3, 4, 3, 2};
  std::vector<Var> v;
  for (const Shape& s : decoder_shapes(d)) v.emplace_back(random_tensor(s, rng));
  REQUIRE_NOTHROW(additive_lstm_decoder(decoder_inputs(v, {4, 1})));
  REQUIRE_THROWS_AS(additive_lstm_decoder(decoder_inputs(v, {4})), Error);  // one length for B = 2
  std::vector<Var> bad = v;
  bad[4] = Var(random_tensor({d.b, d.tk, d.a + 1}, rng));  // keys wider than query_weight's A
  try {
    additive_lstm_decoder(decoder_inputs(bad, {}));
    FAIL("no error");
  } catch (const Error& e) {
    REQUIRE(e.kind() == ErrorKind::shape);
    REQUIRE_THAT(e.what(), Catch::Contains("keys") && Catch::Contains("[2, 4, 3]") && Catch::Contains("[2, 4, 4]"));
  }
}
