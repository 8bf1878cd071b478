// The interface every encoder–decoder model implements, and the attention
// recorder `attn attend` uses to collect every layer's and head's weights.
// Decoding algorithms (models/decoding.h) work on this interface only.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nn/module.h"
#include "tensor/ids.h"

namespace attn::models {

// One captured attention map: weights [B, H, Tq, Tk].
struct AttentionMap {
  std::string name;  // parameter-style path, e.g. "decoder.layers.0.cross_attn"
  std::string kind;  // encoder_self | decoder_self | decoder_cross | rnn
  int layer = 0;
  Tensor weights;
};

// When a model has a recorder, each attention layer appends its weights on every forward.
struct AttentionRecorder {
  std::vector<AttentionMap> maps;
};

struct EncoderOutput {
  Var memory;                        // [B, Ts, Cm]
  std::vector<int32_t> src_lengths;  // [B]
  std::vector<Var> final_states;     // model-specific (RNN: per-direction final h, c)
};

class Seq2SeqModel : public nn::Module {
 public:
  virtual EncoderOutput encode(const Ids& src, const std::vector<int32_t>& src_lengths) = 0;
  // tgt_in [B, Tt] (<bos> y…) -> logits [B, Tt, V]; position t sees targets ≤ t only.
  virtual Var decode(const EncoderOutput& encoded, const Ids& tgt_in) = 0;
  // The longest tgt_in decode() accepts (a Transformer's positions end).
  virtual int64_t max_target_length() const { return std::numeric_limits<int64_t>::max(); }
  Var forward(const Ids& src, const std::vector<int32_t>& src_lengths, const Ids& tgt_in) {
    return decode(encode(src, src_lengths), tgt_in);
  }
  void set_recorder(AttentionRecorder* recorder) { recorder_ = recorder; }

 protected:
  AttentionRecorder* recorder_ = nullptr;
};

}  // namespace attn::models
