// chrF as sacreBLEU 2.x computes it by default: character n-grams of orders 1..6 over Unicode
// code points, whitespace removed, beta = 2, statistics summed over the corpus, and the
// precision and recall averaged over the orders both sides have (its "effective order").
// Score 0–100. Not here: chrF++ word n-grams (word_order > 0), lowercasing, several references.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attn::metrics {

struct ChrfOptions {
  int char_order = 6;
  double beta = 2.0;           // recall weighs beta times as much as precision
  bool whitespace = false;     // true keeps whitespace characters in the n-grams
  bool eps_smoothing = false;  // true: chrF++.py/NLTK-style mean of per-order F scores
};

// Per-order sums over the corpus; an order the reference is too short to have counts no
// hypothesis n-grams either (as in sacreBLEU).
struct ChrfOrderStats {
  int64_t hyp = 0;    // hypothesis n-grams
  int64_t ref = 0;    // reference n-grams
  int64_t match = 0;  // clipped common n-grams
};

struct ChrfScore {
  double score = 0.0;                 // 0–100
  std::vector<ChrfOrderStats> orders;  // index n-1 for order n
};

// `hypotheses[i]` is scored against `references[i]`.
ChrfScore corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references,
                      const ChrfOptions& options = {});

// The score from summed statistics.
double chrf_from_stats(const std::vector<ChrfOrderStats>& orders, const ChrfOptions& options = {});

}  // namespace attn::metrics
