// TrainConfig: every option of `attn train` as a typed field, and the ways a
// config is built: from JSON (a --config file, a run's config.json), from
// "key=value" strings (--set, flags) and back to JSON (saved with the run).
// Precedence, applied by the caller in this order: defaults < file < flags < --set.
// The keys, their types, defaults, ranges and help live in one table
// (config_schema.cpp); the defaults are changed there and nowhere else.
// What does not belong here: run-control flags that do not change results
// (--out, --resume, --quiet, --json) are the train command's own.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "experiment/json_file.h"
#include "kernels/precision.h"

namespace attn::experiment {

// Each enum's names, in enumerator order, are its config spellings (EnumNames below).
enum class Task { translate, copy, reverse, sort, add, classify, find, image, forecast };
enum class Dataset {
  automatic, g2p_sample, g2p, bible_es_en, spam_sample, spam, fashion_mnist_sample, fashion_mnist, sunspots, co2
};
enum class Tokenizer { automatic, chars, spaces, words };
enum class Arch { transformer, rnn };
enum class NormPlacement { pre, post };
enum class Positions { sinusoidal, learned };
enum class RnnCell { lstm, gru };
enum class AttentionKind { dot, scaled_dot, general, additive, cosine, linear, none };
enum class Normalizer { softmax, sparsemax, hard };
enum class Pool { attention, cls, mean, max, last };
enum class Scaling { standard, minmax };
enum class OptimizerKind { sgd, adam, adamw };
enum class Schedule { constant, inverse_sqrt, cosine };

template <typename E>
struct EnumNames;
#define ATTN_ENUM_NAMES(E, ...)                                          \
  template <>                                                            \
  struct EnumNames<E> {                                                  \
    static constexpr std::array names{__VA_ARGS__};                      \
  }
ATTN_ENUM_NAMES(Task, "translate", "copy", "reverse", "sort", "add", "classify", "find", "image", "forecast");
ATTN_ENUM_NAMES(Dataset, "auto", "g2p-sample", "g2p", "bible-es-en", "spam-sample", "spam", "fashion-mnist-sample",
                "fashion-mnist", "sunspots", "co2");
ATTN_ENUM_NAMES(Tokenizer, "auto", "char", "space", "word");  // data::tokenizer_name spellings
ATTN_ENUM_NAMES(Arch, "transformer", "rnn");
ATTN_ENUM_NAMES(NormPlacement, "pre", "post");
ATTN_ENUM_NAMES(Positions, "sinusoidal", "learned");
ATTN_ENUM_NAMES(RnnCell, "lstm", "gru");
ATTN_ENUM_NAMES(AttentionKind, "dot", "scaled_dot", "general", "additive", "cosine", "linear", "none");
ATTN_ENUM_NAMES(Normalizer, "softmax", "sparsemax", "hard");
ATTN_ENUM_NAMES(Pool, "attention", "cls", "mean", "max", "last");
ATTN_ENUM_NAMES(Scaling, "standard", "minmax");
ATTN_ENUM_NAMES(OptimizerKind, "sgd", "adam", "adamw");
ATTN_ENUM_NAMES(Schedule, "constant", "inverse_sqrt", "cosine");
ATTN_ENUM_NAMES(kernels::Precision, "fp32", "bf16");
#undef ATTN_ENUM_NAMES

// The config spelling of an enum value: enum_name(Dataset::g2p_sample) == "g2p-sample".
template <typename E>
constexpr std::string_view enum_name(E value) {
  return EnumNames<E>::names[static_cast<size_t>(value)];
}

// The tasks of the classification family (the encoder model, pooling, classification metrics).
constexpr bool is_classification(Task t) { return t == Task::classify || t == Task::find || t == Task::image; }
// The tasks that train the encoder model, and so pool: the classifiers and forecast.
constexpr bool uses_encoder_model(Task t) { return is_classification(t) || t == Task::forecast; }

// Field meanings are the help texts of config_schema.cpp (also `attn train --help`).
// Default-constructed = the schema's defaults.
struct TrainConfig {
  TrainConfig();

  // task and data
  Task task;
  Dataset dataset;
  std::string data_dir;
  Tokenizer src_tokenizer;
  Tokenizer tgt_tokenizer;
  int64_t max_vocab;
  int64_t train_limit;
  int64_t max_src_len;
  int64_t patch;
  bool augment;
  std::string series_file;
  int64_t context;
  int64_t horizon;
  Scaling scaling;
  int64_t season;
  int64_t ar_order;
  int64_t max_len;
  int64_t eval_long_len;
  int64_t synth_vocab;
  int64_t synth_train_size;
  int64_t synth_eval_size;
  // model
  Arch arch;
  int64_t enc_layers;
  int64_t dec_layers;
  int64_t width;
  int64_t heads;
  int64_t ff_width;
  double dropout;
  NormPlacement norm;
  Positions positions;
  bool scale_embeddings;
  bool tie_embeddings;
  RnnCell rnn_cell;
  int64_t rnn_hidden;
  int64_t embed_width;
  Pool pool;
  bool causal;
  int64_t highway;
  // attention
  AttentionKind attention;
  Normalizer normalizer;
  int64_t window;
  int64_t attn_width;
  // optimizer
  OptimizerKind optimizer;
  double lr;
  double min_lr;
  double momentum;
  bool nesterov;
  double beta1;
  double beta2;
  double eps;
  double weight_decay;
  Schedule schedule;
  int64_t warmup_steps;
  double clip_norm;
  // training
  int64_t max_steps;
  int64_t epochs;
  int64_t batch_size;
  double label_smoothing;
  int64_t max_decode_len;
  int64_t eval_every;
  std::string early_stop_metric;
  int64_t patience;
  int64_t checkpoint_every;
  int64_t seed;
  int64_t threads;
  kernels::Precision precision;
  int64_t log_every;

  bool operator==(const TrainConfig&) const = default;
};

// Every key with its value, in schema order (the resolved config of a run).
Json to_json(const TrainConfig& config);

// Applies the keys present in `object` over `config`. Throws Error kind config
// "<source>: unknown key 'lrate' (did you mean 'lr'?)", or naming the key, the
// value and what was expected for a wrong type or an out-of-range value.
void apply_json(TrainConfig& config, const Json& object, const std::string& source);

// A config from a JSON file: defaults, then the file's keys. Malformed JSON is
// Error kind config with the parser's line and column; a missing file is io.
TrainConfig load_config_file(const std::filesystem::path& path);

// Applies one "key=value" (the --set syntax; value parsed by the key's type).
void apply_set(TrainConfig& config, std::string_view assignment);
// Applies one value given as text (a flag's argument); `source` prefixes errors.
void apply_value(TrainConfig& config, std::string_view key, std::string_view value,
                 const std::string& source);

// Cross-key rules (e.g. width divisible by heads, nesterov needs momentum).
// Throws Error kind config naming the keys and values.
void validate(const TrainConfig& config);

}  // namespace attn::experiment
