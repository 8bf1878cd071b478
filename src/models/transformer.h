// Transformer encoder–decoder (Vaswani et al. 2017) with pre- or post-layer-norm,
// sinusoidal or learned positions, optional shared/tied embeddings, and any
// attention variant of nn::MultiHeadAttention. Its TransformerEncoder is also the
// encoder of the encoder model (encoder_model.h).
#pragma once

#include <memory>
#include <vector>

#include "models/model_options.h"
#include "models/positional.h"
#include "models/seq2seq.h"
#include "nn/feed_forward.h"
#include "nn/multi_head_attention.h"

namespace attn::models {

// One residual sub-block: post-LN  x = LN(x + drop(f(x)));  pre-LN  x = x + drop(f(LN(x))).
class Residual : public nn::Module {
 public:
  Residual(int64_t width, float dropout, bool pre_norm);
  template <typename F>
  Var forward(const Var& x, F&& sublayer) const;

 private:
  std::shared_ptr<nn::LayerNorm> norm_;
  std::shared_ptr<nn::Dropout> dropout_;
  bool pre_norm_;
};

class EncoderLayer : public nn::Module {
 public:
  EncoderLayer(const ModelOptions& o, Rng& rng);
  Var forward(const Var& x, const AttentionMask& mask, const AttentionHooks& hooks, const std::string& name,
              int layer) const;

 private:
  std::shared_ptr<nn::MultiHeadAttention> self_attn_;
  std::shared_ptr<nn::FeedForward> ff_;
  std::shared_ptr<Residual> attn_block_, ff_block_;
};

class DecoderLayer : public nn::Module {
 public:
  DecoderLayer(const ModelOptions& o, Rng& rng);
  Var forward(const Var& x, const Var& memory, const AttentionMask& self_mask, const AttentionMask& cross_mask,
              const AttentionHooks& hooks, const std::string& name, int layer) const;

 private:
  std::shared_ptr<nn::MultiHeadAttention> self_attn_, cross_attn_;
  std::shared_ptr<nn::FeedForward> ff_;
  std::shared_ptr<Residual> self_block_, cross_block_, ff_block_;
};

// A stack of encoder layers over embedded tokens (+ final LN for pre-norm); o.causal
// masks the future (the forecaster's causal attention over its window).
class TransformerEncoder : public nn::Module {
 public:
  TransformerEncoder(const ModelOptions& o, Rng& rng);
  // grid, if active, is the 2-D window of image patches (base/grid_window.h) on top of the padding.
  Var forward(const Var& x, const std::vector<int32_t>& lengths, const AttentionHooks& hooks,
              const GridWindow& grid = {}) const;
  // Its layers' self-attention, named as forward records them.
  std::vector<HeadLayer> head_layers() const;

 private:
  bool causal_;
  int64_t heads_;
  std::vector<std::shared_ptr<EncoderLayer>> layers_;
  std::shared_ptr<nn::LayerNorm> final_norm_;
};

class Transformer : public Seq2SeqModel {
 public:
  Transformer(const ModelOptions& o);
  EncoderOutput encode(const Ids& src, const std::vector<int32_t>& src_lengths) override;
  Var decode(const EncoderOutput& encoded, const Ids& tgt_in) override;
  int64_t max_target_length() const override { return o_.max_positions; }
  std::vector<HeadLayer> head_layers() const override;

 private:
  ModelOptions o_;
  std::shared_ptr<nn::Embedding> src_table_, tgt_table_;
  std::shared_ptr<PositionalEmbedding> src_embed_, tgt_embed_;
  std::shared_ptr<TransformerEncoder> encoder_;
  std::vector<std::shared_ptr<DecoderLayer>> decoder_layers_;
  std::shared_ptr<nn::LayerNorm> decoder_norm_;
  std::shared_ptr<nn::Linear> output_;  // null when tied to the target embedding
};

}  // namespace attn::models
