#include "metrics/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "metrics/tokenizer_13a.h"
#include "metrics/unicode_text.h"

namespace attn::metrics {
namespace {

// n-grams keyed by their tokens joined with single spaces: tokens never contain whitespace,
// so the key is unambiguous.
using NgramCounts = std::unordered_map<std::string, int64_t>;

NgramCounts count_ngrams(const std::vector<std::string_view>& tokens, int max_order) {
  NgramCounts counts;
  for (int n = 1; n <= max_order; ++n) {
    for (size_t i = 0; i + n <= tokens.size(); ++i) {
      std::string key(tokens[i]);
      for (int k = 1; k < n; ++k) (key += ' ') += tokens[i + k];
      ++counts[key];
    }
  }
  return counts;
}

int order_of(const std::string& key) {
  return 1 + static_cast<int>(std::count(key.begin(), key.end(), ' '));
}

// sacreBLEU's rule: the reference length nearest the hypothesis length, the shorter on ties.
int64_t closest_reference_length(int64_t hyp_len, const std::vector<int64_t>& ref_lens) {
  int64_t best = ref_lens.front();
  for (int64_t len : ref_lens) {
    const int64_t diff = std::llabs(hyp_len - len), best_diff = std::llabs(hyp_len - best);
    if (diff < best_diff || (diff == best_diff && len < best)) best = len;
  }
  return best;
}

}  // namespace

BleuScore bleu_from_counts(std::vector<int64_t> counts, std::vector<int64_t> totals, int64_t sys_len,
                           int64_t ref_len) {
  ATTN_CHECK(!counts.empty() && counts.size() == totals.size(), internal,
             "bleu_from_counts: ", counts.size(), " counts vs ", totals.size(), " totals");
  const size_t max_order = counts.size();
  BleuScore out;
  out.sys_len = sys_len;
  out.ref_len = ref_len;
  out.bp = sys_len >= ref_len ? 1.0
           : sys_len > 0     ? std::exp(1.0 - static_cast<double>(ref_len) / sys_len)
                             : 0.0;
  out.precisions.assign(max_order, 0.0);
  out.counts = std::move(counts);
  out.totals = std::move(totals);
  // No match at any order: sacreBLEU returns 0 with all precisions 0 (its issue #141).
  if (std::all_of(out.counts.begin(), out.counts.end(), [](int64_t c) { return c == 0; })) return out;

  double smooth = 1.0;
  for (size_t n = 0; n < max_order; ++n) {
    // An order the hypotheses are too short to have keeps precision 0, so the score is 0.
    if (out.totals[n] == 0) break;
    if (out.counts[n] == 0) {
      smooth *= 2.0;
      out.precisions[n] = 100.0 / (smooth * static_cast<double>(out.totals[n]));
    } else {
      out.precisions[n] = 100.0 * static_cast<double>(out.counts[n]) / static_cast<double>(out.totals[n]);
    }
  }
  double log_sum = 0.0;
  for (double p : out.precisions) {
    if (p <= 0.0) return out;  // sacreBLEU takes log(0) as -1e10: exp of it is exactly 0
    log_sum += std::log(p);
  }
  out.score = out.bp * std::exp(log_sum / static_cast<double>(max_order));
  return out;
}

BleuScore corpus_bleu_multi(const std::vector<std::string>& hypotheses,
                            const std::vector<std::vector<std::string>>& reference_streams,
                            const BleuOptions& options) {
  ATTN_CHECK(options.max_order >= 1, usage, "BLEU max_order must be >= 1, got ", options.max_order);
  ATTN_CHECK(!reference_streams.empty(), data, "BLEU needs at least one reference stream");
  for (const auto& stream : reference_streams)
    ATTN_CHECK(stream.size() == hypotheses.size(), data, "BLEU: ", hypotheses.size(),
               " hypotheses but a reference stream has ", stream.size(), " segments");

  const int max_order = options.max_order;
  std::vector<int64_t> counts(max_order, 0), totals(max_order, 0);
  int64_t sys_len = 0, ref_len = 0;
  std::vector<int64_t> ref_lens(reference_streams.size());
  for (size_t i = 0; i < hypotheses.size(); ++i) {
    NgramCounts ref_counts;  // per n-gram, the largest count over the references
    for (size_t r = 0; r < reference_streams.size(); ++r) {
      const std::string ref_text = tokenize_13a(reference_streams[r][i]);
      const std::vector<std::string_view> ref_tokens = split_whitespace(ref_text);
      ref_lens[r] = static_cast<int64_t>(ref_tokens.size());
      for (auto& [ngram, count] : count_ngrams(ref_tokens, max_order)) {
        int64_t& kept = ref_counts[ngram];
        kept = std::max(kept, count);
      }
    }
    const std::string hyp_text = tokenize_13a(hypotheses[i]);
    const std::vector<std::string_view> hyp_tokens = split_whitespace(hyp_text);
    const int64_t hyp_len = static_cast<int64_t>(hyp_tokens.size());
    sys_len += hyp_len;
    ref_len += closest_reference_length(hyp_len, ref_lens);
    for (const auto& [ngram, count] : count_ngrams(hyp_tokens, max_order)) {
      const int n = order_of(ngram) - 1;
      totals[n] += count;
      const auto hit = ref_counts.find(ngram);
      if (hit != ref_counts.end()) counts[n] += std::min(count, hit->second);
    }
  }
  return bleu_from_counts(std::move(counts), std::move(totals), sys_len, ref_len);
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references,
                      const BleuOptions& options) {
  return corpus_bleu_multi(hypotheses, {references}, options);
}

}  // namespace attn::metrics
