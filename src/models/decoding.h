// Autoregressive decoding over any Seq2SeqModel: greedy (batched) and beam
// search (one source at a time, GNMT length penalty). Both run without a tape.
// Outputs exclude <bos> and <eos>.
#pragma once

#include <cstdint>
#include <vector>

#include "models/seq2seq.h"

namespace attn::models {

struct DecodeOptions {
  int32_t bos = 2, eos = 3;
  int64_t max_len = 0;          // longest output; 0 = twice the longest source + 10
  int64_t beam = 1;             // 1 = greedy
  float length_penalty = 0.6f;  // α in ((5 + len) / 6)^α; 0 = raw log-probability
};

using Hypothesis = std::vector<int32_t>;

std::vector<Hypothesis> greedy_decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                                      const DecodeOptions& options);
std::vector<Hypothesis> beam_decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                                    const DecodeOptions& options);
// greedy_decode or beam_decode according to options.beam, with max_len resolved
// (0 = automatic) and kept within the model's max_target_length().
std::vector<Hypothesis> decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                               const DecodeOptions& options);

}  // namespace attn::models
