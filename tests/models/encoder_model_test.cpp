#include <catch2/catch.hpp>

#include <limits>
#include <set>

#include "base/error.h"
#include "data/vocab.h"
#include "models/encoder_model.h"
#include "nn/module_gradcheck.h"
#include "nn/optimizer.h"
#include "ops/loss.h"

using namespace attn;
using namespace attn::models;

namespace {
constexpr int64_t kVocab = 12, kClasses = 3;
const std::vector<std::string> kPools{"attention", "mean", "max", "cls"};

ModelOptions tiny(const std::string& arch, const std::string& pool) {
  ModelOptions o;
  o.arch = arch;
  o.pool = pool;
  o.src_vocab = kVocab;
  o.outputs = kClasses;
  o.enc_layers = 1, o.width = 8, o.heads = 2, o.ff_width = 16, o.max_positions = 16;
  o.pre_norm = false;  // post-norm keeps these seeds' ReLU inputs away from the kink the finite difference would straddle
  o.embed_width = 6, o.rnn_hidden = 4, o.attn_width = 5;
  o.attention = arch == "rnn" ? "additive" : "scaled_dot";
  return o;
}

struct Batch {
  Ids tokens;
  std::vector<int32_t> lengths;
};

// Rows of the given lengths, real tokens drawn from [4, V) (no specials), padded with <pad> to `steps`.
Batch random_batch(Rng& rng, const std::vector<int32_t>& lengths, int64_t steps) {
  const int64_t B = static_cast<int64_t>(lengths.size());
  Batch batch{{{B, steps}, std::vector<int32_t>(B * steps, data::Vocab::pad)}, lengths};
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < lengths[b]; ++t)
      batch.tokens.values[b * steps + t] = static_cast<int32_t>(4 + rng.below(kVocab - 4));
  return batch;
}

// Row b of a batch alone, without padding.
Batch row_alone(const Batch& batch, int64_t b) {
  const int64_t steps = batch.tokens.shape[1], len = batch.lengths[b];
  const auto begin = batch.tokens.values.begin() + b * steps;
  return {{{1, len}, std::vector<int32_t>(begin, begin + len)}, {static_cast<int32_t>(len)}};
}

Tensor logits(EncoderModel& model, const Batch& batch) { return model.forward(batch.tokens, batch.lengths).value(); }

std::string describe(const ModelOptions& o) {
  return o.arch + " " + o.rnn_cell + " pool " + o.pool + " attention " + o.attention;
}

// Every architecture with every pooling, and the RNN's no-attention baseline.
std::vector<ModelOptions> all_configs() {
  std::vector<ModelOptions> configs;
  for (const char* arch : {"transformer", "rnn"})
    for (const std::string& pool : kPools) configs.push_back(tiny(arch, pool));
  for (const char* pool : {"mean", "max", "cls"}) {
    ModelOptions o = tiny("rnn", pool);
    o.attention = "none";
    o.rnn_cell = "gru";
    configs.push_back(o);
  }
  return configs;
}

std::set<std::string> top_level_names(const nn::Module& model) {
  std::set<std::string> names;
  for (const auto& [name, p] : model.named_parameters()) names.insert(name.substr(0, name.find('.')));
  return names;
}
}  // namespace

TEST_CASE("encoder model: logits [B, classes] for every arch and pooling", "[models][encoder_model]") {
  Rng rng(1, 0);
  const Batch batch = random_batch(rng, {5, 2, 7}, 7);
  for (const ModelOptions& o : all_configs()) {
    INFO(describe(o));
    EncoderModel model(o);
    CHECK(logits(model, batch).shape() == Shape{3, kClasses});
  }
}

TEST_CASE("encoder model: a row's logits do not depend on the padding around it", "[models][encoder_model]") {
  Rng rng(2, 0);
  const Batch batch = random_batch(rng, {3, 1, 6}, 9);
  for (const ModelOptions& o : all_configs()) {
    INFO(describe(o));
    EncoderModel model(o);
    model.set_training(false);
    const Tensor padded = logits(model, batch);
    for (int64_t b = 0; b < 3; ++b) {
      const Tensor alone = logits(model, row_alone(batch, b));
      for (int64_t k = 0; k < kClasses; ++k) CHECK(padded[b * kClasses + k] == Approx(alone[k]).margin(1e-5));
    }
  }
}

TEST_CASE("encoder model: recorded maps", "[models][encoder_model]") {
  Rng rng(3, 0);
  const Batch batch = random_batch(rng, {4, 2}, 4);
  const int64_t B = 2, T = 4;
  auto record = [&](const ModelOptions& o) {
    EncoderModel model(o);
    AttentionRecorder recorder;
    model.set_recorder(&recorder);
    logits(model, batch);
    return recorder.maps;
  };
  // The pooling map: [B, 1, 1, steps], rows summing to 1 over real positions.
  auto check_pool_map = [&](const AttentionMap& map, int64_t steps) {
    CHECK(map.name == "pool");
    CHECK(map.kind == "pooling");
    CHECK(map.layer == 0);
    REQUIRE(map.weights.shape() == Shape{B, 1, 1, steps});
    for (int64_t b = 0; b < B; ++b) {
      double total = 0.0;
      for (int64_t t = 0; t < steps; ++t) total += map.weights[b * steps + t];
      CHECK(total == Approx(1.0).margin(1e-6));
      for (int64_t t = batch.lengths[b]; t < steps; ++t) CHECK(map.weights[b * steps + t] == 0.0f);
    }
  };

  SECTION("transformer: one encoder_self map per layer, then the pooling") {
    ModelOptions o = tiny("transformer", "attention");
    o.enc_layers = 2;
    const std::vector<AttentionMap> maps = record(o);
    REQUIRE(maps.size() == 3);
    for (int layer = 0; layer < 2; ++layer) {
      CHECK(maps[layer].name == "encoder.layers." + std::to_string(layer) + ".self_attn");
      CHECK(maps[layer].kind == "encoder_self");
      CHECK(maps[layer].layer == layer);
      CHECK(maps[layer].weights.shape() == Shape{B, o.heads, T, T});
    }
    check_pool_map(maps[2], T);
  }
  SECTION("transformer with pool cls: the maps include the <cls> slot, pooling records nothing") {
    const std::vector<AttentionMap> maps = record(tiny("transformer", "cls"));
    REQUIRE(maps.size() == 1);
    CHECK(maps[0].kind == "encoder_self");
    REQUIRE(maps[0].weights.shape() == Shape{B, 2, T + 1, T + 1});
    // Row 1 is <cls> and 2 tokens: its keys 3 and 4 are padding in every head and query.
    const Tensor& w = maps[0].weights;
    const int64_t S = T + 1;
    for (int64_t h = 0; h < 2; ++h)
      for (int64_t i = 0; i < S; ++i)
        for (int64_t j = 3; j < S; ++j) CHECK(w[((1 * 2 + h) * S + i) * S + j] == 0.0f);
  }
  SECTION("transformer with mean and max pooling") {
    for (const char* pool : {"mean", "max"}) {
      const std::vector<AttentionMap> maps = record(tiny("transformer", pool));
      REQUIRE(maps.size() == 2);
      check_pool_map(maps[1], T);
    }
  }
  SECTION("rnn: the pooling map only") {
    for (const char* pool : {"attention", "mean", "max"}) {
      INFO(pool);
      const std::vector<AttentionMap> maps = record(tiny("rnn", pool));
      REQUIRE(maps.size() == 1);
      check_pool_map(maps[0], T);
    }
    CHECK(record(tiny("rnn", "cls")).empty());
  }
}

TEST_CASE("encoder model: whole-model gradcheck", "[models][encoder_model]") {
  Rng rng(4, 0);
  const Batch batch = random_batch(rng, {4, 2}, 4);
  ModelOptions transformer = tiny("transformer", "attention"), transformer_cls = tiny("transformer", "cls");
  transformer_cls.pre_norm = true, transformer_cls.learned_positions = true;
  transformer_cls.seed = 2;  // with seed 1 a ReLU input lies within the step of its kink
  ModelOptions lstm = tiny("rnn", "attention"), gru = tiny("rnn", "mean");
  gru.rnn_cell = "gru";
  for (const ModelOptions& o : {transformer, transformer_cls, lstm, gru}) {
    DYNAMIC_SECTION(describe(o)) {
      EncoderModel model(o);
      model.set_training(false);
      // A step of 1e-3, not the default 1e-2: at 1e-2 some feed-forward ReLU inputs cross
      // zero, and the central difference straddles the kink (it passes at 1e-3 everywhere).
      GradcheckOptions options;
      options.eps = 1e-3f;
      GradcheckResult r = testing::module_gradcheck(
          model, [&] { return model.forward(batch.tokens, batch.lengths); }, options);
      INFO(r.detail << " (max abs error " << r.max_abs_error << ")");
      CHECK(r.ok);
    }
  }
}

TEST_CASE("encoder model: learns whether token 5 occurs in a few dozen Adam steps", "[models][encoder_model]") {
  // Rows of 3..8 tokens, half of them holding a 5 somewhere; label = whether they do.
  auto make = [](Rng& rng, int64_t rows, Ids& labels) {
    std::vector<int32_t> lengths(rows);
    for (int32_t& n : lengths) n = static_cast<int32_t>(3 + rng.below(6));
    Batch batch = random_batch(rng, lengths, 8);
    labels = Ids{{rows}, std::vector<int32_t>(rows)};
    for (int64_t b = 0; b < rows; ++b) {
      int32_t* row = batch.tokens.values.data() + b * 8;
      for (int64_t t = 0; t < lengths[b]; ++t)
        if (row[t] == 5) row[t] = 6;
      labels.values[b] = static_cast<int32_t>(rng.below(2));
      if (labels.values[b] == 1) row[rng.below(lengths[b])] = 5;
    }
    return batch;
  };
  ModelOptions transformer = tiny("transformer", "max"), rnn = tiny("rnn", "attention");
  for (ModelOptions o : {transformer, rnn}) {
    DYNAMIC_SECTION(describe(o)) {
      o.outputs = 2;
      o.width = 16, o.ff_width = 32, o.embed_width = 8, o.rnn_hidden = 8;
      EncoderModel model(o);
      nn::Optimizer opt(model.named_parameters(), {});
      Rng rng(5, 0);
      Ids labels;
      for (int step = 0; step < 60; ++step) {
        const Batch batch = make(rng, 32, labels);
        Var loss = cross_entropy(model.forward(batch.tokens, batch.lengths), labels);
        opt.zero_grad();
        loss.backward();
        opt.step(1e-2f);
      }
      model.set_training(false);
      const Batch held_out = make(rng, 200, labels);
      const Tensor out = logits(model, held_out);
      int correct = 0;
      for (int64_t b = 0; b < 200; ++b) correct += (out[b * 2 + 1] > out[b * 2]) == (labels.values[b] == 1);
      INFO("held-out accuracy " << correct << " / 200");
      CHECK(correct >= 190);
    }
  }
}

TEST_CASE("encoder model: positions, parameter names and the <cls> id", "[models][encoder_model]") {
  CHECK(ModelOptions{}.cls_id == data::Vocab::bos);
  Rng rng(6, 0);
  ModelOptions o = tiny("transformer", "cls");
  o.learned_positions = true;
  EncoderModel cls(o);
  CHECK(cls.max_input_length() == 15);
  CHECK(logits(cls, random_batch(rng, {15}, 15)).shape() == Shape{1, kClasses});
  CHECK_THROWS_AS(logits(cls, random_batch(rng, {16}, 16)), Error);
  CHECK(top_level_names(cls) == std::set<std::string>{"embed", "pos", "encoder", "head"});
  o.pool = "attention";
  EncoderModel attention(o);
  CHECK(attention.max_input_length() == 16);
  CHECK(top_level_names(attention) == std::set<std::string>{"embed", "pos", "encoder", "pool", "head"});
  EncoderModel rnn(tiny("rnn", "attention"));
  CHECK(rnn.max_input_length() == std::numeric_limits<int64_t>::max());
  CHECK(top_level_names(rnn) == std::set<std::string>{"embed", "encoder", "pool", "head"});
}

TEST_CASE("encoder model: configuration errors", "[models][encoder_model]") {
  auto config_error = [](ModelOptions o, const std::string& expect) {
    INFO(describe(o));
    try {
      EncoderModel model(o);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      CHECK_THAT(e.what(), Catch::Contains(expect));
    }
  };
  ModelOptions o = tiny("cnn", "mean");
  config_error(o, "unknown arch 'cnn' (expected transformer or rnn)");
  o = tiny("rnn", "mean");
  o.outputs = 0;
  config_error(o, "outputs >= 1, got 0");
  o = tiny("transformer", "mean");
  o.attention = "none";
  config_error(o, "needs arch rnn with pool mean, max or cls, got arch transformer");
  o = tiny("rnn", "attention");
  o.attention = "none";
  config_error(o, "got arch rnn with pool attention");
  o = tiny("rnn", "cls");
  o.bidirectional = false;
  config_error(o, "pool cls with a unidirectional rnn");
  config_error(tiny("rnn", "first"), "unknown pooling 'first' (expected attention, mean, max, cls or last)");
  o = tiny("transformer", "attention");
  o.attention = "linear";
  config_error(o, "attention pooling cannot use score 'linear'");
  // A linear-attention encoder is fine when the pooling does not attend.
  o.pool = "mean";
  Rng rng(7, 0);
  EncoderModel linear(o);
  CHECK(logits(linear, random_batch(rng, {3, 2}, 3)).shape() == Shape{2, kClasses});
}
