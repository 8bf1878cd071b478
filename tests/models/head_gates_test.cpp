#include <catch2/catch.hpp>

#include "autodiff/gradcheck.h"
#include "base/error.h"
#include "models/encoder_model.h"
#include "models/head_gates.h"
#include "models/transformer.h"
#include "nn/multi_head_attention.h"
#include "ops/attention_cases.h"
#include "ops/loss.h"
#include "ops/shape_ops.h"

using namespace attn;
using namespace attn::models;
using namespace attn::testing;

namespace {
ModelOptions tiny_transformer() {
  ModelOptions o;
  o.src_vocab = o.tgt_vocab = 12;
  o.enc_layers = o.dec_layers = 2;
  o.width = 16, o.heads = 4, o.ff_width = 32;
  o.dropout = 0.0f;
  o.seed = 5;
  return o;
}

// Masking by hand: zero the rows of v_proj (weight and bias) that make head h's values. Its
// weights still sum to 1 per row, so its context is exactly 0, which is what a gate of 0 does.
void zero_head_values(Model& model, const std::string& layer, int64_t head, int64_t head_width) {
  for (auto& [name, p] : model.named_parameters()) {
    if (name != layer + ".v_proj.weight" && name != layer + ".v_proj.bias") continue;
    const int64_t row = p.value().numel() / p.value().dim(0);  // inputs per row (1 for the bias)
    for (int64_t r = head * head_width; r < (head + 1) * head_width; ++r)
      for (int64_t j = 0; j < row; ++j) p.value().data()[r * row + j] = 0.0f;
  }
}

Tensor seq2seq_logits(Transformer& model) {
  NoGradGuard no_grad;
  const Ids src{{2, 5}, {3, 4, 5, 6, 7, 8, 9, 3, 0, 0}};
  const Ids tgt{{2, 4}, {2, 5, 6, 7, 2, 8, 9, 0}};
  return model.forward(src, {5, 3}, tgt).value();
}
}  // namespace

TEST_CASE("head gate: central-difference gradient w.r.t. the gate and the input, self and cross") {
  Rng rng(11, 0);
  for (bool cross : {false, true}) {
    DYNAMIC_SECTION((cross ? "cross" : "self")) {
      nn::MultiHeadAttention mha(8, 4, {}, true, rng);
      AttentionMask mask;
      mask.key_lengths = {5, 3};
      const Tensor x = random_tensor({2, 4, 8}, rng), memory = random_tensor({2, 5, 8}, rng);
      // Gates away from 1 too: the gradient must hold for any multiplier, not only at 1.
      const Tensor gate = Tensor::from({4}, {1.0f, 0.0f, 0.5f, -1.5f});
      const GradcheckResult r = gradcheck(
          [&](const std::vector<Var>& v) {
            AttentionMask m = mask;
            if (!cross) m.key_lengths = {4, 3};
            return mha.forward(v[0], cross ? v[1] : v[0], m, nullptr, v[2]);
          },
          {x, memory, gate});
      INFO(r.detail);
      CHECK(r.ok);
    }
  }
}

TEST_CASE("head gate of 1 changes nothing; a gate of 0 equals the head's values zeroed by hand") {
  Transformer plain(tiny_transformer());
  plain.set_training(false);
  const Tensor reference = seq2seq_logits(plain);
  const HeadGates ones = make_head_gates(plain.head_layers(), {});
  plain.set_head_gates(&ones);
  const Tensor gated_ones = seq2seq_logits(plain);
  for (int64_t i = 0; i < reference.numel(); ++i) REQUIRE(gated_ones[i] == reference[i]);

  for (const HeadRef& head : {HeadRef{"encoder.layers.1.self_attn", 0}, HeadRef{"decoder.layers.0.self_attn", 3},
                              HeadRef{"decoder.layers.1.cross_attn", 2}}) {
    DYNAMIC_SECTION(head.layer << ":" << head.head) {
      const HeadGates gates = make_head_gates(plain.head_layers(), {head});
      plain.set_head_gates(&gates);
      const Tensor masked = seq2seq_logits(plain);
      Transformer by_hand(tiny_transformer());
      by_hand.set_training(false);
      zero_head_values(by_hand, head.layer, head.head, 16 / 4);
      const Tensor expected = seq2seq_logits(by_hand);
      double change = 0.0;
      for (int64_t i = 0; i < masked.numel(); ++i) {
        REQUIRE(masked[i] == Approx(expected[i]).margin(1e-5));
        change = std::max(change, static_cast<double>(std::abs(masked[i] - reference[i])));
      }
      CHECK(change > 1e-3);  // the masked head did contribute
    }
  }
  plain.set_head_gates(nullptr);
}

TEST_CASE("head layers are named and ordered as the recorder names the maps") {
  Transformer model(tiny_transformer());
  AttentionRecorder recorder;
  model.set_recorder(&recorder);
  seq2seq_logits(model);
  model.set_recorder(nullptr);
  const std::vector<HeadLayer> layers = model.head_layers();
  REQUIRE(layers.size() == recorder.maps.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    CHECK(layers[i].name == recorder.maps[i].name);
    CHECK(layers[i].kind == recorder.maps[i].kind);
    CHECK(layers[i].heads == recorder.maps[i].weights.dim(1));
  }
  ModelOptions rnn_encoder = tiny_transformer();
  rnn_encoder.arch = "rnn";
  rnn_encoder.outputs = 2;
  rnn_encoder.embed_width = 8, rnn_encoder.rnn_hidden = 8;
  CHECK(EncoderModel(rnn_encoder).head_layers().empty());
  ModelOptions classifier = tiny_transformer();
  classifier.outputs = 2;
  CHECK(EncoderModel(classifier).head_layers().size() == 2);
}

TEST_CASE("head lists: parse, format, and refuse unknown layers and heads") {
  const std::vector<HeadRef> heads = parse_head_list("encoder.layers.0.self_attn:1,decoder.layers.1.cross_attn:3");
  REQUIRE(heads == std::vector<HeadRef>{{"encoder.layers.0.self_attn", 1}, {"decoder.layers.1.cross_attn", 3}});
  CHECK(format_head_list(heads) == "encoder.layers.0.self_attn:1,decoder.layers.1.cross_attn:3");
  for (const char* bad : {"", "encoder.layers.0.self_attn", "x:", ":1", "x:-1", "x:1a", "x:1,"})
    CHECK_THROWS_AS(parse_head_list(bad), Error);
  const std::vector<HeadLayer> layers{{"encoder.layers.0.self_attn", "encoder_self", 4}};
  CHECK_THROWS_WITH(make_head_gates(layers, {{"encoder.layers.9.self_attn", 0}}),
                    Catch::Contains("no attention layer 'encoder.layers.9.self_attn'") &&
                        Catch::Contains("layers: encoder.layers.0.self_attn"));
  CHECK_THROWS_WITH(make_head_gates(layers, {{"encoder.layers.0.self_attn", 4}}),
                    Catch::Contains("has heads 0..3, not 4"));
  CHECK_THROWS_WITH(make_head_gates({}, {{"decoder.attention", 0}}), Catch::Contains("no multi-head attention layers"));
  const HeadGates gates = make_head_gates(layers, {{"encoder.layers.0.self_attn", 2}}, true);
  const Var g = gates.find("encoder.layers.0.self_attn");
  CHECK(g.requires_grad());
  CHECK(g.value()[2] == 0.0f);
  CHECK(g.value()[1] == 1.0f);
}

TEST_CASE("head importance: the loss's gradient w.r.t. every gate of a whole Transformer passes a central-difference check") {
  Transformer model(tiny_transformer());
  model.set_training(false);
  const std::vector<HeadLayer> layers = model.head_layers();
  const Ids src{{2, 5}, {3, 4, 5, 6, 7, 8, 9, 3, 0, 0}};
  const Ids tgt_in{{2, 4}, {2, 5, 6, 7, 2, 8, 9, 0}}, tgt_out{{8}, {5, 6, 7, 1, 8, 9, 1, 0}};
  std::vector<Tensor> inputs;
  for (const HeadLayer& l : layers) inputs.push_back(Tensor::from({l.heads}, {1.0f, 1.0f, 0.0f, 1.0f}));
  const GradcheckResult r = gradcheck(
      [&](const std::vector<Var>& gates) {
        HeadGates g;
        for (size_t i = 0; i < layers.size(); ++i) g.gates[layers[i].name] = gates[i];
        model.set_head_gates(&g);
        Var logits = model.forward(src, {5, 3}, tgt_in);  // [2, 4, V]
        model.set_head_gates(nullptr);
        return cross_entropy(reshape(logits, {8, logits.dim(2)}), tgt_out, {0, 0.0f});
      },
      inputs);
  INFO(r.detail);
  CHECK(r.ok);
}
