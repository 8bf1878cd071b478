#include "models/encoder_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "ops/attention_mask.h"
#include "ops/elementwise.h"

namespace attn::models {

namespace {
void check_options(const ModelOptions& o) {
  ATTN_CHECK(o.arch == "transformer" || o.arch == "rnn", config, "unknown arch '", o.arch,
             "' (expected transformer or rnn)");
  ATTN_CHECK(o.outputs >= 1, config, "the encoder model needs outputs >= 1, got ", o.outputs);
  // Without attention only the RNN encoder runs, and only a pooling that does not attend.
  ATTN_CHECK(o.attention != "none" || (o.arch == "rnn" && o.pool != "attention"), config,
             "attention none (the no-attention baseline) needs arch rnn with pool mean, max or cls, got arch ", o.arch,
             " with pool ", o.pool);
  ATTN_CHECK(o.input == "tokens" || o.input == "patches" || o.input == "values", config, "unknown encoder input '",
             o.input, "'");
  ATTN_CHECK(o.input != "values" || o.pool != "cls", config,
             "pool cls is not supported on values (no <cls> step in a series); use pool attention, mean, max or last");
  ATTN_CHECK(o.highway == 0 || o.input == "values", config, "a highway needs values (a forecast), got input ",
             o.input);
  ATTN_CHECK(o.input != "patches" || o.arch == "transformer", config,
             "images need arch transformer (a Vision Transformer over patches), got arch ", o.arch);
  ATTN_CHECK(o.input != "patches" || o.window < 0 || o.attention != "linear", config,
             "linear attention has no window (got window ", o.window, ")");
  // A forward-only RNN's state at position 0 has read <cls> alone: the same for every input.
  ATTN_CHECK(o.arch != "rnn" || o.pool != "cls" || o.bidirectional, config,
             "pool cls with a unidirectional rnn sees only the <cls> token; use bidirectional or pool attention, "
             "mean or max");
}

nn::PoolingOptions pooling_options(const ModelOptions& o, int64_t state_width) {
  nn::PoolingOptions p;
  p.kind = o.pool;
  p.width = state_width;
  p.score = o.attention;
  p.normalizer = o.normalizer;
  p.attn_width = o.attn_width;
  return p;
}

// The last n columns of values [B, T] (n <= T) -> [B, n].
Tensor last_columns(const Tensor& values, int64_t n) {
  const int64_t B = values.dim(0), T = values.dim(1);
  ATTN_CHECK(n <= T, config, "the highway reads the last ", n, " values of a window of ", T);
  Tensor out = Tensor::empty({B, n});
  for (int64_t b = 0; b < B; ++b) std::copy_n(values.data() + b * T + T - n, n, out.data() + b * n);
  return out;
}

// Each row with `id` in front: [B, T] -> [B, T + 1], lengths + 1.
Ids prepend(const Ids& tokens, int32_t id) {
  const int64_t B = tokens.shape[0], T = tokens.shape[1];
  Ids out{{B, T + 1}, std::vector<int32_t>(B * (T + 1))};
  for (int64_t b = 0; b < B; ++b) {
    out.values[b * (T + 1)] = id;
    std::copy_n(tokens.values.begin() + b * T, T, out.values.begin() + b * (T + 1) + 1);
  }
  return out;
}
}  // namespace

EncoderModel::EncoderModel(const ModelOptions& o) : o_(o) {
  check_options(o);
  Rng rng(o.seed, 0x7C);
  int64_t state_width = 0;
  if (o.input == "patches") {
    patches_ = register_module("embed", std::make_shared<PatchEmbedding>(o, o.pool == "cls", rng));
    // On images the window is 2-D (the grid window); the layers' own window is a 1-D band.
    ModelOptions layers = o;
    layers.window = -1;
    transformer_ = register_module("encoder", std::make_shared<TransformerEncoder>(layers, rng));
    grid_window_ = {patches_->grid(), patches_->grid(), o.pool == "cls" ? 1 : 0, o.window};
    state_width = o.width;
  } else if (o.arch == "transformer") {
    // Token vectors of unit variance after the optional √C scale, as in the Transformer.
    const float token_scale =
        o.scale_embeddings && o.input == "tokens" ? std::sqrt(static_cast<float>(o.width)) : 1.0f;
    if (o.input == "values")
      values_ = register_module("embed", std::make_shared<nn::Linear>(1, o.width, true, rng));
    else
      embed_ = register_module("embed", std::make_shared<nn::Embedding>(o.src_vocab, o.width, rng, 1.0f / token_scale));
    positions_ = register_module("pos", std::make_shared<PositionalEmbedding>(embed_, o, token_scale, rng));
    transformer_ = register_module("encoder", std::make_shared<TransformerEncoder>(o, rng));
    state_width = o.width;
  } else {
    if (o.input == "values")
      values_ = register_module("embed", std::make_shared<nn::Linear>(1, o.embed_width, true, rng));
    else
      embed_ = register_module("embed", std::make_shared<nn::Embedding>(o.src_vocab, o.embed_width, rng, 0.1f));
    rnn_ = register_module(
        "encoder", std::make_shared<nn::RnnEncoder>(o.rnn_cell, o.embed_width, o.rnn_hidden, o.bidirectional, rng));
    state_width = o.rnn_hidden * (o.bidirectional ? 2 : 1);
  }
  pool_ = register_module("pool", std::make_shared<nn::Pooling>(pooling_options(o, state_width), rng));
  dropout_ = register_module("dropout", std::make_shared<nn::Dropout>(o.dropout));
  head_ = register_module("head", std::make_shared<nn::Linear>(state_width, o.outputs, true, rng));
  if (o.highway > 0) highway_ = register_module("highway", std::make_shared<nn::Linear>(o.highway, o.outputs, true, rng));
}

int64_t EncoderModel::max_input_length() const {
  if (patches_) return o_.image_side * o_.image_side;
  if (!transformer_) return std::numeric_limits<int64_t>::max();
  return o_.max_positions - (o_.pool == "cls" ? 1 : 0);
}

std::vector<HeadLayer> EncoderModel::head_layers() const {
  return transformer_ ? transformer_->head_layers() : std::vector<HeadLayer>{};
}

Var EncoderModel::embed(const Ids& tokens) const {
  if (patches_) return patches_->forward(tokens);
  if (positions_) return positions_->forward(tokens);
  return embed_->forward(tokens);
}

Var EncoderModel::encode(const Var& embedded, const std::vector<int32_t>& lengths) {
  if (transformer_) return transformer_->forward(embedded, lengths, hooks_, grid_window_);
  return dropout_->forward(rnn_->forward(embedded, lengths).outputs);
}

Var EncoderModel::forward(const Ids& tokens, const std::vector<int32_t>& lengths) {
  ATTN_CHECK(!values_, config, "this encoder model reads values, not tokens");
  ATTN_CHECK(tokens.shape.size() == 2 && static_cast<int64_t>(lengths.size()) == tokens.shape[0], shape,
             "the encoder model needs tokens [B, T] and B lengths, got ", to_string(tokens.shape), " and ",
             lengths.size(), " lengths");
  const bool cls = o_.pool == "cls";
  // Images: every row is one whole image, seen as its patches (plus the <cls> vector the
  // patch embedding puts in front); text: the tokens, after a prepended <cls> token.
  std::vector<int32_t> lens = lengths;
  if (patches_) std::fill(lens.begin(), lens.end(), static_cast<int32_t>(patches_->grid() * patches_->grid()));
  if (cls)
    for (int32_t& n : lens) ++n;
  return pool_and_head(encode(embed(cls && !patches_ ? prepend(tokens, o_.cls_id) : tokens), lens), lens);
}

Var EncoderModel::forward(const Tensor& values, const std::vector<int32_t>& lengths) {
  ATTN_CHECK(values_, config, "this encoder model reads tokens, not values");
  ATTN_CHECK(values.rank() == 2 && static_cast<int64_t>(lengths.size()) == values.dim(0), shape,
             "the encoder model needs values [B, T] and B lengths, got ", to_string(values.shape()), " and ",
             lengths.size(), " lengths");
  Var x = values_->forward(Var(values.reshape({values.dim(0), values.dim(1), 1})));  // [B, T, C or E]
  Var out = pool_and_head(encode(positions_ ? positions_->add_to(x) : x, lengths), lengths);
  return highway_ ? add(out, highway_->forward(Var(last_columns(values, o_.highway)))) : out;
}

Var EncoderModel::pool_and_head(const Var& states, const std::vector<int32_t>& lengths) {
  Tensor weights;
  Var pooled = pool_->forward(states, lengths, hooks_.recorder ? &weights : nullptr);  // [B, C]
  if (weights.defined())
    hooks_.recorder->maps.push_back({"pool", "pooling", 0, weights.reshape({states.dim(0), 1, 1, states.dim(1)})});
  // The Transformer drops out the pooled vector; the RNN its states (in encode), as its encoder has no dropout.
  if (transformer_) pooled = dropout_->forward(pooled);
  return head_->forward(pooled);  // [B, outputs]
}

}  // namespace attn::models
