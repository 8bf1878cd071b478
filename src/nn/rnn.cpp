#include "nn/rnn.h"

#include "base/error.h"
#include "nn/init.h"
#include "ops/elementwise.h"
#include "ops/shape_ops.h"

namespace attn::nn {

RecurrentCell::RecurrentCell(const std::string& kind, int64_t input, int64_t hidden, Rng& rng)
    : lstm_(kind == "lstm"), hidden_(hidden) {
  ATTN_CHECK(kind == "lstm" || kind == "gru", config, "unknown rnn cell '", kind, "' (lstm|gru)");
  const int64_t gates = (lstm_ ? 4 : 3) * hidden;
  w_ih_ = register_parameter("weight_ih", uniform_fan_in({gates, input}, hidden, rng));
  w_hh_ = register_parameter("weight_hh", uniform_fan_in({gates, hidden}, hidden, rng));
  b_ih_ = register_parameter("bias_ih", uniform_fan_in({gates}, hidden, rng));
  if (!lstm_) b_hh_ = register_parameter("bias_hh", uniform_fan_in({gates}, hidden, rng));
}

RecurrentState RecurrentCell::step(const Var& x, const RecurrentState& prev) const {
  if (lstm_) return lstm_cell(x, prev, w_ih_, w_hh_, b_ih_);
  return {gru_cell(x, prev.h, w_ih_, w_hh_, b_ih_, b_hh_), Var()};
}

RecurrentState RecurrentCell::zero_state(int64_t batch) const {
  RecurrentState s{Var(Tensor::zeros({batch, hidden_})), Var()};
  if (lstm_) s.c = Var(Tensor::zeros({batch, hidden_}));
  return s;
}

RnnEncoder::RnnEncoder(const std::string& kind, int64_t input, int64_t hidden, bool bidirectional, Rng& rng) {
  forward_ = register_module("forward", std::make_shared<RecurrentCell>(kind, input, hidden, rng));
  if (bidirectional) backward_ = register_module("backward", std::make_shared<RecurrentCell>(kind, input, hidden, rng));
}

namespace {
// Keeps the previous state where the step is padding: s = prev + m ∘ (next - prev).
Var keep_where_padded(const Var& next, const Var& prev, const Var& step_mask) {
  return add(prev, mul(step_mask, sub(next, prev)));
}

// Runs one direction step by step; outputs[t] is the state after reading position t.
LstmSequence run_steps(const RecurrentCell& cell, const Var& x, const std::vector<int32_t>& lengths, bool reverse) {
  const int64_t B = x.dim(0), T = x.dim(1), In = x.dim(2);
  RecurrentState s = cell.zero_state(B);
  std::vector<Var> outputs(T);
  for (int64_t i = 0; i < T; ++i) {
    const int64_t t = reverse ? T - 1 - i : i;
    Var xt = reshape(slice(x, 1, t, t + 1), {B, In});
    RecurrentState next = cell.step(xt, s);
    bool all_real = true;
    Tensor m = Tensor::empty({B, 1});
    for (int64_t b = 0; b < B; ++b) {
      m[b] = lengths.empty() || t < lengths[b] ? 1.0f : 0.0f;
      all_real = all_real && m[b] == 1.0f;
    }
    if (!all_real) {
      Var mv(m);
      next.h = keep_where_padded(next.h, s.h, mv);
      if (next.c.defined()) next.c = keep_where_padded(next.c, s.c, mv);
    }
    s = next;
    outputs[t] = reshape(s.h, {B, 1, cell.hidden()});
  }
  return {concat(outputs, 1), s};
}
}  // namespace

LstmSequence RecurrentCell::sequence(const Var& x, const std::vector<int32_t>& lengths, bool reverse) const {
  if (lstm_) return lstm_sequence(x, lengths, w_ih_, w_hh_, b_ih_, reverse);
  return run_steps(*this, x, lengths, reverse);
}

RnnEncoderOutput RnnEncoder::forward(const Var& x, const std::vector<int32_t>& lengths) const {
  ATTN_CHECK(x.rank() == 3 && static_cast<int64_t>(lengths.size()) == x.dim(0), shape, "rnn encoder input ",
             to_string(x.shape()), " with ", lengths.size(), " lengths");
  RnnEncoderOutput out;
  LstmSequence fwd = forward_->sequence(x, lengths, false);
  out.finals.push_back(fwd.final);
  out.outputs = fwd.outputs;  // [B, T, Hd]
  if (backward_) {
    LstmSequence bwd = backward_->sequence(x, lengths, true);
    out.finals.push_back(bwd.final);
    out.outputs = concat({fwd.outputs, bwd.outputs}, 2);  // [B, T, 2Hd]
  }
  return out;
}

}  // namespace attn::nn
