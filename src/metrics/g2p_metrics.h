// Grapheme-to-phoneme scores over a corpus of words, each a sequence of phones:
//   PER = sum of phone edit distances / sum of reference phone counts (a ratio; it exceeds 1
//         when hypotheses insert more phones than the references hold),
//   WER = share of words whose phone sequence is not exactly the reference.
// Phones are any ==-comparable tokens (strings or ids). Not here: alignments, stress folding.
#pragma once

#include <cstdint>
#include <vector>

#include "base/error.h"
#include "metrics/edit_distance.h"

namespace attn::metrics {

struct G2pScore {
  double per = 0.0;  // phone error rate, ratio
  double wer = 0.0;  // word error rate, ratio in [0, 1]
  int64_t phone_errors = 0;
  int64_t reference_phones = 0;
  int64_t word_errors = 0;
  int64_t words = 0;
};

// An empty corpus scores 0. References with no phones at all are a data error unless the
// hypotheses are empty too (PER would divide by zero).
template <typename Phones>
G2pScore g2p_score(const std::vector<Phones>& hypotheses, const std::vector<Phones>& references) {
  ATTN_CHECK(hypotheses.size() == references.size(), data, "G2P scores: ", hypotheses.size(),
             " hypotheses but ", references.size(), " references");
  G2pScore out;
  out.words = static_cast<int64_t>(references.size());
  for (size_t i = 0; i < references.size(); ++i) {
    const int64_t distance = edit_distance(hypotheses[i], references[i]);
    out.phone_errors += distance;
    out.reference_phones += static_cast<int64_t>(references[i].size());
    out.word_errors += distance > 0 ? 1 : 0;
  }
  ATTN_CHECK(out.reference_phones > 0 || out.phone_errors == 0, data,
             "G2P scores: references hold no phones but hypotheses have ", out.phone_errors, " errors");
  if (out.reference_phones > 0)
    out.per = static_cast<double>(out.phone_errors) / static_cast<double>(out.reference_phones);
  if (out.words > 0) out.wer = static_cast<double>(out.word_errors) / static_cast<double>(out.words);
  return out;
}

}  // namespace attn::metrics
