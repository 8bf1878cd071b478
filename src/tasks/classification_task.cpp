#include "tasks/classification_task.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "base/error.h"
#include "metrics/classification.h"
#include "models/encoder_model.h"
#include "ops/loss.h"
#include "tasks/model_scopes.h"

namespace attn::tasks {

namespace {
// The family's own model type: a ClassificationTask builds only EncoderModels.
models::EncoderModel& encoder(models::Model& model) { return static_cast<models::EncoderModel&>(model); }

// Softmax of one row of logits: the predicted class and its probability.
std::pair<int32_t, double> top_class(const float* logits, int64_t classes) {
  const int64_t best = std::max_element(logits, logits + classes) - logits;
  double total = 0;
  for (int64_t c = 0; c < classes; ++c) total += std::exp(static_cast<double>(logits[c] - logits[best]));
  return {static_cast<int32_t>(best), 1.0 / total};
}

std::string probability_text(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", p);
  return text;
}
}  // namespace

void ClassificationTask::set_data(Data d) {
  data_ = std::move(d);
  for (data::Split s : data::kSplits)
    ATTN_CHECK(!split(s).empty(), data, "dataset ", data_.dataset, " has an empty ", data::split_name(s), " split");
  if (data_.text)
    set_identity(data_.name, data_.dataset, data_.splits);
  else
    set_identity(data_.name, data_.dataset, data_.checksum);
  std::set<std::string> labels;
  for (const data::TextPair& p : split(data::Split::train)) labels.insert(p.tgt);
  labels_.assign(labels.begin(), labels.end());
  ATTN_CHECK(labels_.size() >= 2, data, "dataset ", data_.dataset, " has ", labels_.size(),
             " label(s) in its training split; a classifier needs at least 2");
  if (data_.text) {
    std::vector<std::vector<std::string>> sentences;
    for (const data::TextPair& p : split(data::Split::train)) sentences.push_back(tokens_of(p.src));
    vocab_ = data::Vocab::build(sentences, data_.min_freq, data_.max_vocab);
  }
  train_ = encode(split(data::Split::train));
}

std::vector<std::string> ClassificationTask::tokens_of(const std::string& text) const {
  std::vector<std::string> tokens = data::tokenize(data_.tokenizer, text);
  if (data_.max_src_len > 0 && static_cast<int64_t>(tokens.size()) > data_.max_src_len)
    tokens.resize(static_cast<size_t>(data_.max_src_len));
  return tokens;
}

std::vector<int32_t> ClassificationTask::input_ids(const std::string& source) const {
  return vocab_.encode(tokens_of(source));
}

std::vector<std::string> ClassificationTask::input_positions(const std::vector<int32_t>& ids) const {
  std::vector<std::string> seen;
  for (int32_t id : ids) seen.push_back(vocab_.token(id));
  return seen;
}

int32_t ClassificationTask::label_id(const std::string& label) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), label);
  return it != labels_.end() && *it == label ? static_cast<int32_t>(it - labels_.begin()) : -1;
}

std::vector<data::EncodedPair> ClassificationTask::encode(const std::vector<data::TextPair>& pairs) const {
  std::vector<data::EncodedPair> out;
  out.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    std::vector<int32_t> ids = input_ids(pairs[i].src);
    ATTN_CHECK(!ids.empty(), data, "dataset ", data_.dataset, ": example ", i, " has no tokens");
    const int32_t label = label_id(pairs[i].tgt);
    ATTN_CHECK(label >= 0, data, "dataset ", data_.dataset, ": example ", i, " has label '", pairs[i].tgt,
               "', which the training split never has");
    data::EncodedPair e;
    e.src = std::move(ids);
    e.label = label;
    out.push_back(std::move(e));
  }
  return out;
}

std::unique_ptr<models::Model> ClassificationTask::build_model(models::ModelOptions o) const {
  o.src_vocab = vocab_.size();
  o.outputs = static_cast<int64_t>(labels_.size());
  return std::make_unique<models::EncoderModel>(o);
}

nlohmann::json ClassificationTask::state() const { return {{"vocabulary", vocab_.to_json()}, {"labels", labels_}}; }

Var ClassificationTask::loss(models::Model& model, const data::Batch& batch, float label_smoothing) const {
  Var logits = encoder(model).forward(batch.src, batch.src_lengths);  // [B, K]
  return cross_entropy(logits, Ids{{batch.size()}, batch.labels}, {-100, label_smoothing});
}

double ClassificationTask::mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const {
  NoGradGuard no_grad;
  EvalModeScope eval_mode(model);
  std::vector<data::EncodedPair> encoded = encode(set.pairs);
  data::Batcher batcher(&encoded, {batch_size, data::BatchUnit::sentences, 100, false, 0});
  double total = 0.0;
  int64_t done = 0;
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    before_batch(done, static_cast<int64_t>(encoded.size()));
    done += batch.size();
    total += loss(model, batch, 0.0f).value()[0] * static_cast<double>(batch.size());
  }
  return encoded.empty() ? 0.0 : total / static_cast<double>(encoded.size());
}

std::vector<MetricInfo> ClassificationTask::metrics() const {
  std::vector<MetricInfo> out{{"macro_f1", false}, {"accuracy", false}};
  for (const std::string& label : labels_)
    for (const char* m : {"precision_", "recall_", "f1_"}) out.push_back({m + label, false});
  if (reports_evidence()) out.push_back({"evidence_mass", false});
  return out;
}

Evaluation ClassificationTask::evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const {
  NoGradGuard no_grad;
  EvalModeScope eval_mode(model);
  std::vector<data::EncodedPair> encoded = encode(set.pairs);
  data::Batcher batcher(&encoded, {options.batch_size, data::BatchUnit::sentences, 100, false, 0});
  const int64_t n = static_cast<int64_t>(encoded.size()), classes = static_cast<int64_t>(labels_.size());
  std::vector<int32_t> predicted(n), reference(n);
  std::vector<double> probability(n);
  double evidence_mass = 0;
  int64_t with_evidence = 0;
  models::AttentionRecorder recorder;
  RecordingScope recording(model, reports_evidence() ? &recorder : nullptr);
  int64_t done = 0;
  for (const data::Batch& batch : batcher.epoch_batches(0)) {
    before_batch(done, n);
    done += batch.size();
    recorder.maps.clear();
    Tensor logits = encoder(model).forward(batch.src, batch.src_lengths).value();  // [B, K]
    const models::AttentionMap* pooling = nullptr;
    for (const models::AttentionMap& map : recorder.maps)
      if (map.kind == "pooling") pooling = &map;
    for (int64_t r = 0; r < batch.size(); ++r) {
      const int64_t i = batch.indices[r];
      std::tie(predicted[i], probability[i]) = top_class(logits.data() + r * classes, classes);
      reference[i] = encoded[i].label;
      if (!pooling) continue;
      const std::vector<int64_t> evidence = evidence_positions(tokens_of(set.pairs[i].src));
      if (evidence.empty()) continue;
      const int64_t T = pooling->weights.dim(3);
      for (int64_t t : evidence) evidence_mass += pooling->weights[r * T + t];
      ++with_evidence;
    }
  }
  const metrics::ClassificationScore score = metrics::classification_score(predicted, reference,
                                                                            static_cast<int32_t>(classes));
  Evaluation out;
  out.metrics = {{"macro_f1", score.macro_f1}, {"accuracy", score.accuracy}};
  for (int64_t c = 0; c < classes; ++c) {
    out.metrics["precision_" + labels_[c]] = score.classes[c].precision;
    out.metrics["recall_" + labels_[c]] = score.classes[c].recall;
    out.metrics["f1_" + labels_[c]] = score.classes[c].f1;
  }
  if (reports_evidence()) out.metrics["evidence_mass"] = with_evidence ? evidence_mass / with_evidence : 0.0;
  out.details["confusion_matrix"] = {{"labels", labels_}, {"rows", "reference"}, {"counts", score.confusion}};
  for (int64_t i = 0; i < n; ++i)
    out.predictions.push_back(
        {set.pairs[i].src, set.pairs[i].tgt, labels_[predicted[i]], probability_text(probability[i])});
  return out;
}

TrueAlignment ClassificationTask::true_alignment(const data::TextPair& pair) const {
  if (!reports_evidence()) return {};
  TrueAlignment out{"pooling", {}};
  for (int64_t t : evidence_positions(tokens_of(pair.src))) out.links.push_back({0, t, true});
  return out;
}

std::vector<std::string> ClassificationTask::position_labels(const std::vector<std::string>& tokens) const {
  if (data_.pool != "cls") return tokens;
  std::vector<std::string> out{"<cls>"};
  out.insert(out.end(), tokens.begin(), tokens.end());
  return out;
}

AttendItem ClassificationTask::attend(models::Model& model, const AttendInput& input,
                                      const models::DecodeOptions& /*nothing is decoded*/) const {
  std::vector<int32_t> values = input_ids(input.text);
  ATTN_CHECK(!values.empty(), data, "input ", input.index, " has no tokens");
  const Ids ids{{1, static_cast<int64_t>(values.size())}, std::move(values)};
  models::AttentionRecorder recorder;
  Tensor logits;
  {
    NoGradGuard no_grad;
    EvalModeScope eval_mode(model);
    RecordingScope recording(model, &recorder);
    logits = encoder(model).forward(ids, {static_cast<int32_t>(ids.values.size())}).value();
  }
  const auto [label, probability] = top_class(logits.data(), static_cast<int64_t>(labels_.size()));
  const std::vector<std::string> seen = input_positions(ids.values);
  const std::vector<std::string> positions = position_labels(seen);
  AttendItem item;
  for (models::AttentionMap& map : recorder.maps) {
    const bool pooling = map.kind == "pooling";
    item.maps.push_back({std::move(map), pooling ? std::vector<std::string>{"<pool>"} : positions, positions, {}});
  }
  nlohmann::ordered_json prediction{{"label", labels_[label]}, {"probability", std::round(probability * 1e6) / 1e6}};
  prediction["reference"] = input.reference ? nlohmann::ordered_json(*input.reference) : nlohmann::ordered_json();
  item.fields = {{"index", input.index},      {"source", input.text},
                 {"source_tokens", seen},     {"output_tokens", {labels_[label]}},
                 {"output", labels_[label]},  {"prediction", prediction}};
  add_input_fields(ids.values, item.fields);
  add_derived_maps(item.maps);
  return item;
}

}  // namespace attn::tasks
