// The sequence-to-sequence family: text pairs, a source and a target vocabulary,
// teacher-forced cross-entropy, decoding and string scoring, on the encoder–decoder
// models (models/seq2seq.h). `translate` (translate_task.cpp) and the synthetic
// copy/reverse/sort/add (synthetic_task.cpp) differ only in their data and score().
#pragma once

#include "data/tokenizer.h"
#include "data/vocab.h"
#include "models/seq2seq.h"
#include "tasks/task.h"

namespace attn::tasks {

class Seq2SeqTask : public Task {
 public:
  const data::Vocab& src_vocab() const { return src_vocab_; }
  const data::Vocab& tgt_vocab() const { return tgt_vocab_; }

  std::unique_ptr<models::Model> build_model(models::ModelOptions options) const override;
  nlohmann::json state() const override;
  const std::vector<data::EncodedPair>& train_examples() const override { return train_; }
  Var loss(models::Model& model, const data::Batch& batch, float label_smoothing) const override;
  int64_t batch_work(const data::Batch& batch) const override { return batch.target_tokens; }
  std::string throughput_unit() const override { return "target_tokens"; }
  double mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const override;
  Evaluation evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const override;
  std::vector<data::EncodedPair> examples(const EvalSet& set) const override { return encode(set.pairs); }
  std::vector<std::string> prediction_columns() const override { return {"source", "reference", "hypothesis"}; }
  bool decodes() const override { return true; }
  AttendItem attend(models::Model& model, const AttendInput& input,
                    const models::DecodeOptions& decode) const override;

 protected:
  // Builds vocabularies and encodes the training split; called by subclasses' constructors.
  void set_data(std::string name, std::string dataset, const std::vector<data::TextPair>& train,
                const std::vector<std::vector<data::TextPair>>& all_splits, data::TokenizerKind src_tokenizer,
                data::TokenizerKind tgt_tokenizer, int64_t min_freq, int64_t max_vocab);
  // Scores hypotheses against references (both detokenized target text).
  virtual std::map<std::string, double> score(const std::vector<std::string>& hypotheses,
                                              const std::vector<std::string>& references) const = 0;
  std::vector<std::string> target_tokens(const std::string& text) const;

 private:
  std::vector<data::EncodedPair> encode(const std::vector<data::TextPair>& pairs) const;

  data::TokenizerKind src_tokenizer_{}, tgt_tokenizer_{};
  data::Vocab src_vocab_, tgt_vocab_;
  std::vector<data::EncodedPair> train_;
};

}  // namespace attn::tasks
