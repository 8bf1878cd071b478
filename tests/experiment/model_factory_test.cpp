#include <catch2/catch.hpp>

#include "experiment/model_factory.h"

namespace ex = attn::experiment;

// Library users who build a ModelOptions by hand should get the model `attn train` builds by default.
TEST_CASE("ModelOptions defaults agree with the config schema's defaults", "[experiment][model_factory]") {
  const attn::models::ModelOptions library;
  const attn::models::ModelOptions configured = ex::model_options(ex::TrainConfig{});
  CHECK(library.arch == configured.arch);
  CHECK(library.enc_layers == configured.enc_layers);
  CHECK(library.dec_layers == configured.dec_layers);
  CHECK(library.width == configured.width);
  CHECK(library.heads == configured.heads);
  CHECK(library.ff_width == configured.ff_width);
  CHECK(library.dropout == configured.dropout);
  CHECK(library.pre_norm == configured.pre_norm);
  CHECK(library.learned_positions == configured.learned_positions);
  CHECK(library.scale_embeddings == configured.scale_embeddings);
  CHECK(library.tie_output == configured.tie_output);
  CHECK(library.rnn_cell == configured.rnn_cell);
  CHECK(library.embed_width == configured.embed_width);
  CHECK(library.rnn_hidden == configured.rnn_hidden);
  CHECK(library.attn_width == configured.attn_width);
  CHECK(library.attention == configured.attention);
  CHECK(library.normalizer == configured.normalizer);
  CHECK(library.window == configured.window);
  CHECK(library.pool == configured.pool);
}
