// Batcher: groups encoded examples into padded batches of similar length, epoch after epoch.
// An epoch's plan is a pure function of (seed, epoch): the examples are shuffled, cut into
// pools of about pool_batches batches, sorted by length inside each pool (stable, so ties keep
// the shuffled order), cut into batches, and the batch order is shuffled. Sorting inside pools
// keeps padding low without making batches identical across epochs.
// Batch size is counted in sentences (unit = sentences) or in tokens (unit = tokens: a batch
// grows while B * max(Ts, Tt) stays within batch_size, always holding at least one example),
// where Tt counts the <bos> or <eos> the target gains.
// The position (epoch, batch index) is plain data: restore() it and the next batch is the one
// the saved run would have seen. With shuffle off (evaluation) the example order is kept,
// pools are still sorted by length, and Batch::indices maps rows back to examples.
#pragma once

#include <cstdint>
#include <vector>

#include "data/types.h"
#include "tensor/ids.h"
#include "tensor/tensor.h"

namespace attn::data {

struct Batch {
  Ids src;                           // [B, Ts] source ids, <pad> = 0 after each row's length
  std::vector<int32_t> src_lengths;  // [B]
  // Sequence-to-sequence examples fill the target fields, classification examples `labels`.
  Ids tgt_in;                        // [B, Tt] <bos> y_1 .. y_n, then <pad>
  Ids tgt_out;                       // [B, Tt] y_1 .. y_n <eos>, then <pad>
  std::vector<int32_t> tgt_lengths;  // [B] n + 1
  int64_t target_tokens = 0;         // sum of tgt_lengths: the positions the loss counts
  std::vector<int32_t> labels;       // [B] class of each row
  // Real-valued examples (forecasts) fill these instead of src (which is then [B, 0]).
  Tensor values;                     // [B, T] inputs, 0 after each row's length
  Tensor targets;                    // [B, K] the values to predict
  std::vector<int64_t> indices;      // [B] index of each row's example in the dataset
  int64_t size() const { return static_cast<int64_t>(src_lengths.size()); }
};

enum class BatchUnit { sentences, tokens };

struct BatcherOptions {
  int64_t batch_size = 64;
  BatchUnit unit = BatchUnit::sentences;
  int64_t pool_batches = 100;  // batches per length-sorting pool
  bool shuffle = true;         // false for evaluation: fixed order, no batch shuffling
  uint64_t seed = 0;
};

struct BatcherPosition {
  int64_t epoch = 0;
  int64_t batch = 0;  // index of the next batch within the epoch
  bool operator==(const BatcherPosition&) const = default;
};

class Batcher {
 public:
  // Keeps a pointer to examples: they must outlive the Batcher. An empty source, or an example
  // with neither target nor label, is a data error.
  Batcher(const std::vector<EncodedPair>* examples, BatcherOptions options);

  // The next batch; moves to the next epoch after the last batch of one.
  Batch next();
  // All batches of one epoch, in order, without moving the position (evaluation).
  std::vector<Batch> epoch_batches(int64_t epoch) const;

  BatcherPosition position() const { return position_; }
  void restore(const BatcherPosition& position);
  int64_t batches_in_epoch() const { return static_cast<int64_t>(plan_.size()); }

 private:
  std::vector<std::vector<int64_t>> plan_for(int64_t epoch) const;
  Batch assemble(const std::vector<int64_t>& rows) const;
  Batch assemble_values(const std::vector<int64_t>& rows) const;  // real-valued examples

  const std::vector<EncodedPair>* examples_;
  BatcherOptions options_;
  BatcherPosition position_;
  std::vector<std::vector<int64_t>> plan_;  // example indices of each batch of position_.epoch
};

}  // namespace attn::data
