#include <catch2/catch.hpp>

#include <cmath>

#include "base/error.h"
#include "models/encoder_model.h"
#include "models/patch_embedding.h"
#include "models/positional.h"
#include "ops/attention_mask.h"
#include "nn/module_gradcheck.h"

using namespace attn;
using namespace attn::models;

namespace {
// B images of side x side with pixel (n, r, c) = (7n + 3r + 5c) mod 256.
Ids images(int64_t B, int64_t side) {
  Ids out{{B, side * side}, std::vector<int32_t>(B * side * side)};
  for (int64_t n = 0; n < B; ++n)
    for (int64_t r = 0; r < side; ++r)
      for (int64_t c = 0; c < side; ++c) out.values[(n * side + r) * side + c] = (7 * n + 3 * r + 5 * c) % 256;
  return out;
}

ModelOptions tiny_image(const std::string& pool, bool learned) {
  ModelOptions o;
  o.input = "patches";
  o.image_side = 6, o.patch = 3;
  o.pixel_mean = 0.3f, o.pixel_std = 0.4f;
  o.pool = pool;
  o.outputs = 3;
  o.enc_layers = 1, o.width = 8, o.heads = 2, o.ff_width = 16;
  o.learned_positions = learned;
  o.dropout = 0.0f;
  return o;
}
}  // namespace

TEST_CASE("patchify cuts images into row-major patches of normalised pixels", "[models][patches]") {
  const Ids pixels = images(2, 6);
  const Tensor p = patchify(pixels, 6, 3, 0.3f, 0.4f);  // [2, 4, 9]
  REQUIRE(p.shape() == Shape{2, 4, 9});
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t patch = 0; patch < 4; ++patch)
      for (int64_t y = 0; y < 3; ++y)
        for (int64_t x = 0; x < 3; ++x) {
          const int64_t r = (patch / 2) * 3 + y, c = (patch % 2) * 3 + x;
          const float expected = ((7 * n + 3 * r + 5 * c) % 256 / 255.0f - 0.3f) / 0.4f;
          CHECK(p[(n * 4 + patch) * 9 + y * 3 + x] == Approx(expected).margin(1e-5));
        }
}

TEST_CASE("2-D sinusoidal positions: row table then column table", "[models][patches]") {
  const Tensor t = sinusoidal_2d_table(3, 8), one = sinusoidal_table(3, 4);
  for (int64_t p = 0; p < 9; ++p)
    for (int64_t i = 0; i < 4; ++i) {
      CHECK(t[p * 8 + i] == one[(p / 3) * 4 + i]);
      CHECK(t[p * 8 + 4 + i] == one[(p % 3) * 4 + i]);
    }
}

TEST_CASE("patch embedding gradcheck: projection, cls and learned positions", "[models][patches]") {
  for (bool cls : {false, true})
    for (bool learned : {false, true}) {
      ModelOptions o = tiny_image("mean", learned);
      Rng rng(3, 0);
      PatchEmbedding embed(o, cls, rng);
      const Ids pixels = images(2, 6);
      CHECK(embed.forward(pixels).shape() == Shape{2, 4 + (cls ? 1 : 0), 8});
      GradcheckResult r = testing::module_gradcheck(embed, [&] { return embed.forward(pixels); });
      INFO("cls " << cls << " learned " << learned << ": " << r.detail);
      CHECK(r.ok);
    }
}

// eps 1e-3, not the default 1e-2: a step of 1e-2 moves some feed-forward pre-activations across
// ReLU's kink in these tiny models, and the central difference then disagrees with the gradient.
TEST_CASE("encoder model on images: every pooling runs and records patch-to-patch maps, gradchecked end to end", "[models][patches]") {
  for (const char* pool : {"attention", "mean", "max", "cls"}) {
    ModelOptions o = tiny_image(pool, true);
    EncoderModel model(o);
    const Ids pixels = images(2, 6);
    AttentionRecorder recorder;
    model.set_recorder(&recorder);
    const Tensor logits = model.forward(pixels, {36, 36}).value();
    model.set_recorder(nullptr);
    CHECK(logits.shape() == Shape{2, 3});
    REQUIRE(!recorder.maps.empty());
    const int64_t slots = 4 + (std::string(pool) == "cls" ? 1 : 0);
    CHECK(recorder.maps.front().weights.shape() == Shape{2, 2, slots, slots});  // patch-to-patch, per head
    // Max pooling's gradcheck needs inputs whose maxima no eps step moves (pooling_test.cpp has it).
    if (std::string(pool) == "max") continue;
    GradcheckOptions fine;
    fine.eps = 1e-3f;
    GradcheckResult r = testing::module_gradcheck(model, [&] { return model.forward(pixels, {36, 36}); }, fine);
    INFO("pool " << pool << ": " << r.detail);
    CHECK(r.ok);
  }
}

TEST_CASE("encoder model on images with a window: the grid mask in every layer, gradchecked", "[models][patches]") {
  // 6x6 images of 2x2 patches: a 3x3 grid; window 0 leaves each patch itself and <cls>.
  ModelOptions o = tiny_image("cls", true);
  o.patch = 2;
  o.window = 0;
  o.enc_layers = 2;
  EncoderModel model(o);
  const Ids pixels = images(2, 6);
  AttentionRecorder recorder;
  model.set_recorder(&recorder);
  model.forward(pixels, {36, 36});
  model.set_recorder(nullptr);
  AttentionMask spec;
  spec.grid = {3, 3, 1, 0};
  const Tensor mask = build_attention_mask(spec, 1, 1, 10, 10);
  int layers = 0;
  for (const auto& m : recorder.maps) {
    if (m.kind != "encoder_self") continue;
    ++layers;
    REQUIRE(m.weights.shape() == Shape{2, 2, 10, 10});
    for (int64_t i = 0; i < m.weights.numel(); ++i)
      if (mask[i % 100] == 0.0f) REQUIRE(m.weights[i] == 0.0f);
  }
  CHECK(layers == 2);
  GradcheckOptions fine;  // eps as above
  fine.eps = 1e-3f;
  GradcheckResult r = testing::module_gradcheck(model, [&] { return model.forward(pixels, {36, 36}); }, fine);
  INFO(r.detail);
  CHECK(r.ok);
}

TEST_CASE("image model options that cannot run are config errors", "[models][patches]") {
  auto error_of = [](ModelOptions o) {
    try {
      EncoderModel model(o);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      return std::string(e.what());
    }
    return std::string();
  };
  ModelOptions o = tiny_image("mean", true);
  o.patch = 4;
  CHECK_THAT(error_of(o), Catch::Contains("patch=4 does not divide"));
  o = tiny_image("mean", true);
  o.window = 1;
  o.attention = "linear";
  CHECK_THAT(error_of(o), Catch::Contains("linear attention has no window"));
  o = tiny_image("mean", true);
  o.arch = "rnn";
  CHECK_THAT(error_of(o), Catch::Contains("images need arch transformer"));
}
