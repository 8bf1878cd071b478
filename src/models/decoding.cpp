#include "models/decoding.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn::models {

namespace {
// [B, t] ids from per-row prefixes that all have length t.
Ids prefix_ids(const std::vector<Hypothesis>& prefixes) {
  const int64_t B = static_cast<int64_t>(prefixes.size()), T = static_cast<int64_t>(prefixes[0].size());
  Ids ids{{B, T}, {}};
  for (const Hypothesis& p : prefixes) ids.values.insert(ids.values.end(), p.begin(), p.end());
  return ids;
}

// Logits of the last position of row b: a pointer into [B, T, V].
const float* last_logits(const Tensor& logits, int64_t b) {
  const int64_t T = logits.dim(1), V = logits.dim(2);
  return logits.data() + (b * T + T - 1) * V;
}

// Row `row` of every batched tensor of `enc`, repeated `k` times.
EncoderOutput repeat_row(const EncoderOutput& enc, int64_t row, int64_t k) {
  auto repeat = [&](const Var& v) {
    const int64_t per_row = v.numel() / v.dim(0);
    Shape shape = v.shape();
    shape[0] = k;
    Tensor t = Tensor::empty(shape);
    for (int64_t i = 0; i < k; ++i)
      std::copy_n(v.value().data() + row * per_row, per_row, t.data() + i * per_row);
    return Var(t);
  };
  EncoderOutput out;
  out.memory = repeat(enc.memory);
  out.src_lengths.assign(k, enc.src_lengths[row]);
  for (const Var& s : enc.final_states) out.final_states.push_back(repeat(s));
  return out;
}

float length_penalty(int64_t len, float alpha) {
  return alpha == 0.0f ? 1.0f : std::pow((5.0f + static_cast<float>(len)) / 6.0f, alpha);
}
}  // namespace

std::vector<Hypothesis> greedy_decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                                      const DecodeOptions& o) {
  NoGradGuard no_grad;
  const int64_t B = src.shape[0];
  EncoderOutput enc = model.encode(src, src_lengths);
  std::vector<Hypothesis> prefixes(B, Hypothesis{o.bos});
  std::vector<bool> done(B, false);
  for (int64_t step = 0; step < o.max_len; ++step) {
    Tensor logits = model.decode(enc, prefix_ids(prefixes)).value();  // [B, t, V]
    const int64_t V = logits.dim(2);
    bool all_done = true;
    for (int64_t b = 0; b < B; ++b) {
      const float* row = last_logits(logits, b);
      int32_t next = done[b] ? o.eos : static_cast<int32_t>(std::max_element(row, row + V) - row);
      done[b] = done[b] || next == o.eos;
      prefixes[b].push_back(next);
      all_done = all_done && done[b];
    }
    if (all_done) break;
  }
  std::vector<Hypothesis> out(B);
  for (int64_t b = 0; b < B; ++b) {
    auto end = std::find(prefixes[b].begin() + 1, prefixes[b].end(), o.eos);
    out[b].assign(prefixes[b].begin() + 1, end);
  }
  return out;
}

std::vector<Hypothesis> beam_decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                                    const DecodeOptions& o) {
  NoGradGuard no_grad;
  const int64_t B = src.shape[0], K = o.beam;
  EncoderOutput enc_all = model.encode(src, src_lengths);
  std::vector<Hypothesis> out(B);
  for (int64_t b = 0; b < B; ++b) {
    EncoderOutput enc = repeat_row(enc_all, b, K);
    struct Beam {
      Hypothesis tokens;
      double logprob;
    };
    std::vector<Beam> beams{{{o.bos}, 0.0}};
    Beam best{{}, -std::numeric_limits<double>::infinity()};
    double best_score = -std::numeric_limits<double>::infinity();
    for (int64_t step = 0; step < o.max_len && !beams.empty(); ++step) {
      std::vector<Hypothesis> prefixes;
      for (const Beam& beam : beams) prefixes.push_back(beam.tokens);
      EncoderOutput enc_k = beams.size() == static_cast<size_t>(K) ? enc : repeat_row(enc_all, b, beams.size());
      Tensor logits = model.decode(enc_k, prefix_ids(prefixes)).value();
      const int64_t V = logits.dim(2);
      std::vector<Beam> candidates;
      for (size_t i = 0; i < beams.size(); ++i) {
        const float* row = last_logits(logits, static_cast<int64_t>(i));
        const float max = *std::max_element(row, row + V);
        double lse = 0.0;
        for (int64_t v = 0; v < V; ++v) lse += std::exp(static_cast<double>(row[v] - max));
        lse = max + std::log(lse);
        for (int64_t v = 0; v < V; ++v) {
          Beam c{beams[i].tokens, beams[i].logprob + row[v] - lse};
          c.tokens.push_back(static_cast<int32_t>(v));
          candidates.push_back(std::move(c));
        }
      }
      const size_t keep = std::min<size_t>(candidates.size(), 2 * K);
      std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(),
                        [](const Beam& x, const Beam& y) { return x.logprob > y.logprob; });
      beams.clear();
      for (size_t i = 0; i < keep && static_cast<int64_t>(beams.size()) < K; ++i) {
        Beam& c = candidates[i];
        const int64_t len = static_cast<int64_t>(c.tokens.size()) - 1;
        if (c.tokens.back() == o.eos) {
          double score = c.logprob / length_penalty(len, o.length_penalty);
          if (score > best_score) best_score = score, best = c;
        } else {
          beams.push_back(std::move(c));
        }
      }
      // Stop when no live beam can beat the best finished one (scores only fall as beams grow).
      if (!beams.empty() && best_score > -std::numeric_limits<double>::infinity() &&
          beams[0].logprob / length_penalty(o.max_len, o.length_penalty) < best_score)
        break;
    }
    if (best.tokens.empty() && !beams.empty()) best = beams[0];
    auto begin = best.tokens.begin() + (best.tokens.empty() ? 0 : 1);
    out[b].assign(begin, std::find(begin, best.tokens.end(), o.eos));
  }
  return out;
}

std::vector<Hypothesis> decode(Seq2SeqModel& model, const Ids& src, const std::vector<int32_t>& src_lengths,
                               const DecodeOptions& options) {
  DecodeOptions o = options;
  if (o.max_len == 0 && !src_lengths.empty())  // no output here is much longer than its input
    o.max_len = 2 * static_cast<int64_t>(*std::max_element(src_lengths.begin(), src_lengths.end())) + 10;
  o.max_len = std::min(o.max_len, model.max_target_length());  // tgt_in holds <bos> + max_len - 1 tokens
  return o.beam > 1 ? beam_decode(model, src, src_lengths, o) : greedy_decode(model, src, src_lengths, o);
}

}  // namespace attn::models
