// A task turns a dataset into examples, batches, a loss, metrics and what `attn attend`
// shows; a model family (models/) owns the arithmetic. Task families, one file each:
//   seq2seq_task.h         translate and the synthetic copy/reverse/sort/add (encoder–decoder)
//   classification_task.h  classify (text datasets), the synthetic find and image (encoder model)
//   forecast_task.h        forecast: a time series, one window of past values in, values ahead out
// The experiment level (trainer, eval, attend, records) knows a task only through this
// interface: adding a family adds files, not branches. Tasks know nothing about files
// written by a run; the experiment level does that.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/batcher.h"
#include "data/types.h"
#include "metrics/alignment.h"
#include "models/decoding.h"
#include "models/model.h"
#include "models/model_options.h"

namespace attn::tasks {

struct TaskOptions {
  std::string task = "translate";  // translate | copy | reverse | sort | add | classify | find | image | forecast
  std::string dataset = "auto";    // translate, classify: the dataset (auto = the family's bundled sample)
  std::string data_root;           // empty = data::default_data_root()
  // translate: auto (the dataset's own) | char | space | word
  std::string src_tokenizer = "auto", tgt_tokenizer = "auto";
  int64_t vocab_min_freq = 1;
  int64_t max_vocab = 0;    // 0 = every training token
  int64_t train_limit = 0;  // 0 = every training pair
  int64_t max_src_len = 0;  // classify: keep the first N input tokens (0 = all)
  std::string pool = "attention";  // classification: the model's pooling (evidence needs weights)
  int64_t patch = 4;               // image: side of the square patches
  bool augment = false;            // image: random 2-pixel shifts and horizontal flips in training
  // forecast (tasks/forecast_task.h)
  std::string series_file;         // a CSV series instead of the dataset
  int64_t context = 20, horizon = 1;
  std::string scaling = "standard";  // standard | minmax
  int64_t season = 0;              // 0 = none
  int64_t ar_order = 9;            // 0 = no AR baseline
  // synthetic
  int64_t max_len = 10;         // training lengths 1..max_len
  int64_t eval_long_len = 20;   // length generalisation: max_len+1..eval_long_len
  int64_t num_symbols = 10;
  int64_t train_size = 20000;
  int64_t eval_size = 500;
  uint64_t seed = 1;
};

// A metric a task reports, and which way is better: drives early stopping, report
// sorting and the --fail-under gate, and is stored in the run record.
struct MetricInfo {
  std::string name;
  bool lower_is_better = false;
};

// One evaluation set of a split: the split itself (suffix ""), or e.g. its longer
// sequences for length generalisation (suffix "_long", appended to metric names).
struct EvalSet {
  std::string suffix;
  std::vector<data::TextPair> pairs;  // seq2seq: source, target; classify: text, label
};

struct EvalOptions {
  models::DecodeOptions decode;  // used by tasks that decode (Task::decodes())
  int64_t batch_size = 64;
};

struct Evaluation {
  std::map<std::string, double> metrics;  // e.g. per, wer / accuracy, macro_f1, f1_spam
  nlohmann::ordered_json details = nlohmann::ordered_json::object();  // non-scalar results, e.g. confusion_matrix
  std::vector<std::vector<std::string>> predictions;  // one row per example, Task::prediction_columns()
};

// One input of `attn attend`; reference is known when it comes from a split.
struct AttendInput {
  int64_t index = 0;
  std::string text;
  std::optional<std::string> reference;
};

// A recorded map with the labels of its query and key positions.
struct LabeledMap {
  models::AttentionMap map;
  std::vector<std::string> query_tokens, key_tokens;
  // Decoder maps: the token each query row's step predicts (a row is labelled by its
  // input token, which reads as the wrong step); empty for other maps.
  std::vector<std::string> query_predicts;
};

// Where a task knows which positions a map should attend to (`attn analyze`): the kind of
// map the links score ("decoder_cross": rows are decoder steps, row i predicting target token
// i, keys the source tokens; "pooling": the one pooling row over the input positions) and the
// links. An empty kind: nothing is known for this example.
struct TrueAlignment {
  std::string kind;
  std::vector<metrics::AlignmentLink> links;
};

struct AttendItem {
  nlohmann::ordered_json fields;  // index, source, source_tokens, output_tokens, output, prediction…
  std::vector<LabeledMap> maps;
};

class Task {
 public:
  virtual ~Task() = default;
  const std::string& name() const { return name_; }
  const std::string& dataset_name() const { return dataset_name_; }
  // sha256 over the loaded splits: what the run actually trained on.
  const std::string& dataset_checksum() const { return checksum_; }

  // The model family this task trains, sized for its data (vocabularies, classes).
  virtual std::unique_ptr<models::Model> build_model(models::ModelOptions options) const = 0;
  // What a run saves to be read back later (vocabularies, label set): compared by the loader.
  virtual nlohmann::json state() const = 0;

  virtual const std::vector<data::EncodedPair>& train_examples() const = 0;
  // Training loss of a batch (label smoothing where the task has it).
  virtual Var loss(models::Model& model, const data::Batch& batch, float label_smoothing) const = 0;
  // Throughput: what a batch counts in `unit` ("target_tokens", "examples").
  virtual int64_t batch_work(const data::Batch& batch) const = 0;
  virtual std::string throughput_unit() const = 0;

  // Sets of a split, each scored separately (metric names get the set's suffix).
  virtual std::vector<EvalSet> eval_sets(data::Split split) const = 0;
  // Mean per-unit loss of a set without a tape (no smoothing): the validation "loss".
  virtual double mean_loss(models::Model& model, const EvalSet& set, int64_t batch_size) const = 0;
  virtual Evaluation evaluate(models::Model& model, const EvalSet& set, const EvalOptions& options) const = 0;
  // The set's examples as the model reads them, in the set's order (Batcher input): what
  // `attn analyze` runs one at a time through loss(), so no map has padding.
  virtual std::vector<data::EncodedPair> examples(const EvalSet& set) const = 0;
  // The example's true alignment, where the task knows one (synthetic copy/reverse/sort, find).
  virtual TrueAlignment true_alignment(const data::TextPair& /*pair*/) const { return {}; }
  // The metrics evaluate() reports for one set, without suffix; the first is the default
  // early-stopping metric.
  virtual std::vector<MetricInfo> metrics() const = 0;
  virtual std::vector<std::string> prediction_columns() const = 0;
  // Whether evaluation decodes (beam, length penalty and max length apply).
  virtual bool decodes() const = 0;

  // Runs one input with the model's recorder on: every attention map, labelled.
  virtual AttendItem attend(models::Model& model, const AttendInput& input,
                            const models::DecodeOptions& decode) const = 0;

  std::string primary_metric() const { return metrics().front().name; }
  // Every metric an evaluation of `split` reports with its set's suffix, "loss" first.
  std::vector<MetricInfo> metric_infos(data::Split split) const;
  std::vector<std::string> metric_names(data::Split split) const;
  // Called before each batch of mean_loss and evaluate with how many of the pass's examples
  // are done and how many it has (how `attn train` shows progress of a long validation). It
  // may throw to abandon the pass (the model is then left in evaluation mode): how `attn
  // train` stops promptly on a signal during validation.
  void set_batch_hook(std::function<void(int64_t done, int64_t total)> hook) { batch_hook_ = std::move(hook); }

 protected:
  void set_identity(std::string name, std::string dataset, const std::vector<std::vector<data::TextPair>>& splits);
  // For data the pairs only refer to (images): the checksum of the data itself.
  void set_identity(std::string name, std::string dataset, std::string checksum);
  void before_batch(int64_t done, int64_t total) const {
    if (batch_hook_) batch_hook_(done, total);
  }

 private:
  std::string name_, dataset_name_, checksum_;
  std::function<void(int64_t, int64_t)> batch_hook_;
};

// The registry: builds the task named by options.task.
std::unique_ptr<Task> make_task(const TaskOptions& options);

}  // namespace attn::tasks
