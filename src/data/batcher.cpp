#include "data/batcher.h"

#include <algorithm>

#include "base/error.h"
#include "data/vocab.h"
#include "tensor/rng.h"

namespace attn::data {

namespace {

constexpr uint64_t kShuffleStream = 0xBA7C4E5;

// Fisher–Yates.
template <typename T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
}

}  // namespace

Batcher::Batcher(const std::vector<EncodedPair>* examples, BatcherOptions options)
    : examples_(examples), options_(options) {
  ATTN_CHECK(examples_ && !examples_->empty(), data, "the Batcher needs at least one example");
  ATTN_CHECK(options_.batch_size >= 1, config, "batch_size must be >= 1, got ", options_.batch_size);
  ATTN_CHECK(options_.pool_batches >= 1, config, "pool_batches must be >= 1, got ", options_.pool_batches);
  for (size_t i = 0; i < examples_->size(); ++i) {
    const EncodedPair& e = (*examples_)[i];
    ATTN_CHECK(e.input_length() > 0 && (!e.tgt.empty() || e.label >= 0 || !e.targets.empty()), data, "example ", i,
               " has an empty side (source ", e.input_length(), " tokens, target ",
               e.tgt.size() + e.targets.size(), ")");
  }
  plan_ = plan_for(0);
}

std::vector<std::vector<int64_t>> Batcher::plan_for(int64_t epoch) const {
  const auto& ex = *examples_;
  const int64_t n = static_cast<int64_t>(ex.size());
  const bool tokens = options_.unit == BatchUnit::tokens;
  // Padded width of an example: the longer of its source and its target with <bos>/<eos>.
  const auto width = [&](int64_t i) {
    return std::max<int64_t>(ex[i].input_length(), static_cast<int64_t>(ex[i].tgt.size()) + 1);
  };

  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  Rng rng = Rng(options_.seed, kShuffleStream).fork(static_cast<uint64_t>(epoch));
  if (options_.shuffle) shuffle(order, rng);

  std::vector<std::vector<int64_t>> batches;
  const auto cut_pool = [&](std::vector<int64_t>& pool) {
    std::stable_sort(pool.begin(), pool.end(), [&](int64_t a, int64_t b) {
      return ex[a].input_length() != ex[b].input_length() ? ex[a].input_length() < ex[b].input_length()
                                                          : ex[a].tgt.size() < ex[b].tgt.size();
    });
    std::vector<int64_t> batch;
    int64_t batch_width = 0;
    for (int64_t i : pool) {
      int64_t grown_width = std::max(batch_width, width(i));
      bool full = tokens ? static_cast<int64_t>(batch.size() + 1) * grown_width > options_.batch_size
                         : static_cast<int64_t>(batch.size()) == options_.batch_size;
      if (full && !batch.empty()) {
        batches.push_back(std::move(batch));
        batch.clear();
        grown_width = width(i);
      }
      batch.push_back(i);
      batch_width = grown_width;
    }
    if (!batch.empty()) batches.push_back(std::move(batch));
    pool.clear();
  };

  const int64_t pool_capacity = options_.pool_batches * options_.batch_size;
  std::vector<int64_t> pool;
  int64_t pool_cost = 0;
  for (int64_t i : order) {
    pool.push_back(i);
    pool_cost += tokens ? width(i) : 1;
    if (pool_cost >= pool_capacity) {
      cut_pool(pool);
      pool_cost = 0;
    }
  }
  if (!pool.empty()) cut_pool(pool);
  if (options_.shuffle) shuffle(batches, rng);
  return batches;
}

Batch Batcher::assemble(const std::vector<int64_t>& rows) const {
  const auto& ex = *examples_;
  if (!ex[rows[0]].values.empty()) return assemble_values(rows);
  const int64_t b = static_cast<int64_t>(rows.size());
  int64_t ts = 0, tt = 0;
  for (int64_t i : rows) {
    ts = std::max<int64_t>(ts, static_cast<int64_t>(ex[i].src.size()));
    tt = std::max<int64_t>(tt, static_cast<int64_t>(ex[i].tgt.size()) + 1);
  }
  Batch batch;
  batch.src = {{b, ts}, std::vector<int32_t>(b * ts, Vocab::pad)};  // [B, Ts]
  for (int64_t r = 0; r < b; ++r) {
    const EncodedPair& e = ex[rows[r]];
    std::copy(e.src.begin(), e.src.end(), batch.src.values.begin() + r * ts);
    batch.src_lengths.push_back(static_cast<int32_t>(e.src.size()));
    batch.indices.push_back(rows[r]);
  }
  if (ex[rows[0]].label >= 0) {  // a classification dataset: labels, no target sequences
    for (int64_t i : rows) batch.labels.push_back(ex[i].label);
    return batch;
  }
  batch.tgt_in = {{b, tt}, std::vector<int32_t>(b * tt, Vocab::pad)};   // [B, Tt]
  batch.tgt_out = {{b, tt}, std::vector<int32_t>(b * tt, Vocab::pad)};  // [B, Tt]
  for (int64_t r = 0; r < b; ++r) {
    const EncodedPair& e = ex[rows[r]];
    const int64_t n = static_cast<int64_t>(e.tgt.size());
    batch.tgt_in.values[r * tt] = Vocab::bos;
    std::copy(e.tgt.begin(), e.tgt.end(), batch.tgt_in.values.begin() + r * tt + 1);
    std::copy(e.tgt.begin(), e.tgt.end(), batch.tgt_out.values.begin() + r * tt);
    batch.tgt_out.values[r * tt + n] = Vocab::eos;
    batch.tgt_lengths.push_back(static_cast<int32_t>(n + 1));
    batch.target_tokens += n + 1;
  }
  return batch;
}

Batch Batcher::assemble_values(const std::vector<int64_t>& rows) const {
  const auto& ex = *examples_;
  const int64_t b = static_cast<int64_t>(rows.size());
  int64_t t = 0;
  for (int64_t i : rows) t = std::max(t, ex[i].input_length());
  const int64_t k = static_cast<int64_t>(ex[rows[0]].targets.size());
  Batch batch;
  batch.src = {{b, 0}, {}};
  batch.values = Tensor::zeros({b, t});   // [B, T]
  batch.targets = Tensor::empty({b, k});  // [B, K]
  for (int64_t r = 0; r < b; ++r) {
    const EncodedPair& e = ex[rows[r]];
    ATTN_CHECK(static_cast<int64_t>(e.targets.size()) == k, data, "example ", rows[r], " has ", e.targets.size(),
               " targets, example ", rows[0], " ", k);
    std::copy(e.values.begin(), e.values.end(), batch.values.data() + r * t);
    std::copy(e.targets.begin(), e.targets.end(), batch.targets.data() + r * k);
    batch.src_lengths.push_back(static_cast<int32_t>(e.values.size()));
    batch.indices.push_back(rows[r]);
  }
  return batch;
}

Batch Batcher::next() {
  if (position_.batch >= batches_in_epoch()) {
    position_ = {position_.epoch + 1, 0};
    plan_ = plan_for(position_.epoch);
  }
  return assemble(plan_[position_.batch++]);
}

std::vector<Batch> Batcher::epoch_batches(int64_t epoch) const {
  std::vector<Batch> out;
  for (const auto& rows : plan_for(epoch)) out.push_back(assemble(rows));
  return out;
}

void Batcher::restore(const BatcherPosition& position) {
  ATTN_CHECK(position.epoch >= 0 && position.batch >= 0, checkpoint, "invalid batcher position (epoch ",
             position.epoch, ", batch ", position.batch, ")");
  std::vector<std::vector<int64_t>> plan = plan_for(position.epoch);
  ATTN_CHECK(position.batch <= static_cast<int64_t>(plan.size()), checkpoint, "batcher position (epoch ",
             position.epoch, ", batch ", position.batch, ") is past the epoch's ", plan.size(),
             " batches: the data or batch options differ from the saved run's");
  position_ = position;
  plan_ = std::move(plan);
}

}  // namespace attn::data
