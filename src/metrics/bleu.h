// Corpus BLEU as sacreBLEU 2.x computes it by default: 13a tokenization, n-grams up to 4,
// clipped counts summed over the corpus, brevity penalty against the closest reference
// length, and the 'exp' smoothing (mteval-v13a / NIST): the k-th order with no match counts
// as precision 1 / (2^k * total). Scores are on sacreBLEU's 0–100 scale.
// Not here: sentence BLEU with effective order, lowercasing, other tokenizers or smoothings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attn::metrics {

struct BleuOptions {
  int max_order = 4;  // largest n-gram order
};

struct BleuScore {
  double score = 0.0;              // 0–100
  std::vector<double> precisions;  // per order 1..max_order, in percent, after smoothing
  std::vector<int64_t> counts;     // clipped matching n-grams per order
  std::vector<int64_t> totals;     // hypothesis n-grams per order
  double bp = 0.0;                 // brevity penalty
  int64_t sys_len = 0;             // hypothesis tokens in the corpus
  int64_t ref_len = 0;             // reference tokens (closest length per segment)
};

// `hypotheses[i]` is scored against `references[i]` (raw, untokenized text).
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references, const BleuOptions& options = {});

// Several references per segment, laid out like sacreBLEU's: reference_streams[r][i] is the
// r-th reference of segment i. Counts clip at the largest count in any reference; ties in
// "closest reference length" go to the shorter one.
BleuScore corpus_bleu_multi(const std::vector<std::string>& hypotheses,
                            const std::vector<std::vector<std::string>>& reference_streams,
                            const BleuOptions& options = {});

// The score from sufficient statistics (sacreBLEU's compute_bleu with smooth_method='exp').
// counts and totals have one entry per order.
BleuScore bleu_from_counts(std::vector<int64_t> counts, std::vector<int64_t> totals, int64_t sys_len,
                           int64_t ref_len);

}  // namespace attn::metrics
