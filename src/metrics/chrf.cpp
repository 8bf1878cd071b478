#include "metrics/chrf.h"

#include <algorithm>
#include <map>

#include "base/error.h"
#include "metrics/unicode_text.h"

namespace attn::metrics {
namespace {

using CharNgrams = std::map<std::u32string, int64_t>;

std::u32string prepare(const std::string& text, bool keep_whitespace) {
  std::u32string chars = decode_utf8(text);
  if (!keep_whitespace)
    chars.erase(std::remove_if(chars.begin(), chars.end(), is_python_space), chars.end());
  return chars;
}

CharNgrams char_ngrams(const std::u32string& chars, size_t n) {
  CharNgrams counts;
  for (size_t i = 0; i + n <= chars.size(); ++i) ++counts[chars.substr(i, n)];
  return counts;
}

}  // namespace

double chrf_from_stats(const std::vector<ChrfOrderStats>& orders, const ChrfOptions& options) {
  constexpr double eps = 1e-16;
  const double factor = options.beta * options.beta;
  double eps_score = 0.0, avg_prec = 0.0, avg_rec = 0.0;
  int effective_order = 0;
  for (const ChrfOrderStats& s : orders) {
    const double prec = s.hyp > 0 ? static_cast<double>(s.match) / s.hyp : eps;
    const double rec = s.ref > 0 ? static_cast<double>(s.match) / s.ref : eps;
    const double denom = factor * prec + rec;
    eps_score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
    if (s.hyp > 0 && s.ref > 0) {
      avg_prec += prec;
      avg_rec += rec;
      ++effective_order;
    }
  }
  if (options.eps_smoothing) return 100.0 * eps_score / static_cast<double>(orders.size());
  if (effective_order == 0) return 0.0;
  avg_prec /= effective_order;
  avg_rec /= effective_order;
  if (avg_prec + avg_rec == 0.0) return 0.0;
  return 100.0 * (1 + factor) * avg_prec * avg_rec / (factor * avg_prec + avg_rec);
}

ChrfScore corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references,
                      const ChrfOptions& options) {
  ATTN_CHECK(options.char_order >= 1, usage, "chrF char_order must be >= 1, got ", options.char_order);
  ATTN_CHECK(hypotheses.size() == references.size(), data, "chrF: ", hypotheses.size(), " hypotheses but ",
             references.size(), " references");
  ChrfScore out;
  out.orders.resize(options.char_order);
  for (size_t i = 0; i < hypotheses.size(); ++i) {
    const std::u32string hyp = prepare(hypotheses[i], options.whitespace);
    const std::u32string ref = prepare(references[i], options.whitespace);
    for (int n = 1; n <= options.char_order; ++n) {
      const CharNgrams hyp_ngrams = char_ngrams(hyp, n), ref_ngrams = char_ngrams(ref, n);
      ChrfOrderStats& s = out.orders[n - 1];
      int64_t hyp_count = 0, ref_count = 0, match = 0;
      for (const auto& [ngram, count] : hyp_ngrams) {
        hyp_count += count;
        const auto hit = ref_ngrams.find(ngram);
        if (hit != ref_ngrams.end()) match += std::min(count, hit->second);
      }
      for (const auto& [ngram, count] : ref_ngrams) ref_count += count;
      s.hyp += ref_ngrams.empty() ? 0 : hyp_count;
      s.ref += ref_count;
      s.match += match;
    }
  }
  out.score = chrf_from_stats(out.orders, options);
  return out;
}

}  // namespace attn::metrics
