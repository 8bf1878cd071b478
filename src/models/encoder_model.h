// The encoder model family: inputs -> embedding (+ positions) -> encoder -> pooling
// -> head, for sequence classification and forecasting. o.arch picks the encoder:
//   transformer  Embedding(src_vocab, width) + PositionalEmbedding -> TransformerEncoder
//                -> Pooling -> Dropout -> Linear head
//   o.input = patches (images): PatchEmbedding (patch_embedding.h) replaces the token
//                embedding and positions of the transformer; each tokens row is the pixels
//                of one image; pool=cls puts a learned vector in front instead of a token.
//                o.window >= 0 is 2-D there: a patch attends to the patches within that
//                Chebyshev distance on the patch grid, <cls> to and from all (base/grid_window.h).
//   o.input = values (forecasts): Linear(1, width) replaces the token embedding (no √C
//                scale); positions as for tokens; o.causal masks the future.
//   rnn          Embedding(src_vocab, embed_width) -> (Bi)RnnEncoder -> Dropout
//                -> Pooling over [B, T, hidden · directions] -> Linear head
//                (values: Linear(1, embed_width) instead of the Embedding)
// Pooling is o.pool (nn/pooling.h); attention pooling uses o.attention, o.normalizer
// and o.attn_width (0 = the state width). pool=cls prepends o.cls_id to every row.
// o.highway > 0 (values): Linear(highway, outputs) of the window's last values is added to the
// head's outputs, the autoregressive component of LSTNet (Lai et al. 2018).
// Parameters: embed, pos (transformer), encoder, pool, head, highway. The head has o.outputs outputs.
// Losses, labels and batching belong to the task, not here.
#pragma once

#include <memory>
#include <vector>

#include "models/model.h"
#include "models/model_options.h"
#include "models/patch_embedding.h"
#include "models/positional.h"
#include "models/transformer.h"
#include "nn/pooling.h"
#include "nn/rnn.h"
#include "tensor/ids.h"

namespace attn::models {

class EncoderModel : public Model {
 public:
  // Throws a config error for an unknown arch, input or pooling, outputs < 1, an attention
  // score pooling cannot use, attention "none" outside the RNN mean|max|cls baseline,
  // pool cls over a unidirectional RNN (its position 0 has read only <cls>) or over values.
  explicit EncoderModel(const ModelOptions& o);

  // tokens [B, T] with lengths [B] (each in [1, T]) -> logits [B, outputs]. Images: tokens
  // [B, side²] of pixel values, lengths ignored (every image has all its patches).
  // With a recorder: the Transformer's "encoder_self" maps, then the pooling weights as
  // {"pool", "pooling", 0, [B, 1, 1, T']} (T' counts the <cls> slot; none for pool=cls).
  Var forward(const Ids& tokens, const std::vector<int32_t>& lengths);
  // o.input = values: values [B, T] with lengths [B] -> [B, outputs]; recorded as above.
  Var forward(const Tensor& values, const std::vector<int32_t>& lengths);

  // The longest tokens row forward() accepts: a Transformer's positions, minus the
  // <cls> slot under pool=cls; unlimited for the RNN.
  int64_t max_input_length() const;
  // The Transformer encoder's self-attention layers (none for the RNN encoder).
  std::vector<HeadLayer> head_layers() const override;

 private:
  Var embed(const Ids& tokens) const;                                      // -> [B, T, C or E]
  Var encode(const Var& embedded, const std::vector<int32_t>& lengths);    // -> states [B, T, C]
  Var pool_and_head(const Var& states, const std::vector<int32_t>& lengths);  // -> [B, outputs]

  ModelOptions o_;
  std::shared_ptr<nn::Embedding> embed_;
  std::shared_ptr<PositionalEmbedding> positions_;   // transformer over tokens or values
  std::shared_ptr<PatchEmbedding> patches_;          // images only
  std::shared_ptr<nn::Linear> values_;               // forecasts only
  GridWindow grid_window_;                           // images: active with a window
  std::shared_ptr<TransformerEncoder> transformer_;  // transformer only
  std::shared_ptr<nn::RnnEncoder> rnn_;              // rnn only
  std::shared_ptr<nn::Pooling> pool_;
  std::shared_ptr<nn::Dropout> dropout_;
  std::shared_ptr<nn::Linear> head_;
  std::shared_ptr<nn::Linear> highway_;  // values with o.highway > 0
};

}  // namespace attn::models
