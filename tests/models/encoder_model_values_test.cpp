// The encoder model over real values (the forecaster's input): shapes, causal attention,
// parameter names, the autoregressive highway, whole-model gradchecks and its configuration errors.
#include <catch2/catch.hpp>
#include <map>

#include "base/error.h"
#include "models/encoder_model.h"
#include "nn/module_gradcheck.h"
#include "support/error_text.h"

using namespace attn;
using namespace attn::models;

namespace {
constexpr int64_t kHorizon = 2;

ModelOptions tiny(const std::string& arch, const std::string& pool) {
  ModelOptions o;
  o.input = "values";
  o.arch = arch;
  o.pool = pool;
  o.outputs = kHorizon;
  o.enc_layers = 1, o.width = 8, o.heads = 2, o.ff_width = 16, o.max_positions = 16;
  o.pre_norm = false;  // as in encoder_model_test: keeps ReLU inputs of these seeds away from the kink
  o.embed_width = 6, o.rnn_hidden = 4, o.attn_width = 5;
  o.attention = arch == "rnn" ? "additive" : "scaled_dot";
  return o;
}

Tensor random_values(Rng& rng, int64_t B, int64_t T) {
  Tensor v = Tensor::empty({B, T});
  rng.fill_uniform(v.data(), v.numel(), -2.0f, 2.0f);
  return v;
}
}  // namespace

TEST_CASE("encoder model over values: [B, outputs] for every arch and pooling", "[models][encoder_model]") {
  Rng rng(1, 0);
  const Tensor values = random_values(rng, 3, 5);
  for (const char* arch : {"transformer", "rnn"})
    for (const char* pool : {"attention", "mean", "max", "last"}) {
      INFO(arch << " pool " << pool);
      EncoderModel model(tiny(arch, pool));
      CHECK(model.forward(values, {5, 5, 5}).value().shape() == Shape{3, kHorizon});
    }
}

TEST_CASE("encoder model over values: causal attention never looks ahead", "[models][encoder_model]") {
  Rng rng(2, 0);
  ModelOptions o = tiny("transformer", "last");
  o.causal = true;
  o.enc_layers = 2;
  EncoderModel model(o);
  model.set_training(false);
  AttentionRecorder recorder;
  model.set_recorder(&recorder);
  const int64_t T = 6;
  model.forward(random_values(rng, 2, T), {T, T});
  REQUIRE(recorder.maps.size() == 3);  // two layers, then the pooling
  for (int layer = 0; layer < 2; ++layer) {
    const Tensor& w = recorder.maps[layer].weights;  // [B, H, T, T]
    REQUIRE(w.shape() == Shape{2, 2, T, T});
    for (int64_t row = 0; row < 2 * 2 * T; ++row)
      for (int64_t j = row % T + 1; j < T; ++j) CHECK(w[row * T + j] == 0.0f);
  }
  const AttentionMap& pool = recorder.maps[2];
  CHECK(pool.kind == "pooling");
  CHECK(pool.weights[T - 1] == 1.0f);  // pool last: the whole weight on the last step
}

TEST_CASE("encoder model over values: whole-model gradcheck", "[models][encoder_model]") {
  Rng rng(4, 0);
  const Tensor values = random_values(rng, 2, 4);
  ModelOptions causal_last = tiny("transformer", "last");
  causal_last.causal = true;
  ModelOptions full_attention = tiny("transformer", "attention");
  full_attention.learned_positions = true;
  ModelOptions window_mean = tiny("transformer", "mean");
  window_mean.window = 1;
  ModelOptions lstm = tiny("rnn", "attention"), gru_last = tiny("rnn", "last");
  gru_last.rnn_cell = "gru";
  ModelOptions highway = causal_last, lstm_highway = lstm;
  highway.highway = 3;
  lstm_highway.highway = 4;
  int n = 0;
  for (const ModelOptions& o : {causal_last, full_attention, window_mean, lstm, gru_last, highway, lstm_highway}) {
    DYNAMIC_SECTION(n++ << " " << o.arch << " pool " << o.pool) {
      EncoderModel model(o);
      model.set_training(false);
      GradcheckOptions options;
      options.eps = 1e-3f;  // see encoder_model_test: 1e-2 straddles ReLU kinks
      GradcheckResult r = testing::module_gradcheck(model, [&] { return model.forward(values, {4, 4}); }, options);
      INFO(r.detail << " (max abs error " << r.max_abs_error << ")");
      CHECK(r.ok);
    }
  }
}

TEST_CASE("encoder model over values: parameters and errors", "[models][encoder_model]") {
  EncoderModel model(tiny("transformer", "attention"));
  std::map<std::string, Shape> shapes;
  for (const auto& [name, p] : model.named_parameters()) shapes[name] = p.shape();
  CHECK(shapes.at("embed.weight") == Shape{8, 1});
  CHECK(shapes.at("head.weight") == Shape{kHorizon, 8});
  CHECK(testing::error_text([&] { model.forward(Ids{{1, 2}, {4, 5}}, {2}); }, ErrorKind::config) ==
        "this encoder model reads values, not tokens");
  CHECK_THAT(testing::error_text([] { EncoderModel bad(tiny("transformer", "cls")); }, ErrorKind::config),
             Catch::Contains("pool cls is not supported on values"));
}

TEST_CASE("encoder model over values: the highway adds a linear map of the window's last values", "[models][encoder_model]") {
  Rng rng(5, 0);
  const int64_t B = 3, T = 6, n = 4;
  const Tensor values = random_values(rng, B, T);
  for (const char* arch : {"transformer", "rnn"}) {
    INFO(arch);
    ModelOptions o = tiny(arch, "last");
    EncoderModel plain(o);
    o.highway = n;
    EncoderModel with_highway(o);  // the same seed: every other parameter equals plain's
    std::map<std::string, Var> params;
    for (const auto& [name, p] : with_highway.named_parameters()) params.emplace(name, p);
    REQUIRE(params.at("highway.weight").shape() == Shape{kHorizon, n});
    REQUIRE(params.at("highway.bias").shape() == Shape{kHorizon});
    plain.set_training(false);
    with_highway.set_training(false);
    const Tensor a = plain.forward(values, {T, T, T}).value(), b = with_highway.forward(values, {T, T, T}).value();
    const Tensor& w = params.at("highway.weight").value();
    const Tensor& bias = params.at("highway.bias").value();
    for (int64_t row = 0; row < B; ++row)
      for (int64_t k = 0; k < kHorizon; ++k) {
        double expected = a[row * kHorizon + k] + bias[k];
        for (int64_t j = 0; j < n; ++j) expected += w[k * n + j] * values[row * T + T - n + j];
        CHECK(b[row * kHorizon + k] == Approx(expected).margin(1e-5));
      }
  }
  CHECK_THAT(testing::error_text(
                 [] {
                   ModelOptions tokens = tiny("transformer", "attention");
                   tokens.input = "tokens", tokens.src_vocab = 10, tokens.highway = 2;
                   EncoderModel bad(tokens);
                 },
                 ErrorKind::config),
             Catch::Contains("a highway needs values"));
}
