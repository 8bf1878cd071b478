#include "experiment/config.h"

#include "experiment/atomic_file.h"
#include "experiment/config_schema.h"

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

void validate(const TrainConfig& c) {
  auto fail = [](const std::string& message) { throw Error(ErrorKind::config, "invalid config: " + message); };
  const bool synthetic = c.task != Task::translate;
  if (c.max_steps == 0 && c.epochs == 0)
    fail("max_steps=0 and epochs=0: training would never stop; set one of them");
  if (synthetic && c.eval_long_len <= c.max_len)
    fail("eval_long_len=" + std::to_string(c.eval_long_len) + " must exceed max_len=" + std::to_string(c.max_len));
  if (c.attention == AttentionKind::none && c.arch != Arch::rnn)
    fail("attention=none (the no-attention baseline) needs arch=rnn, got arch=" +
         std::string(enum_name(c.arch)));
  if (c.attention == AttentionKind::linear && c.arch != Arch::transformer)
    fail("attention=linear (multi-head linear attention) needs arch=transformer, got arch=" +
         std::string(enum_name(c.arch)));
  if (c.arch == Arch::transformer && c.width % c.heads != 0)
    fail("width=" + std::to_string(c.width) + " is not divisible by heads=" + std::to_string(c.heads));
  if (c.nesterov && (c.optimizer != OptimizerKind::sgd || c.momentum == 0.0))
    fail("nesterov=true needs optimizer=sgd with momentum > 0, got optimizer=" +
         std::string(enum_name(c.optimizer)) + " momentum=" + format_value(c.momentum));
  if (c.min_lr > c.lr)
    fail("min_lr=" + format_value(c.min_lr) + " exceeds lr=" + format_value(c.lr));
  if (c.early_stop_metric.empty()) fail("early_stop_metric is empty (use auto for the task's main metric)");
}

}  // namespace attn::experiment
