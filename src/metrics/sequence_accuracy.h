// Scores for the synthetic sequence tasks (copy, reverse, sort, ...), where an output is either
// right or wrong token by token:
//   exact match    = share of sequences equal to their reference (same length, same tokens);
//   token accuracy = correct positions / reference tokens, comparing position i of the
//                    hypothesis with position i of the reference. A hypothesis shorter than its
//                    reference loses the missing positions; tokens beyond the reference length
//                    do not count in token accuracy (they only spoil the exact match).
// Tokens are any ==-comparable values (ids or strings). Not here: alignment-based accuracy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "base/error.h"

namespace attn::metrics {

struct SequenceAccuracy {
  double exact_match = 0.0;     // ratio in [0, 1]
  double token_accuracy = 0.0;  // ratio in [0, 1]
  int64_t exact_sequences = 0;
  int64_t sequences = 0;
  int64_t correct_tokens = 0;
  int64_t reference_tokens = 0;
};

// An empty corpus (or one whose references are all empty) scores 0 on the undefined ratio.
template <typename Tokens>
SequenceAccuracy sequence_accuracy(const std::vector<Tokens>& hypotheses, const std::vector<Tokens>& references) {
  ATTN_CHECK(hypotheses.size() == references.size(), data, "sequence accuracy: ", hypotheses.size(),
             " hypotheses but ", references.size(), " references");
  SequenceAccuracy out;
  out.sequences = static_cast<int64_t>(references.size());
  for (size_t i = 0; i < references.size(); ++i) {
    const Tokens& hyp = hypotheses[i];
    const Tokens& ref = references[i];
    const size_t overlap = std::min(hyp.size(), ref.size());
    int64_t correct = 0;
    for (size_t t = 0; t < overlap; ++t) correct += hyp[t] == ref[t] ? 1 : 0;
    out.correct_tokens += correct;
    out.reference_tokens += static_cast<int64_t>(ref.size());
    if (hyp.size() == ref.size() && correct == static_cast<int64_t>(ref.size())) ++out.exact_sequences;
  }
  if (out.sequences > 0)
    out.exact_match = static_cast<double>(out.exact_sequences) / static_cast<double>(out.sequences);
  if (out.reference_tokens > 0)
    out.token_accuracy = static_cast<double>(out.correct_tokens) / static_cast<double>(out.reference_tokens);
  return out;
}

}  // namespace attn::metrics
