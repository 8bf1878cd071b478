// Recurrent layers over the LSTM/GRU cell ops: one cell module (owning its
// weights) and a (bi)directional encoder that respects per-sequence lengths:
// padded steps leave the state unchanged, so the backward direction starts at
// each sequence's real end and final states are those of the last real token.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/module.h"
#include "ops/rnn_cells.h"
#include "tensor/rng.h"

namespace attn::nn {

// The state of either cell kind; GRU leaves c undefined.
using RecurrentState = LstmState;

class RecurrentCell : public Module {
 public:
  RecurrentCell(const std::string& kind, int64_t input, int64_t hidden, Rng& rng);
  RecurrentState step(const Var& x, const RecurrentState& prev) const;  // x [B, In] -> h [B, Hd]
  RecurrentState zero_state(int64_t batch) const;
  // The cell over a whole sequence x [B, T, In] from a zero state (ops/rnn_cells.h: lstm_sequence
  // for the LSTM, a loop of steps for the GRU); outputs [B, T, Hd].
  LstmSequence sequence(const Var& x, const std::vector<int32_t>& lengths, bool reverse) const;
  int64_t hidden() const { return hidden_; }
  bool is_lstm() const { return lstm_; }
  // The weights, for ops that run the cell inside a larger loop (ops/rnn_attention_decoder.h).
  const Var& weight_ih() const { return w_ih_; }
  const Var& weight_hh() const { return w_hh_; }
  const Var& bias_ih() const { return b_ih_; }

 private:
  bool lstm_;
  int64_t hidden_;
  Var w_ih_, w_hh_, b_ih_, b_hh_;  // LSTM uses b_ih_ as its single bias
};

struct RnnEncoderOutput {
  Var outputs;                        // [B, T, Hd * directions]
  std::vector<RecurrentState> finals;  // one per direction
};

class RnnEncoder : public Module {
 public:
  RnnEncoder(const std::string& kind, int64_t input, int64_t hidden, bool bidirectional, Rng& rng);
  RnnEncoderOutput forward(const Var& x, const std::vector<int32_t>& lengths) const;  // x [B, T, In]

 private:
  std::shared_ptr<RecurrentCell> forward_, backward_;
};

}  // namespace attn::nn
