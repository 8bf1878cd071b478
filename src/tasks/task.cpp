#include "tasks/task.h"

#include <algorithm>

#include "data/encode.h"
#include "data/sha256.h"
#include "ops/shape_ops.h"

namespace attn::tasks {

bool Task::lower_is_better(const std::string& metric) {
  for (const char* lower : {"loss", "per", "wer"})
    if (metric.rfind(lower, 0) == 0) return true;
  return false;
}

void Task::set_data(std::string name, std::string dataset, const std::vector<data::TextPair>& train,
                    const std::vector<std::vector<data::TextPair>>& all_splits, data::TokenizerKind src_tokenizer,
                    data::TokenizerKind tgt_tokenizer, int64_t min_freq, int64_t max_vocab) {
  name_ = std::move(name);
  dataset_name_ = std::move(dataset);
  src_tokenizer_ = src_tokenizer;
  tgt_tokenizer_ = tgt_tokenizer;
  src_vocab_ = data::build_vocab(train, data::Side::src, src_tokenizer, min_freq, max_vocab);
  tgt_vocab_ = data::build_vocab(train, data::Side::tgt, tgt_tokenizer, min_freq, max_vocab);
  train_ = data::encode_pairs(train, {src_tokenizer, &src_vocab_, tgt_tokenizer, &tgt_vocab_});
  std::string all;
  for (const auto& split : all_splits)
    for (const data::TextPair& p : split) all += p.src + '\t' + p.tgt + '\n';
  checksum_ = data::sha256_hex(all);
}

Var Task::loss(models::Seq2SeqModel& model, const data::Batch& batch, float label_smoothing) const {
  Var logits = model.forward(batch.src, batch.src_lengths, batch.tgt_in);  // [B, Tt, V]
  const int64_t rows = logits.dim(0) * logits.dim(1);
  Ids targets{{rows}, batch.tgt_out.values};
  return cross_entropy(reshape(logits, {rows, logits.dim(2)}), targets, {data::Vocab::pad, label_smoothing});
}

std::vector<std::string> Task::source_tokens(const std::string& text) const {
  return data::tokenize(src_tokenizer_, text);
}

std::vector<std::string> Task::target_tokens(const std::string& text) const {
  return data::tokenize(tgt_tokenizer_, text);
}

std::string Task::detokenize_target(const std::vector<std::string>& tokens) const {
  return data::detokenize(tgt_tokenizer_, tokens);
}

double Task::mean_loss(models::Seq2SeqModel& model, const std::vector<data::TextPair>& pairs,
                       int64_t batch_size) const {
  NoGradGuard no_grad;
  const bool was_training = model.training();
  model.set_training(false);
  std::vector<data::EncodedPair> encoded =
      data::encode_pairs(pairs, {src_tokenizer_, &src_vocab_, tgt_tokenizer_, &tgt_vocab_});
  data::Batcher batcher(&encoded, {batch_size, data::BatchUnit::sentences, 100, false, 0});
  double total = 0.0;
  int64_t tokens = 0;
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    if (batch_hook_) batch_hook_();
    total += loss(model, batch, 0.0f).value()[0] * static_cast<double>(batch.target_tokens);
    tokens += batch.target_tokens;
  }
  model.set_training(was_training);
  return tokens ? total / static_cast<double>(tokens) : 0.0;
}

std::vector<std::string> Task::metric_names(data::Split split) const {
  const std::string split_name = data::split_name(split);
  const std::map<std::string, double> sample = score({"a"}, {"a"});  // for the names only
  std::vector<std::string> names;
  for (const EvalSet& set : eval_sets(split))
    for (const auto& [name, value] : sample) names.push_back(name + set.name.substr(split_name.size()));
  return names;
}

Evaluation Task::evaluate(models::Seq2SeqModel& model, const std::vector<data::TextPair>& pairs,
                          const models::DecodeOptions& decode, int64_t batch_size) const {
  const bool was_training = model.training();
  model.set_training(false);
  std::vector<data::EncodedPair> encoded =
      data::encode_pairs(pairs, {src_tokenizer_, &src_vocab_, tgt_tokenizer_, &tgt_vocab_});
  data::Batcher batcher(&encoded, {batch_size, data::BatchUnit::sentences, 100, false, 0});
  Evaluation out;
  out.predictions.resize(pairs.size());
  std::vector<std::string> hyps(pairs.size()), refs(pairs.size());
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    if (batch_hook_) batch_hook_();
    std::vector<models::Hypothesis> decoded = models::decode(model, batch.src, batch.src_lengths, decode);
    for (size_t r = 0; r < decoded.size(); ++r) {
      const int64_t i = batch.indices[r];
      hyps[i] = detokenize_target(tgt_vocab_.decode(decoded[r]));
      refs[i] = pairs[i].tgt;
      out.predictions[i] = {pairs[i].src, pairs[i].tgt, hyps[i]};
    }
  }
  out.metrics = score(hyps, refs);
  model.set_training(was_training);
  return out;
}

}  // namespace attn::tasks
