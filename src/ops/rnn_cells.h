// LSTM and GRU cells as differentiable ops (PyTorch's gate order and equations),
// one step at a time, and the LSTM over a whole sequence as one op.
//   LSTM: gates = x·W_ihᵀ + h·W_hhᵀ + b, split i, f, g, o;
//         c' = σ(f)∘c + σ(i)∘tanh(g);  h' = σ(o)∘tanh(c')
//   GRU:  r, z from x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh;
//         n = tanh(x W_in + b_in + r∘(h W_hn + b_hn));  h' = (1 - z)∘n + z∘h
#pragma once

#include <vector>

#include "autodiff/var.h"

namespace attn {

struct LstmState {
  Var h;  // [B, Hd]
  Var c;  // [B, Hd]
};

// x [B, In], w_ih [4Hd, In], w_hh [4Hd, Hd], bias [4Hd]
LstmState lstm_cell(const Var& x, const LstmState& prev, const Var& w_ih, const Var& w_hh, const Var& bias);

struct LstmSequence {
  Var outputs;       // [B, T, Hd]: h after reading each position
  LstmState final;  // the state after the last step
};
// lstm_cell over a whole sequence from a zero state, as one op: the input products of all
// steps are one matrix product, and so are the weight gradients in the backward; the
// recurrence runs per batch chunk, one thread each (ops/rnn_row_chunks.h).
// x [B, T, In]; lengths [B] (empty = all T): a step at t >= lengths[b] keeps row b's state,
// so a reverse pass starts at each sequence's real end. reverse reads t = T-1 … 0.
LstmSequence lstm_sequence(const Var& x, const std::vector<int32_t>& lengths, const Var& w_ih, const Var& w_hh,
                           const Var& bias, bool reverse);
// x [B, In], h [B, Hd], w_ih [3Hd, In], w_hh [3Hd, Hd], b_ih [3Hd], b_hh [3Hd] -> h' [B, Hd]
Var gru_cell(const Var& x, const Var& h, const Var& w_ih, const Var& w_hh, const Var& b_ih, const Var& b_hh);

}  // namespace attn
