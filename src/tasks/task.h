// A task turns a dataset into vocabularies, training examples, a loss and
// metrics. Every attn task is sequence-to-sequence: `translate` over a real
// parallel corpus, and the synthetic copy/reverse/sort/add. Tasks know nothing
// about files written by a run; the experiment level does that.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "data/tokenizer.h"
#include "data/types.h"
#include "data/vocab.h"
#include "models/decoding.h"
#include "models/seq2seq.h"
#include "ops/loss.h"

namespace attn::tasks {

struct TaskOptions {
  std::string task = "translate";      // translate | copy | reverse | sort | add
  std::string dataset = "g2p-sample";  // translate only
  std::string data_root;               // empty = data::default_data_root()
  // translate: auto (the dataset's own) | char | space | word
  std::string src_tokenizer = "auto", tgt_tokenizer = "auto";
  int64_t vocab_min_freq = 1;
  int64_t max_vocab = 0;    // 0 = every training token
  int64_t train_limit = 0;  // 0 = every training pair
  // synthetic
  int64_t max_len = 10;         // training lengths 1..max_len
  int64_t eval_long_len = 20;   // length generalisation: max_len+1..eval_long_len
  int64_t num_symbols = 10;
  int64_t train_size = 20000;
  int64_t eval_size = 500;
  uint64_t seed = 1;
};

struct Prediction {
  std::string source, reference, hypothesis;
};

struct Evaluation {
  std::map<std::string, double> metrics;  // e.g. per, wer / bleu, chrf / exact_match, token_accuracy
  std::vector<Prediction> predictions;
};

// One evaluation set of a split: "valid", or "valid_long" for length generalisation.
struct EvalSet {
  std::string name;
  std::vector<data::TextPair> pairs;
};

class Task {
 public:
  virtual ~Task() = default;
  const std::string& name() const { return name_; }
  const std::string& dataset_name() const { return dataset_name_; }
  // sha256 over the loaded train/valid/test pairs: what the run actually trained on.
  const std::string& dataset_checksum() const { return checksum_; }
  const data::Vocab& src_vocab() const { return src_vocab_; }
  const data::Vocab& tgt_vocab() const { return tgt_vocab_; }
  const std::vector<data::EncodedPair>& train_examples() const { return train_; }
  // Sets of a split, each scored separately (metric names get the set's suffix).
  virtual std::vector<EvalSet> eval_sets(data::Split split) const = 0;
  // The metric early stopping watches by default, and whether lower is better for a metric.
  virtual std::string primary_metric() const = 0;
  // Every metric an evaluation of `split` reports, with its set's suffix ("exact_match_long"),
  // known before any decoding: for checking a metric named on the command line up front.
  std::vector<std::string> metric_names(data::Split split) const;
  static bool lower_is_better(const std::string& metric);

  // Teacher-forced cross-entropy over a batch: padding ignored, optional label smoothing.
  Var loss(models::Seq2SeqModel& model, const data::Batch& batch, float label_smoothing) const;
  // Mean teacher-forced cross-entropy per target token (no smoothing), without a tape.
  double mean_loss(models::Seq2SeqModel& model, const std::vector<data::TextPair>& pairs,
                   int64_t batch_size = 64) const;
  // Decodes every pair and scores the hypotheses.
  Evaluation evaluate(models::Seq2SeqModel& model, const std::vector<data::TextPair>& pairs,
                      const models::DecodeOptions& decode, int64_t batch_size = 64) const;
  // Source text -> ids at the model's granularity (for attend), and back.
  std::vector<std::string> source_tokens(const std::string& text) const;
  std::vector<std::string> target_tokens(const std::string& text) const;
  std::string detokenize_target(const std::vector<std::string>& tokens) const;
  data::TokenizerKind src_tokenizer() const { return src_tokenizer_; }
  // Called before each batch of mean_loss and evaluate. It may throw to abandon the
  // pass (the model is then left in evaluation mode): how `attn train` stops
  // promptly on a signal during validation.
  void set_batch_hook(std::function<void()> hook) { batch_hook_ = std::move(hook); }

 protected:
  // Builds vocabularies and encodes the training split; called by subclasses' constructors.
  void set_data(std::string name, std::string dataset, const std::vector<data::TextPair>& train,
                const std::vector<std::vector<data::TextPair>>& all_splits, data::TokenizerKind src_tokenizer,
                data::TokenizerKind tgt_tokenizer, int64_t min_freq, int64_t max_vocab);
  // Scores hypotheses against references (both detokenized target text).
  virtual std::map<std::string, double> score(const std::vector<std::string>& hypotheses,
                                              const std::vector<std::string>& references) const = 0;

 private:
  std::string name_, dataset_name_, checksum_;
  data::TokenizerKind src_tokenizer_{}, tgt_tokenizer_{};
  data::Vocab src_vocab_, tgt_vocab_;
  std::vector<data::EncodedPair> train_;
  std::function<void()> batch_hook_;
};

// The registry: builds the task named by options.task.
std::unique_ptr<Task> make_task(const TaskOptions& options);
std::vector<std::string> task_names();

}  // namespace attn::tasks
