#include "models/transformer.h"

#include <cmath>

#include "ops/elementwise.h"
#include "ops/linalg.h"

namespace attn::models {

namespace {
nn::AttentionSpec attention_spec(const ModelOptions& o) {
  nn::AttentionSpec spec;
  spec.score = o.attention;
  spec.normalizer = o.normalizer;
  spec.window = o.window;
  spec.additive_width = o.attn_width;
  return spec;
}

void record(AttentionRecorder* recorder, const std::string& name, const char* kind, int layer, Tensor weights) {
  if (recorder) recorder->maps.push_back({name, kind, layer, std::move(weights)});
}
}  // namespace

Residual::Residual(int64_t width, float dropout, bool pre_norm) : pre_norm_(pre_norm) {
  norm_ = register_module("norm", std::make_shared<nn::LayerNorm>(width));
  dropout_ = register_module("dropout", std::make_shared<nn::Dropout>(dropout));
}

template <typename F>
Var Residual::forward(const Var& x, F&& sublayer) const {
  if (pre_norm_) return add(x, dropout_->forward(sublayer(norm_->forward(x))));
  return norm_->forward(add(x, dropout_->forward(sublayer(x))));
}

EncoderLayer::EncoderLayer(const ModelOptions& o, Rng& rng) {
  self_attn_ = register_module("self_attn", std::make_shared<nn::MultiHeadAttention>(
                                                o.width, o.heads, attention_spec(o), true, rng));
  attn_block_ = register_module("self_attn_block", std::make_shared<Residual>(o.width, o.dropout, o.pre_norm));
  ff_ = register_module("ff", std::make_shared<nn::FeedForward>(o.width, o.ff_width, o.dropout, rng));
  ff_block_ = register_module("ff_block", std::make_shared<Residual>(o.width, o.dropout, o.pre_norm));
}

Var EncoderLayer::forward(const Var& x, const AttentionMask& mask, const AttentionHooks& hooks,
                          const std::string& name, int layer) const {
  Tensor weights;
  const std::string self_name = name + ".self_attn";
  Var h = attn_block_->forward(x, [&](const Var& y) {
    return self_attn_->forward(y, y, mask, hooks.recorder ? &weights : nullptr, hooks.gate(self_name));
  });
  record(hooks.recorder, self_name, "encoder_self", layer, weights);
  return ff_block_->forward(h, [&](const Var& y) { return ff_->forward(y); });
}

DecoderLayer::DecoderLayer(const ModelOptions& o, Rng& rng) {
  self_attn_ = register_module("self_attn", std::make_shared<nn::MultiHeadAttention>(
                                                o.width, o.heads, attention_spec(o), true, rng));
  self_block_ = register_module("self_attn_block", std::make_shared<Residual>(o.width, o.dropout, o.pre_norm));
  cross_attn_ = register_module("cross_attn", std::make_shared<nn::MultiHeadAttention>(
                                                  o.width, o.heads, attention_spec(o), true, rng));
  cross_block_ = register_module("cross_attn_block", std::make_shared<Residual>(o.width, o.dropout, o.pre_norm));
  ff_ = register_module("ff", std::make_shared<nn::FeedForward>(o.width, o.ff_width, o.dropout, rng));
  ff_block_ = register_module("ff_block", std::make_shared<Residual>(o.width, o.dropout, o.pre_norm));
}

Var DecoderLayer::forward(const Var& x, const Var& memory, const AttentionMask& self_mask,
                          const AttentionMask& cross_mask, const AttentionHooks& hooks, const std::string& name,
                          int layer) const {
  Tensor self_w, cross_w;
  const std::string self_name = name + ".self_attn", cross_name = name + ".cross_attn";
  Var h = self_block_->forward(x, [&](const Var& y) {
    return self_attn_->forward(y, y, self_mask, hooks.recorder ? &self_w : nullptr, hooks.gate(self_name));
  });
  record(hooks.recorder, self_name, "decoder_self", layer, self_w);
  h = cross_block_->forward(h, [&](const Var& y) {
    return cross_attn_->forward(y, memory, cross_mask, hooks.recorder ? &cross_w : nullptr, hooks.gate(cross_name));
  });
  record(hooks.recorder, cross_name, "decoder_cross", layer, cross_w);
  return ff_block_->forward(h, [&](const Var& y) { return ff_->forward(y); });
}

TransformerEncoder::TransformerEncoder(const ModelOptions& o, Rng& rng) : causal_(o.causal), heads_(o.heads) {
  for (int64_t i = 0; i < o.enc_layers; ++i)
    layers_.push_back(register_module("layers." + std::to_string(i), std::make_shared<EncoderLayer>(o, rng)));
  if (o.pre_norm) final_norm_ = register_module("norm", std::make_shared<nn::LayerNorm>(o.width));
}

Var TransformerEncoder::forward(const Var& x, const std::vector<int32_t>& lengths, const AttentionHooks& hooks,
                                const GridWindow& grid) const {
  AttentionMask mask;
  mask.key_lengths = lengths;
  mask.causal = causal_;
  mask.grid = grid;
  Var h = x;
  for (size_t i = 0; i < layers_.size(); ++i)
    h = layers_[i]->forward(h, mask, hooks, "encoder.layers." + std::to_string(i), static_cast<int>(i));
  return final_norm_ ? final_norm_->forward(h) : h;
}

std::vector<HeadLayer> TransformerEncoder::head_layers() const {
  std::vector<HeadLayer> out;
  for (size_t i = 0; i < layers_.size(); ++i)
    out.push_back({"encoder.layers." + std::to_string(i) + ".self_attn", "encoder_self", heads_});
  return out;
}

Transformer::Transformer(const ModelOptions& o) : o_(o) {
  Rng rng(o.seed, 0x7F);
  // Token vectors of unit variance after the optional √C scale.
  const float token_scale = o.scale_embeddings ? std::sqrt(static_cast<float>(o.width)) : 1.0f;
  const float stddev = 1.0f / token_scale;
  src_table_ = register_module("src_embed", std::make_shared<nn::Embedding>(o.src_vocab, o.width, rng, stddev));
  tgt_table_ = o.share_embeddings
                   ? src_table_
                   : register_module("tgt_embed", std::make_shared<nn::Embedding>(o.tgt_vocab, o.width, rng, stddev));
  src_embed_ = register_module("src_pos", std::make_shared<PositionalEmbedding>(src_table_, o, token_scale, rng));
  tgt_embed_ = register_module("tgt_pos", std::make_shared<PositionalEmbedding>(tgt_table_, o, token_scale, rng));
  encoder_ = register_module("encoder", std::make_shared<TransformerEncoder>(o, rng));
  for (int64_t i = 0; i < o.dec_layers; ++i)
    decoder_layers_.push_back(
        register_module("decoder.layers." + std::to_string(i), std::make_shared<DecoderLayer>(o, rng)));
  if (o.pre_norm) decoder_norm_ = register_module("decoder.norm", std::make_shared<nn::LayerNorm>(o.width));
  if (!o.tie_output) output_ = register_module("output", std::make_shared<nn::Linear>(o.width, o.tgt_vocab, true, rng));
}

EncoderOutput Transformer::encode(const Ids& src, const std::vector<int32_t>& src_lengths) {
  EncoderOutput out;
  out.memory = encoder_->forward(src_embed_->forward(src), src_lengths, hooks_);  // [B, Ts, C]
  out.src_lengths = src_lengths;
  return out;
}

Var Transformer::decode(const EncoderOutput& encoded, const Ids& tgt_in) {
  AttentionMask self_mask;
  self_mask.causal = true;
  AttentionMask cross_mask;
  cross_mask.key_lengths = encoded.src_lengths;
  Var h = tgt_embed_->forward(tgt_in);  // [B, Tt, C]
  for (size_t i = 0; i < decoder_layers_.size(); ++i)
    h = decoder_layers_[i]->forward(h, encoded.memory, self_mask, cross_mask, hooks_,
                                    "decoder.layers." + std::to_string(i), static_cast<int>(i));
  if (decoder_norm_) h = decoder_norm_->forward(h);
  if (output_) return output_->forward(h);    // [B, Tt, V]
  return matmul(h, tgt_table_->weight(), false, true);  // tied: h · Eᵀ
}

std::vector<HeadLayer> Transformer::head_layers() const {
  std::vector<HeadLayer> out = encoder_->head_layers();
  for (int64_t i = 0; i < o_.dec_layers; ++i) {
    const std::string name = "decoder.layers." + std::to_string(i);
    out.push_back({name + ".self_attn", "decoder_self", o_.heads});
    out.push_back({name + ".cross_attn", "decoder_cross", o_.heads});
  }
  return out;
}

}  // namespace attn::models
