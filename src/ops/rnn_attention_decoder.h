// The whole decoder of an RNN encoder–decoder with Bahdanau attention as one op:
// for t = 0 … T-1, with the previous state (h, c),
//   context_t = additive attention from q = W_q h over the encoder memory (softmax),
//   (h, c) = lstm_cell([y_t; context_t], (h, c)),   out_t = [h; context_t]
// It equals that loop of ops (attention.h with the additive score, rnn_cells.h)
// and is faster: the products with y_t for all steps are one matrix product, as
// are the weight gradients, the backward has one closure for the whole loop, and the
// loop runs per batch chunk, one thread each (ops/rnn_row_chunks.h).
// Other scores, normalizers or cells use the loop itself (models/rnn_seq2seq.cpp).
#pragma once

#include <vector>

#include "ops/rnn_cells.h"

namespace attn {

struct AdditiveLstmDecoderInputs {
  Var inputs;                        // [B, T, E]: y_t, the embedded previous tokens
  LstmState initial;                 // h, c [B, Hd]
  Var memory;                        // [B, Tk, Dk]: the encoder outputs (attention values)
  Var keys;                          // [B, Tk, A]: W_k · memory, projected once per sequence
  std::vector<int32_t> key_lengths;  // [B]; empty = no padding
  Var w_ih;                          // [4Hd, E + Dk]
  Var w_hh;                          // [4Hd, Hd]
  Var bias;                          // [4Hd]
  Var query_weight;                  // W_q [A, Hd]
  Var v;                             // [A]
  Tensor* capture = nullptr;         // if set, receives the attention weights [B, T, Tk]
};

// -> [B, T, Hd + Dk]: [h_t; context_t] for every step.
Var additive_lstm_decoder(const AdditiveLstmDecoderInputs& in);

}  // namespace attn
