#include "models/rnn_seq2seq.h"

#include "ops/activation.h"
#include "ops/rnn_attention_decoder.h"
#include "ops/shape_ops.h"

namespace attn::models {

RnnSeq2Seq::RnnSeq2Seq(const ModelOptions& o) : o_(o) {
  Rng rng(o.seed, 0x52);
  memory_width_ = o.rnn_hidden * (o.bidirectional ? 2 : 1);
  src_embed_ = register_module("src_embed", std::make_shared<nn::Embedding>(o.src_vocab, o.embed_width, rng, 0.1f));
  tgt_embed_ = register_module("tgt_embed", std::make_shared<nn::Embedding>(o.tgt_vocab, o.embed_width, rng, 0.1f));
  encoder_ = register_module("encoder", std::make_shared<nn::RnnEncoder>(o.rnn_cell, o.embed_width, o.rnn_hidden,
                                                                         o.bidirectional, rng));
  bridge_ = register_module("bridge", std::make_shared<nn::Linear>(memory_width_, memory_width_, true, rng));
  const bool with_attention = o.attention != "none";
  const int64_t cell_input = o.embed_width + (with_attention ? memory_width_ : 0);
  decoder_cell_ = register_module("decoder.cell",
                                  std::make_shared<nn::RecurrentCell>(o.rnn_cell, cell_input, memory_width_, rng));
  // The decoder's additive width defaults to rnn_hidden, not the memory width: saved checkpoints have that shape.
  const int64_t additive_width = o.attn_width > 0 ? o.attn_width : o.rnn_hidden;
  if (with_attention)
    attention_ = register_module("decoder.attention",
                                 std::make_shared<nn::RnnAttention>(o.attention, o.normalizer, memory_width_,
                                                                    memory_width_, additive_width, rng));
  dropout_ = register_module("dropout", std::make_shared<nn::Dropout>(o.dropout));
  output_ = register_module("output", std::make_shared<nn::Linear>(memory_width_ * (with_attention ? 2 : 1),
                                                                   o.tgt_vocab, true, rng));
}

EncoderOutput RnnSeq2Seq::encode(const Ids& src, const std::vector<int32_t>& src_lengths) {
  nn::RnnEncoderOutput enc = encoder_->forward(dropout_->forward(src_embed_->forward(src)), src_lengths);
  EncoderOutput out;
  out.memory = enc.outputs;  // [B, Ts, Cm]
  out.src_lengths = src_lengths;
  for (const nn::RecurrentState& s : enc.finals) out.final_states.push_back(s.h);
  return out;
}

Var RnnSeq2Seq::decode(const EncoderOutput& encoded, const Ids& tgt_in) {
  const int64_t B = tgt_in.shape[0], Tt = tgt_in.shape[1];
  // Initial decoder state from the final encoder states (both directions).
  Var summary = encoded.final_states.size() == 1 ? encoded.final_states[0] : concat(encoded.final_states, 1);
  nn::RecurrentState state = decoder_cell_->zero_state(B);
  state.h = tanh(bridge_->forward(summary));  // [B, Cm]
  Var embedded = dropout_->forward(tgt_embed_->forward(tgt_in));  // [B, Tt, E]
  nn::PreparedKeys keys;
  if (attends()) keys = attention_->prepare(encoded.memory);
  const AttentionScoreParams* additive =
      attends() && decoder_cell_->is_lstm() ? attention_->additive_softmax_params() : nullptr;
  if (additive) {  // the whole loop below as one op
    AdditiveLstmDecoderInputs in{embedded,
                                 {state.h, state.c},
                                 encoded.memory,
                                 keys.keys,
                                 encoded.src_lengths,
                                 decoder_cell_->weight_ih(),
                                 decoder_cell_->weight_hh(),
                                 decoder_cell_->bias_ih(),
                                 additive->query_weight,
                                 additive->v};
    Tensor weights;
    if (hooks_.recorder) in.capture = &weights;
    Var out = additive_lstm_decoder(in);  // [B, Tt, 2Cm]
    if (hooks_.recorder)
      hooks_.recorder->maps.push_back({"decoder.attention", "rnn", 0, weights.reshape({B, 1, Tt, encoded.memory.dim(1)})});
    return output_->forward(dropout_->forward(out));  // [B, Tt, V]
  }
  std::vector<Var> outputs(Tt);
  Tensor weights_all = hooks_.recorder && attends() ? Tensor::zeros({B, 1, Tt, encoded.memory.dim(1)}) : Tensor();
  for (int64_t t = 0; t < Tt; ++t) {
    Var y = reshape(slice(embedded, 1, t, t + 1), {B, o_.embed_width});
    if (!attends()) {
      state = decoder_cell_->step(y, state);
      outputs[t] = reshape(state.h, {B, 1, memory_width_});
      continue;
    }
    Tensor weights;
    Var context = attention_->forward(state.h, keys, encoded.src_lengths, hooks_.recorder ? &weights : nullptr);
    if (weights.defined()) {
      const int64_t Tk = weights.dim(-1);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < Tk; ++j) weights_all[(b * Tt + t) * Tk + j] = weights[b * Tk + j];
    }
    state = decoder_cell_->step(concat({y, context}, 1), state);
    outputs[t] = reshape(concat({state.h, context}, 1), {B, 1, 2 * memory_width_});
  }
  if (weights_all.defined()) hooks_.recorder->maps.push_back({"decoder.attention", "rnn", 0, weights_all});
  return output_->forward(dropout_->forward(concat(outputs, 1)));  // [B, Tt, V]
}

}  // namespace attn::models
