#include "bench/decode_bench.h"

#include <omp.h>

#include <algorithm>
#include <chrono>

#include "models/decoding.h"
#include "models/transformer.h"
#include "tensor/rng.h"

namespace attn::bench {

namespace {
constexpr int64_t kVocab = 14;  // a synthetic task's alphabet plus specials

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

DecodeBenchRow measure(const DecodeBenchOptions& o, const std::string& attention) {
  models::ModelOptions m;
  m.src_vocab = m.tgt_vocab = kVocab;
  m.width = o.width, m.heads = o.heads, m.enc_layers = m.dec_layers = o.layers, m.ff_width = 2 * o.width;
  m.attention = attention;
  models::Transformer model(m);
  model.set_training(false);
  Rng rng(7, 1);
  Ids src{{o.batch, o.src_len}, std::vector<int32_t>(o.batch * o.src_len)};
  for (int32_t& v : src.values) v = static_cast<int32_t>(4 + rng.below(kVocab - 4));
  const std::vector<int32_t> lengths(o.batch, static_cast<int32_t>(o.src_len));
  models::DecodeOptions d;
  d.eos = -1;  // never emitted: every row decodes exactly `steps` tokens
  d.max_len = o.steps;
  std::vector<double> ms;
  for (int i = 0; i <= o.repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    models::greedy_decode(model, src, lengths, d);
    auto t1 = std::chrono::steady_clock::now();
    if (i > 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());  // first = warm-up
  }
  DecodeBenchRow r;
  r.attention = attention;
  r.ms_median = median(ms);
  r.ms_min = *std::min_element(ms.begin(), ms.end());
  r.tokens_per_second = static_cast<double>(o.batch * o.steps) / (r.ms_median / 1000.0);
  r.threads = omp_get_max_threads();
  return r;
}
}  // namespace

std::vector<DecodeBenchRow> run_decode_bench(const DecodeBenchOptions& options,
                                             const std::function<void(const DecodeBenchRow&)>& on_row) {
  if (options.threads > 0) omp_set_num_threads(options.threads);
  std::vector<DecodeBenchRow> rows;
  for (const std::string& attention : options.attentions) {
    DecodeBenchRow r = measure(options, attention);
    r.vs_first = rows.empty() ? 1.0 : r.ms_median / rows.front().ms_median;
    rows.push_back(r);
    if (on_row) on_row(r);
  }
  return rows;
}

}  // namespace attn::bench
