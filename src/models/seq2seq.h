// The interface every encoder–decoder model implements.
// Decoding algorithms (models/decoding.h) work on this interface only.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "models/model.h"
#include "tensor/ids.h"

namespace attn::models {

struct EncoderOutput {
  Var memory;                        // [B, Ts, Cm]
  std::vector<int32_t> src_lengths;  // [B]
  std::vector<Var> final_states;     // model-specific (RNN: per-direction final h, c)
};

class Seq2SeqModel : public Model {
 public:
  virtual EncoderOutput encode(const Ids& src, const std::vector<int32_t>& src_lengths) = 0;
  // tgt_in [B, Tt] (<bos> y…) -> logits [B, Tt, V]; position t sees targets ≤ t only.
  virtual Var decode(const EncoderOutput& encoded, const Ids& tgt_in) = 0;
  // The longest tgt_in decode() accepts (a Transformer's positions end).
  virtual int64_t max_target_length() const { return std::numeric_limits<int64_t>::max(); }
  Var forward(const Ids& src, const std::vector<int32_t>& src_lengths, const Ids& tgt_in) {
    return decode(encode(src, src_lengths), tgt_in);
  }
};

}  // namespace attn::models
