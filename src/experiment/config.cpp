#include "experiment/config.h"

#include <algorithm>

#include "experiment/atomic_file.h"
#include "experiment/config_schema.h"
#include "models/model_options.h"

namespace attn::experiment {

namespace {

const ConfigKey& known_key(std::string_view key, const std::string& source) {
  const ConfigKey* k = find_config_key(key);
  if (!k) {
    std::string hint = suggest_config_key(key);
    throw Error(ErrorKind::config, source + ": unknown key '" + std::string(key) + "'" +
                                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  return *k;
}

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorKind::config, "invalid config: " + message); }

bool is_seq2seq_synthetic(Task t) { return t == Task::copy || t == Task::reverse || t == Task::sort || t == Task::add; }

// The Transformer's positions (sinusoidal or learned) stop at max_positions. A
// synthetic example of length L (add: L digits per operand, "a+b" -> sum) fills
// an encoder input of L tokens (add: 2L+1) and a decoder input of <bos> + target
// (add: L+1 digits). Evaluation reaches L = eval_long_len, after all the training,
// so a setting beyond the limit is refused here, before the run starts. A classifier
// reads at most max_src_len tokens (find: max_len), plus its <cls> slot.
void check_positions(const TrainConfig& c) {
  if (c.arch != Arch::transformer) return;
  const int64_t limit = models::ModelOptions{}.max_positions;
  if (c.max_decode_len > limit)
    fail("max_decode_len=" + std::to_string(c.max_decode_len) + " exceeds the Transformer's max_positions " +
         std::to_string(limit));
  if (c.task == Task::image) return;  // the patch embedding has its own positions, one per patch
  if (c.task == Task::forecast) {
    if (c.context > limit)
      fail("context=" + std::to_string(c.context) + " exceeds the Transformer's max_positions " +
           std::to_string(limit) + " (or use arch=rnn)");
    return;
  }
  if (is_classification(c.task)) {
    const bool find = c.task == Task::find;
    const int64_t tokens = (find ? c.max_len : c.max_src_len) + (c.pool == Pool::cls ? 1 : 0);
    if (tokens > limit)
      fail(std::string(find ? "max_len=" + std::to_string(c.max_len) : "max_src_len=" + std::to_string(c.max_src_len)) +
           (c.pool == Pool::cls ? " plus the <cls> token" : "") + " exceeds the Transformer's max_positions " +
           std::to_string(limit) + " (or use arch=rnn)");
    return;
  }
  if (!is_seq2seq_synthetic(c.task)) return;
  const bool add = c.task == Task::add;
  const auto positions = [&](int64_t len) { return add ? std::max(2 * len + 1, len + 2) : len + 1; };
  const int64_t longest = add ? (limit - 1) / 2 : limit - 1;  // the largest len with positions(len) <= limit
  if (positions(c.eval_long_len) <= limit) return;
  const std::string keys = (c.max_len > longest ? "max_len=" + std::to_string(c.max_len) + " and " : std::string()) +
                           "eval_long_len=" + std::to_string(c.eval_long_len);
  fail(keys + ": " + std::string(enum_name(c.task)) + " sequences would need up to " +
       std::to_string(positions(c.eval_long_len)) + " positions, beyond the Transformer's max_positions " +
       std::to_string(limit) + "; keep them at most " + std::to_string(longest) + " (or use arch=rnn)");
}

// The attention flags are independent of the architecture only where the
// architecture has a use for them; a value that would be silently ignored is refused.
void check_attention(const TrainConfig& c) {
  const std::string arch(enum_name(c.arch)), attention(enum_name(c.attention)), norm(enum_name(c.normalizer));
  const bool pools = uses_encoder_model(c.task);
  if (c.attention == AttentionKind::none && c.arch != Arch::rnn)
    fail("attention=none (the no-attention baseline) needs arch=rnn, got arch=" + arch);
  if (c.task == Task::forecast && c.pool == Pool::cls)
    fail("pool=cls is not supported with task=forecast (a series has no <cls> step); use pool=attention, mean, max "
         "or last");
  if (pools && c.pool == Pool::attention &&
      (c.attention == AttentionKind::none || c.attention == AttentionKind::linear))
    fail("pool=attention needs an attention score that gives weights, got attention=" + attention +
         "; use pool=mean, max or cls");
  if (c.attention == AttentionKind::linear && c.arch != Arch::transformer)
    fail("attention=linear needs arch=transformer, got arch=" + arch +
         ": attn implements linear attention (a feature map instead of normalised scores) only in the "
         "Transformer's multi-head attention; the RNN's attention normalises one score per source position");
  if ((c.attention == AttentionKind::linear || c.attention == AttentionKind::none) && c.normalizer != Normalizer::softmax)
    fail("normalizer=" + norm + " has no effect with attention=" + attention +
         (c.attention == AttentionKind::linear ? " (a feature map replaces the normalised scores)" : "") +
         "; drop normalizer");
  if (c.attention == AttentionKind::linear && c.window > 0)
    fail("window=" + std::to_string(c.window) + " has no effect with attention=linear (it has no local window)");
  if (c.arch == Arch::rnn && c.heads != TrainConfig().heads)
    fail("heads=" + std::to_string(c.heads) + " has no effect with arch=rnn (its attention has a single head); "
         "drop heads or use arch=transformer");
  if (c.arch == Arch::rnn && c.window > 0)
    fail("window=" + std::to_string(c.window) + " has no effect with arch=rnn (its attention sees the whole "
         "source); drop window or use arch=transformer");
  if (c.arch == Arch::transformer && c.width % c.heads != 0)
    fail("width=" + std::to_string(c.width) + " is not divisible by heads=" + std::to_string(c.heads));
}

}  // namespace

TrainConfig::TrainConfig() {
  for (const ConfigKey& k : config_schema()) k.set(*this, k.default_value);
}

Json to_json(const TrainConfig& config) {
  Json out = Json::object();
  for (const ConfigKey& k : config_schema())
    std::visit([&](const auto& v) { out[k.key] = v; }, k.get(config));
  return out;
}

void apply_json(TrainConfig& config, const Json& object, const std::string& source) {
  if (!object.is_object())
    throw Error(ErrorKind::config, source + ": a config must be a JSON object of \"key\": value pairs, got " +
                                       std::string(object.type_name()));
  for (auto it = object.begin(); it != object.end(); ++it) {
    const ConfigKey& k = known_key(it.key(), source);
    k.set(config, parse_config_json(k, it.value(), source));
  }
}

TrainConfig load_config_file(const std::filesystem::path& path) {
  TrainConfig config;
  apply_json(config, read_json_file(path, ErrorKind::config), path.string());
  return config;
}

void apply_value(TrainConfig& config, std::string_view key, std::string_view value,
                 const std::string& source) {
  const ConfigKey& k = known_key(key, source);
  k.set(config, parse_config_text(k, value, ErrorKind::config, source));
}

void apply_set(TrainConfig& config, std::string_view assignment) {
  const std::string source = "--set " + std::string(assignment);
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw Error(ErrorKind::config, source + ": expected key=value");
  apply_value(config, assignment.substr(0, eq), assignment.substr(eq + 1), source);
}

namespace {
// A key set where it has no effect (ConfigKey::tasks, archs) would be silently ignored.
void check_key_scope(const TrainConfig& c) {
  const std::string task(enum_name(c.task)), arch(enum_name(c.arch));
  const auto has = [](const std::vector<std::string>& list, const std::string& x) {
    return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
  };
  const auto join = [](const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& x : list) out += (out.empty() ? "" : "|") + x;
    return out;
  };
  for (const ConfigKey& k : config_schema()) {
    if (k.get(c) == k.default_value) continue;
    const std::string set = k.key + "=" + format_value(k.get(c));
    if (!has(k.tasks, task))
      fail(set + " has no effect with task=" + task + " (it applies to task=" + join(k.tasks) + "); drop " + k.key);
    if (!has(k.archs, arch))
      fail(set + " has no effect with arch=" + arch + " (" + k.help + "); drop " + k.key + " or use arch=" +
           join(k.archs));
  }
  if (c.attn_width > 0 && c.attention != AttentionKind::additive)
    fail("attn_width=" + std::to_string(c.attn_width) + " has no effect with attention=" +
         std::string(enum_name(c.attention)) + " (it sizes additive attention only); drop attn_width");
}
}  // namespace

void validate(const TrainConfig& c) {
  if (c.max_steps == 0 && c.epochs == 0)
    fail("max_steps=0 and epochs=0: training would never stop; set one of them");
  if (is_seq2seq_synthetic(c.task) && c.eval_long_len <= c.max_len)
    fail("eval_long_len=" + std::to_string(c.eval_long_len) + " must exceed max_len=" + std::to_string(c.max_len));
  check_positions(c);
  check_attention(c);
  check_key_scope(c);
  if (c.nesterov && (c.optimizer != OptimizerKind::sgd || c.momentum == 0.0))
    fail("nesterov=true needs optimizer=sgd with momentum > 0, got optimizer=" +
         std::string(enum_name(c.optimizer)) + " momentum=" + format_value(c.momentum));
  if (c.min_lr > c.lr)
    fail("min_lr=" + format_value(c.min_lr) + " exceeds lr=" + format_value(c.lr));
  if (c.early_stop_metric.empty()) fail("early_stop_metric is empty (use auto for the task's main metric)");
}

}  // namespace attn::experiment
