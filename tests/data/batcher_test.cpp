#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "base/error.h"
#include "data/batcher.h"
#include "data/vocab.h"

using namespace attn;
using namespace attn::data;

namespace {

// Example i: source of 1 + i % 13 tokens, target of 1 + (i * 7) % 11 tokens, ids >= 4 that encode i.
std::vector<EncodedPair> make_examples(int64_t n) {
  std::vector<EncodedPair> out;
  for (int64_t i = 0; i < n; ++i) {
    EncodedPair e;
    for (int64_t k = 0; k < 1 + i % 13; ++k) e.src.push_back(static_cast<int32_t>(4 + i));
    for (int64_t k = 0; k < 1 + (i * 7) % 11; ++k) e.tgt.push_back(static_cast<int32_t>(4 + i + k));
    out.push_back(std::move(e));
  }
  return out;
}

std::map<int64_t, int> epoch_counts(Batcher& batcher) {
  std::map<int64_t, int> seen;
  int64_t epoch = batcher.position().epoch;
  for (int64_t b = 0; b < batcher.batches_in_epoch(); ++b)
    for (int64_t i : batcher.next().indices) ++seen[i];
  CHECK(batcher.position().epoch == epoch);
  return seen;
}

bool same(const Batch& a, const Batch& b) {
  return a.indices == b.indices && a.src.values == b.src.values && a.tgt_in.values == b.tgt_in.values &&
         a.tgt_out.values == b.tgt_out.values;
}

}  // namespace

TEST_CASE("batcher covers every example exactly once per epoch") {
  const auto examples = make_examples(1003);
  for (auto unit : {BatchUnit::sentences, BatchUnit::tokens}) {
    BatcherOptions options;
    options.unit = unit;
    options.batch_size = unit == BatchUnit::sentences ? 16 : 120;
    options.pool_batches = 5;
    options.seed = 3;
    Batcher batcher(&examples, options);
    for (int epoch = 0; epoch < 3; ++epoch) {
      std::map<int64_t, int> seen = epoch_counts(batcher);
      REQUIRE(seen.size() == examples.size());
      for (auto [index, count] : seen) REQUIRE(count == 1);
      batcher.next();  // rolls over into the next epoch
      batcher.restore({epoch + 1, 0});
    }
  }
}

TEST_CASE("batches respect the size limit and pad with <bos>, <eos> and <pad>") {
  const auto examples = make_examples(300);
  BatcherOptions options;
  options.unit = BatchUnit::tokens;
  options.batch_size = 64;
  Batcher batcher(&examples, options);
  for (const Batch& batch : batcher.epoch_batches(0)) {
    const int64_t b = batch.size(), ts = batch.src.shape[1], tt = batch.tgt_in.shape[1];
    REQUIRE(batch.src.shape == Shape{b, ts});
    REQUIRE(batch.tgt_out.shape == Shape{b, tt});
    REQUIRE((b == 1 || b * std::max(ts, tt) <= 64));
    int64_t target_tokens = 0;
    for (int64_t r = 0; r < b; ++r) {
      const EncodedPair& e = examples[batch.indices[r]];
      const int64_t ls = batch.src_lengths[r], lt = batch.tgt_lengths[r];
      REQUIRE(ls == static_cast<int64_t>(e.src.size()));
      REQUIRE(lt == static_cast<int64_t>(e.tgt.size()) + 1);
      for (int64_t t = 0; t < ts; ++t)
        REQUIRE(batch.src.values[r * ts + t] == (t < ls ? e.src[t] : Vocab::pad));
      REQUIRE(batch.tgt_in.values[r * tt] == Vocab::bos);
      for (int64_t t = 0; t < tt; ++t) {
        int32_t in = batch.tgt_in.values[r * tt + t], out = batch.tgt_out.values[r * tt + t];
        if (t >= 1 && t < lt) REQUIRE(in == e.tgt[t - 1]);
        if (t < lt - 1) REQUIRE(out == e.tgt[t]);
        if (t == lt - 1) REQUIRE(out == Vocab::eos);
        if (t >= lt) REQUIRE((in == Vocab::pad && out == Vocab::pad));
      }
      target_tokens += lt;
    }
    REQUIRE(batch.target_tokens == target_tokens);
  }
}

TEST_CASE("batching is deterministic given (seed, epoch) and length-sorted within pools") {
  const auto examples = make_examples(500);
  BatcherOptions options;
  options.batch_size = 10;
  options.pool_batches = 50;  // one pool: every batch is a run of the sorted order
  options.seed = 11;
  Batcher a(&examples, options), b(&examples, options);
  auto ea = a.epoch_batches(1), eb = b.epoch_batches(1);
  REQUIRE(ea.size() == eb.size());
  for (size_t i = 0; i < ea.size(); ++i) REQUIRE(same(ea[i], eb[i]));
  CHECK_FALSE(same(a.epoch_batches(0)[0], ea[0]));  // epochs differ
  // One sorted pool with >= 38 examples per source length: a batch of 10 spans at most two
  // adjacent lengths (unsorted, batches would mix lengths 1..13).
  for (const Batch& batch : ea) {
    auto [lo, hi] = std::minmax_element(batch.src_lengths.begin(), batch.src_lengths.end());
    REQUIRE(*hi - *lo <= 1);
  }
  options.seed = 12;
  Batcher c(&examples, options);
  CHECK_FALSE(same(c.epoch_batches(1)[0], ea[0]));
}

TEST_CASE("restoring a batcher position reproduces the same next batch") {
  const auto examples = make_examples(200);
  BatcherOptions options;
  options.batch_size = 7;
  options.pool_batches = 3;
  options.seed = 5;
  Batcher original(&examples, options);
  for (int i = 0; i < 45; ++i) original.next();  // past the end of epoch 0 (29 batches)
  BatcherPosition saved = original.position();
  CHECK(saved.epoch == 1);
  Batch expected = original.next();
  Batch expected_after = original.next();

  Batcher resumed(&examples, options);
  resumed.restore(saved);
  CHECK(resumed.position() == saved);
  CHECK(same(resumed.next(), expected));
  CHECK(same(resumed.next(), expected_after));

  try {
    resumed.restore({0, 1000});
    FAIL("accepted a position past the end of the epoch");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::checkpoint);
  }
}

TEST_CASE("evaluation batching keeps example order within pools and never shuffles") {
  const auto examples = make_examples(40);
  BatcherOptions options;
  options.shuffle = false;
  options.batch_size = 4;
  options.pool_batches = 1;  // pools of 4 examples in dataset order
  Batcher batcher(&examples, options);
  auto batches = batcher.epoch_batches(0);
  REQUIRE(batches.size() == 10);
  for (size_t k = 0; k < batches.size(); ++k) {
    std::vector<int64_t> rows = batches[k].indices;
    std::sort(rows.begin(), rows.end());
    CHECK(rows == std::vector<int64_t>{int64_t(4 * k), int64_t(4 * k + 1), int64_t(4 * k + 2), int64_t(4 * k + 3)});
  }
  CHECK(same(batcher.epoch_batches(3)[2], batches[2]));
}

TEST_CASE("real-valued examples batch into values [B, T] and targets [B, K], no ids") {
  std::vector<EncodedPair> examples;
  for (int i = 0; i < 5; ++i) {
    EncodedPair e;
    e.values = {0.5f * i, 0.5f * i + 1, 0.5f * i + 2};
    e.targets = {10.0f + i, 20.0f + i};
    examples.push_back(e);
  }
  Batcher batcher(&examples, {2, BatchUnit::sentences, 100, false, 0});
  const std::vector<Batch> batches = batcher.epoch_batches(0);
  REQUIRE(batches.size() == 3);
  const Batch& b = batches[1];
  REQUIRE(b.indices == std::vector<int64_t>{2, 3});
  CHECK(b.src.shape == Shape{2, 0});
  CHECK(b.src_lengths == std::vector<int32_t>{3, 3});
  REQUIRE(b.values.shape() == Shape{2, 3});
  REQUIRE(b.targets.shape() == Shape{2, 2});
  CHECK(b.values[3] == 1.5f);
  CHECK(b.targets[3] == 23.0f);
  CHECK(b.labels.empty());
  examples[4].targets.clear();
  CHECK_THROWS_AS(Batcher(&examples, {2, BatchUnit::sentences, 100, false, 0}), Error);
}
