// The classification family: one text in, one label out, on the encoder model
// (models/encoder_model.h: embedding -> positions -> encoder -> pooling -> head).
// Examples are TextPairs {text, label}; labels get ids in sorted order; texts are cut to
// max_src_len tokens. Metrics: macro-F1 (the early-stopping default), accuracy, per-class
// precision / recall / F1, and the confusion matrix among the details. A task whose data
// has known evidence positions (find) also reports evidence_mass: the mean share of the
// pooling weights that lands on the evidence of the examples that have some.
// A family member whose inputs are not text (image) overrides input_ids and the attend
// hooks, and sets Data::text = false (no vocabulary, the checksum given in Data).
#pragma once

#include "data/tokenizer.h"
#include "data/vocab.h"
#include "tasks/task.h"

namespace attn::tasks {

class ClassificationTask : public Task {
 public:
  std::unique_ptr<models::Model> build_model(models::ModelOptions options) const override;
  nlohmann::json state() const override;
  const std::vector<data::EncodedPair>& train_examples() const override { return train_; }
  Var loss(models::Model& model, const data::Batch& batch, float label_smoothing) const override;
  int64_t batch_work(const data::Batch& batch) const override { return batch.size(); }
  std::string throughput_unit() const override { return "examples"; }
  double mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const override;
  Evaluation evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const override;
  std::vector<data::EncodedPair> examples(const EvalSet& set) const override { return encode(set.pairs); }
  // Tasks with evidence (find): the pooling row's links to the evidence positions (not under
  // pool=cls, which has no pooling weights).
  TrueAlignment true_alignment(const data::TextPair& pair) const override;
  std::vector<MetricInfo> metrics() const override;
  std::vector<std::string> prediction_columns() const override {
    return {"text", "reference", "prediction", "probability"};
  }
  bool decodes() const override { return false; }
  AttendItem attend(models::Model& model, const AttendInput& input,
                    const models::DecodeOptions& decode) const override;

 protected:
  struct Data {
    std::string name, dataset;
    data::TokenizerKind tokenizer = data::TokenizerKind::words;
    std::vector<std::vector<data::TextPair>> splits;  // train, valid, test: {text, label}
    int64_t min_freq = 1, max_vocab = 0, max_src_len = 0;
    std::string pool;  // the model's pooling: no pooling weights to measure evidence with for cls
    bool text = true;      // false: no vocabulary; input_ids reads the inputs
    std::string checksum;  // !text: the checksum of the data the pairs refer to
  };
  // Builds the vocabulary and label set from the training split and encodes it;
  // called by subclasses' constructors. An empty split or a label of valid/test
  // unseen in training is a data error.
  void set_data(Data data);
  const std::vector<data::TextPair>& split(data::Split s) const { return data_.splits[static_cast<int>(s)]; }
  // The token positions that decide an example's label, when the task knows them.
  virtual bool has_evidence() const { return false; }
  virtual std::vector<int64_t> evidence_positions(const std::vector<std::string>& /*tokens*/) const { return {}; }
  // The model's input of an example's source (text: its token ids, cut to max_src_len).
  virtual std::vector<int32_t> input_ids(const std::string& source) const;
  // attend: a name for each input position the model sees (text: the tokens, <unk> for
  // unknown words), and the fields that describe the input beyond its source.
  virtual std::vector<std::string> input_positions(const std::vector<int32_t>& ids) const;
  virtual void add_input_fields(const std::vector<int32_t>& /*ids*/, nlohmann::ordered_json& /*fields*/) const {}
  // attend: maps derived from the recorded ones (image: attention rollout), appended to them.
  virtual void add_derived_maps(std::vector<LabeledMap>& /*maps*/) const {}

 private:
  std::vector<std::string> tokens_of(const std::string& text) const;
  std::vector<data::EncodedPair> encode(const std::vector<data::TextPair>& pairs) const;
  int32_t label_id(const std::string& label) const;  // -1 if unknown
  bool reports_evidence() const { return has_evidence() && data_.pool != "cls"; }
  // Key labels of the encoder's positions: the tokens, after "<cls>" when the model prepends one.
  std::vector<std::string> position_labels(const std::vector<std::string>& tokens) const;

  Data data_;
  data::Vocab vocab_;
  std::vector<std::string> labels_;
  std::vector<data::EncodedPair> train_;
};

}  // namespace attn::tasks
