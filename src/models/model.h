// The base every model family implements (the encoder–decoder of seq2seq.h, the
// encoder model of encoder_model.h): parameters through nn::Module, and the
// attention recorder `attn attend` uses to collect every layer's and head's weights.
// A task (tasks/) builds the family it trains and knows its concrete type.
#pragma once

#include <map>
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

// Per-head gates (Michel et al. 2019): layer name (as the recorder names it) -> gate [H].
// Head h's context [B, Tq, D] is multiplied by gate[h] before the output projection, so a
// gate of 0 masks the head and the gradient of the loss w.r.t. a gate of 1 is its importance.
// Layers without an entry run ungated.
struct HeadGates {
  std::map<std::string, Var> gates;
  Var find(const std::string& layer) const {
    auto it = gates.find(layer);
    return it == gates.end() ? Var() : it->second;
  }
};

// What a forward pass carries down to the attention layers: both optional.
struct AttentionHooks {
  AttentionRecorder* recorder = nullptr;
  const HeadGates* gates = nullptr;
  Var gate(const std::string& layer) const { return gates ? gates->find(layer) : Var(); }
};

// A multi-head attention layer a model can gate: its recorder name, kind and head count.
struct HeadLayer {
  std::string name;
  std::string kind;
  int64_t heads = 0;
};

class Model : public nn::Module {
 public:
  void set_recorder(AttentionRecorder* recorder) { hooks_.recorder = recorder; }
  void set_head_gates(const HeadGates* gates) { hooks_.gates = gates; }
  // The layers set_head_gates can gate, in forward order (none for RNN attention and pooling).
  virtual std::vector<HeadLayer> head_layers() const { return {}; }

 protected:
  AttentionHooks hooks_;
};

}  // namespace attn::models
