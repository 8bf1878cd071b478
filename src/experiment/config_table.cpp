// The config keys of `attn train`: THE place where defaults, ranges and help live.
// The defaults are chosen so that `attn train` with no arguments trains a small
// Transformer on the bundled G2P sample within about two minutes on two cores.
#include <limits>

#include "experiment/config_schema.h"

namespace attn::experiment {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Range {
  double min, max;
  bool min_open = false, max_open = false;
};
constexpr Range at_least(double min) { return {min, kInf}; }
constexpr Range between(double min, double max) { return {min, max}; }
constexpr Range positive(double max = kInf) { return {0, max, true, false}; }
constexpr Range fraction{0, 1, false, true};  // [0, 1)

ConfigKey base(std::string key, std::string group, KeyType type, ConfigValue def, std::string help) {
  ConfigKey k;
  k.key = std::move(key);
  k.group = std::move(group);
  k.type = type;
  k.default_value = std::move(def);
  k.help = std::move(help);
  return k;
}

void set_range(ConfigKey& k, Range r) {
  k.has_range = true;
  k.min = r.min;
  k.max = r.max;
  k.min_open = r.min_open;
  k.max_open = r.max_open;
}

ConfigKey integer(std::string key, std::string group, int64_t TrainConfig::*field, int64_t def,
                  Range range, std::string help) {
  ConfigKey k = base(std::move(key), std::move(group), KeyType::integer, def, std::move(help));
  set_range(k, range);
  k.get = [field](const TrainConfig& c) { return ConfigValue(c.*field); };
  k.set = [field](TrainConfig& c, const ConfigValue& v) { c.*field = std::get<int64_t>(v); };
  return k;
}

ConfigKey real(std::string key, std::string group, double TrainConfig::*field, double def, Range range,
               std::string help) {
  ConfigKey k = base(std::move(key), std::move(group), KeyType::real, def, std::move(help));
  set_range(k, range);
  k.get = [field](const TrainConfig& c) { return ConfigValue(c.*field); };
  k.set = [field](TrainConfig& c, const ConfigValue& v) { c.*field = std::get<double>(v); };
  return k;
}

ConfigKey boolean(std::string key, std::string group, bool TrainConfig::*field, bool def, std::string help) {
  ConfigKey k = base(std::move(key), std::move(group), KeyType::boolean, def, std::move(help));
  k.get = [field](const TrainConfig& c) { return ConfigValue(c.*field); };
  k.set = [field](TrainConfig& c, const ConfigValue& v) { c.*field = std::get<bool>(v); };
  return k;
}

ConfigKey text(std::string key, std::string group, std::string TrainConfig::*field, std::string def,
               std::string help) {
  ConfigKey k = base(std::move(key), std::move(group), KeyType::text, std::move(def), std::move(help));
  k.get = [field](const TrainConfig& c) { return ConfigValue(c.*field); };
  k.set = [field](TrainConfig& c, const ConfigValue& v) { c.*field = std::get<std::string>(v); };
  return k;
}

template <typename E>
ConfigKey choice(std::string key, std::string group, E TrainConfig::*field, E def, std::string help) {
  ConfigKey k = base(std::move(key), std::move(group), KeyType::choice, std::string(enum_name(def)),
                     std::move(help));
  for (std::string_view n : EnumNames<E>::names) k.choices.emplace_back(n);
  k.get = [field](const TrainConfig& c) { return ConfigValue(std::string(enum_name(c.*field))); };
  k.set = [field](TrainConfig& c, const ConfigValue& v) {
    const auto& names = EnumNames<E>::names;
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == std::get<std::string>(v)) c.*field = static_cast<E>(i);
  };
  return k;
}

// Where a key has an effect (ConfigKey::tasks, archs).
const std::vector<std::string> kSeq2Seq{"translate", "copy", "reverse", "sort", "add"};
const std::vector<std::string> kEncoderModel{"classify", "find", "image", "forecast"};
const std::vector<std::string> kDatasets{"translate", "classify", "image", "forecast"};
const std::vector<std::string> kTokens{"translate", "copy", "reverse", "sort", "add", "classify", "find"};
const std::vector<std::string> kLabels{"translate", "copy", "reverse", "sort", "add", "classify", "find", "image"};
const std::vector<std::string> kForecast{"forecast"};
const std::vector<std::string> kTextDatasets{"translate", "classify"};

ConfigKey only(ConfigKey k, std::vector<std::string> tasks, std::vector<std::string> archs = {}) {
  k.tasks = std::move(tasks);
  k.archs = std::move(archs);
  return k;
}
ConfigKey only_arch(ConfigKey k, std::string arch) { return only(std::move(k), {}, {std::move(arch)}); }

std::vector<ConfigKey> build_schema() {
  using C = TrainConfig;
  return {
      // task and data
      choice("task", "task", &C::task, Task::translate,
             "what to learn: translate or classify (a dataset), a synthetic sequence task, find (synthetic "
             "classification with known evidence), image (image classification over patches), or forecast (a time "
             "series, values ahead from a window of past values)"),
      only(choice("dataset", "task", &C::dataset, Dataset::automatic,
                  "translate: the bundled G2P sample, full CMUdict G2P, or Spanish->English Bible verses; classify: "
                  "the bundled SpamAssassin sample or the full corpus; image: the bundled Fashion-MNIST sample or the full "
                  "set; forecast: yearly sunspots 1700-2008, embedded, or weekly Mauna Loa CO2 1958-2001 (prepared) "
                  "(auto = the task's bundled sample)"),
           kDatasets),
      text("data_dir", "task", &C::data_dir, "",
           "root of prepared datasets (empty = $ATTN_DATA_DIR, else datasets/prepared of the source tree)"),
      only(choice("src_tokenizer", "task", &C::src_tokenizer, Tokenizer::automatic,
                  "source (classify: input) tokens: characters, space-separated fields, words, or the dataset's "
                  "own (auto)"),
           kTextDatasets),
      only(choice("tgt_tokenizer", "task", &C::tgt_tokenizer, Tokenizer::automatic,
                  "target tokens: characters, space-separated fields, words, or the dataset's own (auto)"),
           {"translate"}),
      only(integer("max_vocab", "task", &C::max_vocab, 0, at_least(0),
                   "keep the most frequent tokens of the training split, the rest become unknown (0 = all)"),
           kTextDatasets),
      only(integer("train_limit", "task", &C::train_limit, 0, at_least(0),
                   "use only the first N training pairs (image: images) (0 = all)"),
           kDatasets),
      only(integer("max_src_len", "task", &C::max_src_len, 256, between(1, 100000),
                   "classify: keep the first N tokens of each text"),
           {"classify"}),
      only(integer("patch", "task", &C::patch, 4, between(1, 1024),
                   "image: side of the square non-overlapping patches; must divide the image side (28: 1, 2, 4, 7, "
                   "14, 28)"),
           {"image"}),
      only(boolean("augment", "task", &C::augment, false,
                   "image: each training image shifted by up to 2 pixels (a random crop of the image padded by 2) "
                   "and flipped left-right half of the time, drawn from the seed and step"),
           {"image"}),
      only(text("series_file", "task", &C::series_file, "",
                "forecast: a CSV series (a value, or time,value, per line; a header line allowed) instead of the "
                "dataset, split 70/15/15 % in time order"),
           kForecast),
      only(integer("context", "task", &C::context, 20, between(1, 10000),
                   "forecast: past values the model sees (the input window)"),
           kForecast),
      only(integer("horizon", "task", &C::horizon, 1, between(1, 1000),
                   "forecast: values predicted at once from each window, by a vector head (not rolled); metrics "
                   "score every step ahead"),
           kForecast),
      only(choice("scaling", "task", &C::scaling, Scaling::standard,
                  "forecast: values scaled by the training span's mean and std (standard) or min and max (minmax), "
                  "undone for metrics"),
           kForecast),
      only(integer("season", "task", &C::season, 0, at_least(0),
                   "forecast: season length in steps: adds the seasonal naive baseline and scales MASE by the "
                   "in-sample seasonal naive error (0 = none)"),
           kForecast),
      only(integer("ar_order", "task", &C::ar_order, 9, between(0, 1000),
                   "forecast: order p of the least-squares AR(p) baseline (0 = none)"),
           kForecast),
      only(integer("max_len", "task", &C::max_len, 10, between(1, 10000),
                   "synthetic tasks: longest training sequence, 1 .. max_len (add: digits per operand; find: 2 .. "
                   "max_len)"),
           {"copy", "reverse", "sort", "add", "find"}),
      only(integer("eval_long_len", "task", &C::eval_long_len, 20, between(2, 10000),
                   "synthetic sequence tasks: also evaluate on lengths max_len+1 .. this (length generalisation)"),
           {"copy", "reverse", "sort", "add"}),
      only(integer("synth_vocab", "task", &C::synth_vocab, 10, between(2, 26),
                   "synthetic tasks: alphabet size of copy/reverse/sort/find (add always uses digits)"),
           {"copy", "reverse", "sort", "find"}),
      only(integer("synth_train_size", "task", &C::synth_train_size, 10000, at_least(1),
                   "synthetic tasks: training examples per epoch"),
           {"copy", "reverse", "sort", "add", "find"}),
      only(integer("synth_eval_size", "task", &C::synth_eval_size, 500, at_least(1),
                   "synthetic tasks: examples per evaluation set"),
           {"copy", "reverse", "sort", "add", "find"}),
      // model
      choice("arch", "model", &C::arch, Arch::transformer,
             "the encoder (and decoder) architecture: a Transformer or a bidirectional RNN"),
      only_arch(integer("enc_layers", "model", &C::enc_layers, 2, between(1, 64), "transformer: encoder layers"),
                "transformer"),
      only(integer("dec_layers", "model", &C::dec_layers, 2, between(1, 64), "transformer: decoder layers"), kSeq2Seq,
           {"transformer"}),
      only_arch(integer("width", "model", &C::width, 64, between(1, 65536), "transformer: model width C"),
                "transformer"),
      integer("heads", "model", &C::heads, 4, between(1, 1024), "attention heads H (width must be divisible by heads)"),
      only_arch(integer("ff_width", "model", &C::ff_width, 256, between(1, 1 << 20), "transformer: feed-forward width"),
                "transformer"),
      real("dropout", "model", &C::dropout, 0.1, fraction, "dropout probability"),
      only_arch(choice("norm", "model", &C::norm, NormPlacement::pre,
                       "transformer: layer norm before or after each sublayer"),
                "transformer"),
      only_arch(choice("positions", "model", &C::positions, Positions::sinusoidal, "transformer: position encoding"),
                "transformer"),
      only(boolean("scale_embeddings", "model", &C::scale_embeddings, true,
                   "transformer: scale token embeddings by sqrt(width)"),
           kTokens, {"transformer"}),
      only(boolean("tie_embeddings", "model", &C::tie_embeddings, false,
                   "transformer: share the target embedding with the output projection"),
           kSeq2Seq, {"transformer"}),
      only_arch(choice("rnn_cell", "model", &C::rnn_cell, RnnCell::lstm, "rnn: recurrent cell (encoder is bidirectional)"),
                "rnn"),
      only_arch(integer("rnn_hidden", "model", &C::rnn_hidden, 128, between(1, 65536), "rnn: hidden width"), "rnn"),
      only_arch(integer("embed_width", "model", &C::embed_width, 64, between(1, 65536), "rnn: token embedding width"),
                "rnn"),
      only(choice("pool", "model", &C::pool, Pool::attention,
                  "classifiers, forecast: encoder states -> one vector: a learned query attending with the attention "
                  "score and normalizer, the state of a prepended cls token (not forecast), the mean or max over "
                  "positions, or the last position's state"),
           kEncoderModel),
      only(boolean("causal", "model", &C::causal, false,
                   "forecast, transformer: each step attends only to itself and earlier steps"),
           kForecast, {"transformer"}),
      only(integer("highway", "model", &C::highway, 0, between(0, 10000),
                   "forecast: a linear map of the window's last N values added to the head's outputs (the "
                   "autoregressive highway of LSTNet: the linear part a network does not have to learn; N <= "
                   "context; 0 = none)"),
           kForecast),
      // attention
      choice("attention", "attention", &C::attention, AttentionKind::scaled_dot,
             "attention score (none = rnn baseline whose decoder sees only the final encoder state)"),
      choice("normalizer", "attention", &C::normalizer, Normalizer::softmax, "scores -> weights"),
      integer("window", "attention", &C::window, 0, at_least(0),
              "attend only to keys within this distance (0 = all); image: to the patches within this many rows "
              "and columns on the patch grid, the cls slot to and from all"),
      integer("attn_width", "attention", &C::attn_width, 0, at_least(0),
              "additive attention hidden width (0 = the head width, the rnn width, or the pooled state width)"),
      // optimizer
      choice("optimizer", "optimizer", &C::optimizer, OptimizerKind::adam, "optimizer"),
      real("lr", "optimizer", &C::lr, 2e-3, positive(10), "peak learning rate"),
      real("min_lr", "optimizer", &C::min_lr, 0.0, at_least(0), "cosine schedule: final learning rate"),
      real("momentum", "optimizer", &C::momentum, 0.9, fraction, "sgd: momentum (0 = plain sgd)"),
      boolean("nesterov", "optimizer", &C::nesterov, false, "sgd: Nesterov momentum"),
      real("beta1", "optimizer", &C::beta1, 0.9, fraction, "adam/adamw: first-moment decay"),
      real("beta2", "optimizer", &C::beta2, 0.999, fraction, "adam/adamw: second-moment decay"),
      real("eps", "optimizer", &C::eps, 1e-8, positive(1), "adam/adamw: denominator epsilon"),
      real("weight_decay", "optimizer", &C::weight_decay, 0.0, at_least(0),
           "weight decay (L2 for sgd/adam, decoupled for adamw)"),
      choice("schedule", "optimizer", &C::schedule, Schedule::cosine,
             "learning-rate schedule after linear warmup"),
      integer("warmup_steps", "optimizer", &C::warmup_steps, 200, at_least(0), "linear warmup steps (more than max_steps: attn train warns)"),
      real("clip_norm", "optimizer", &C::clip_norm, 1.0, at_least(0), "clip the global gradient norm (0 = off)"),
      // training
      integer("max_steps", "training", &C::max_steps, 2500, at_least(0), "stop after this many steps (0 = no limit)"),
      integer("epochs", "training", &C::epochs, 0, at_least(0), "stop after this many epochs (0 = no limit)"),
      integer("batch_size", "training", &C::batch_size, 64, between(1, 1 << 20), "sequences per batch"),
      only(real("label_smoothing", "training", &C::label_smoothing, 0.1, fraction, "label smoothing of the loss"),
           kLabels),
      only(integer("max_decode_len", "training", &C::max_decode_len, 0, at_least(0),
                   "longest decoded output at evaluation (0 = twice the longest source + 10)"),
           kSeq2Seq),
      integer("eval_every", "training", &C::eval_every, 250, at_least(0), "validate every N steps (0 = each epoch)"),
      text("early_stop_metric", "training", &C::early_stop_metric, "auto",
           "validation metric for best checkpoint and early stopping (auto = the task's main metric)"),
      integer("patience", "training", &C::patience, 0, at_least(0),
              "stop after N evaluations without improvement (0 = never stop early)"),
      integer("checkpoint_every", "training", &C::checkpoint_every, 0, at_least(0),
              "save the last checkpoint every N steps (0 = at each evaluation)"),
      integer("seed", "training", &C::seed, 1, at_least(0), "seed of every random stream"),
      integer("threads", "training", &C::threads, 0, between(0, 1024), "worker threads (0 = all cores)"),
      choice("precision", "training", &C::precision, kernels::Precision::fp32,
             "matrix products: fp32, or bf16 inputs with fp32 accumulation (needs AVX512-BF16)"),
      integer("log_every", "training", &C::log_every, 50, at_least(0),
              "append a metrics.jsonl line every N steps (0 = only at evaluations)"),
  };
}

}  // namespace

const std::vector<ConfigKey>& config_schema() {
  static const std::vector<ConfigKey> schema = build_schema();
  return schema;
}

}  // namespace attn::experiment
