// The base every model family implements (the encoder–decoder of seq2seq.h, the
// encoder model of encoder_model.h): parameters through nn::Module, and the
// attention recorder `attn attend` uses to collect every layer's and head's weights.
// A task (tasks/) builds the family it trains and knows its concrete type.
#pragma once

#include <string>
#include <vector>

#include "nn/module.h"

namespace attn::models {

// One captured attention map: weights [B, H, Tq, Tk].
struct AttentionMap {
  std::string name;  // parameter-style path, e.g. "decoder.layers.0.cross_attn"
  std::string kind;  // encoder_self | decoder_self | decoder_cross | rnn | pooling
  int layer = 0;
  Tensor weights;
};

// When a model has a recorder, each attention layer appends its weights on every forward.
struct AttentionRecorder {
  std::vector<AttentionMap> maps;
};

class Model : public nn::Module {
 public:
  void set_recorder(AttentionRecorder* recorder) { recorder_ = recorder; }

 protected:
  AttentionRecorder* recorder_ = nullptr;
};

}  // namespace attn::models
