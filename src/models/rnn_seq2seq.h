// RNN encoder–decoder (Bahdanau et al. 2015 / Luong et al. 2015): a (bi)LSTM or
// GRU encoder over embedded source tokens, and a decoder cell that reads
// [previous token embedding; context] where the context is attention from the
// previous decoder state over the encoder memory (additive, dot, general, …).
// The output layer reads [state; context]. With attention "none" the decoder
// sees only the final encoder state: no context at all (the baseline).
#pragma once

#include <memory>

#include "models/model_options.h"
#include "models/seq2seq.h"
#include "nn/layers.h"
#include "nn/rnn.h"
#include "nn/rnn_attention.h"

namespace attn::models {

class RnnSeq2Seq : public Seq2SeqModel {
 public:
  explicit RnnSeq2Seq(const ModelOptions& o);
  EncoderOutput encode(const Ids& src, const std::vector<int32_t>& src_lengths) override;
  Var decode(const EncoderOutput& encoded, const Ids& tgt_in) override;

 private:
  bool attends() const { return attention_ != nullptr; }

  ModelOptions o_;
  int64_t memory_width_;
  std::shared_ptr<nn::Embedding> src_embed_, tgt_embed_;
  std::shared_ptr<nn::RnnEncoder> encoder_;
  std::shared_ptr<nn::Linear> bridge_;  // final encoder state -> initial decoder state
  std::shared_ptr<nn::RecurrentCell> decoder_cell_;
  std::shared_ptr<nn::RnnAttention> attention_;  // null for the no-attention baseline
  std::shared_ptr<nn::Dropout> dropout_;
  std::shared_ptr<nn::Linear> output_;
};

}  // namespace attn::models
