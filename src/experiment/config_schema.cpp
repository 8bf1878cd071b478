#include "experiment/config_schema.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "base/utf8.h"

namespace attn::experiment {

namespace {

const char* type_name(KeyType type) {
  switch (type) {
    case KeyType::integer: return "an integer";
    case KeyType::real: return "a float";
    case KeyType::boolean: return "a bool (true or false)";
    case KeyType::text: return "a string";
    case KeyType::choice: return "a string";
  }
  return "a value";
}

std::string quoted(std::string_view text) {
  std::string out(1, '\'');
  out.append(text);
  out.push_back('\'');
  return out;
}

std::string prefix(const std::string& source) { return source.empty() ? "" : source + ": "; }

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::trunc(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}


std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The closest of `candidates` to `word`, if close enough to be a plausible typo:
// one edit for words of up to 4 letters, two up to 8, three beyond (ignoring case).
// A looser bound offered 'norm' for 'foo'; a wrong suggestion is worse than none.
std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string lower = lowercase(word);
  const size_t limit = lower.size() <= 4 ? 1 : lower.size() <= 8 ? 2 : 3;
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    // The length difference bounds the distance from below: a long junk word costs nothing.
    if (std::max(lower.size(), c.size()) - std::min(lower.size(), c.size()) > limit) continue;
    size_t d = typo_distance(lower, lowercase(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= limit && best_distance < best.size() ? best : "";
}

// Names other tools use for attn's keys; edit distance cannot find these.
const std::vector<std::pair<std::string, std::string>>& key_synonyms() {
  static const std::vector<std::pair<std::string, std::string>> synonyms = {
      {"learning_rate", "lr"},      {"lrate", "lr"},             {"learningrate", "lr"},
      {"num_heads", "heads"},       {"n_heads", "heads"},        {"nhead", "heads"},
      {"num_attention_heads", "heads"}, {"d_model", "width"},    {"hidden_size", "width"},
      {"model_dim", "width"},       {"dim_feedforward", "ff_width"}, {"d_ff", "ff_width"},
      {"ffn_dim", "ff_width"},      {"intermediate_size", "ff_width"}, {"steps", "max_steps"},
      {"num_steps", "max_steps"},   {"train_steps", "max_steps"}, {"max_epochs", "epochs"},
      {"num_epochs", "epochs"},     {"batch", "batch_size"},     {"bs", "batch_size"},
      {"warmup", "warmup_steps"},   {"grad_clip", "clip_norm"},  {"max_grad_norm", "clip_norm"},
      {"gradient_clipping", "clip_norm"}, {"wd", "weight_decay"}, {"optim", "optimizer"},
      {"scheduler", "schedule"},    {"lr_schedule", "schedule"}, {"lr_scheduler", "schedule"},
      {"num_encoder_layers", "enc_layers"}, {"num_decoder_layers", "dec_layers"}, {"cell", "rnn_cell"},
      {"hidden", "rnn_hidden"},     {"num_threads", "threads"},  {"random_seed", "seed"},
      {"smoothing", "label_smoothing"}};
  return synonyms;
}

std::string did_you_mean(const std::string& suggestion) {
  return suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)";
}

// Range and choice checks shared by text and JSON input.
ConfigValue check_allowed(const ConfigKey& key, ConfigValue value, const std::string& shown,
                          ErrorKind kind, const std::string& source) {
  auto fail = [&](const std::string& expected, const std::string& hint = "") {
    throw Error(kind, prefix(source) + "key '" + key.key + "' must be " + expected + ", got " + shown + hint);
  };
  if (key.type == KeyType::choice) {
    const std::string& s = std::get<std::string>(value);
    if (std::find(key.choices.begin(), key.choices.end(), s) == key.choices.end())
      fail(describe_allowed(key), did_you_mean(closest(s, key.choices)));
  }
  if (key.has_range && (key.type == KeyType::integer || key.type == KeyType::real)) {
    double v = key.type == KeyType::integer ? static_cast<double>(std::get<int64_t>(value))
                                            : std::get<double>(value);
    bool low = key.min_open ? v <= key.min : v < key.min;
    bool high = key.max_open ? v >= key.max : v > key.max;
    if (low || high || std::isnan(v)) fail(describe_range(key));
  }
  return value;
}

}  // namespace

const ConfigKey* find_config_key(std::string_view key) {
  for (const ConfigKey& k : config_schema())
    if (k.key == key) return &k;
  return nullptr;
}

size_t typo_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}


std::string suggest_config_key(std::string_view unknown) {
  std::vector<std::string> keys;
  for (const ConfigKey& k : config_schema()) keys.push_back(k.key);
  // People type flags with dashes; the key itself is then the answer.
  std::string underscored(unknown);
  std::replace(underscored.begin(), underscored.end(), '-', '_');
  if (underscored != unknown && find_config_key(underscored)) return underscored;
  const std::string lower = lowercase(underscored);
  for (const auto& [synonym, key] : key_synonyms())
    if (lower == synonym) return key;
  return closest(underscored, keys);
}

std::string describe_range(const ConfigKey& key) {
  if (!key.has_range) return "";
  if (std::isinf(key.max)) return std::string(key.min_open ? "> " : ">= ") + format_number(key.min);
  return std::string("in ") + (key.min_open ? "(" : "[") + format_number(key.min) + ", " +
         format_number(key.max) + (key.max_open ? ")" : "]");
}

std::string describe_allowed(const ConfigKey& key) {
  std::string out;
  switch (key.type) {
    case KeyType::integer: out = "integer"; break;
    case KeyType::real: out = "float"; break;
    case KeyType::boolean: return "bool";
    case KeyType::text: return "string";
    case KeyType::choice: {
      out = "one of ";
      for (size_t i = 0; i < key.choices.size(); ++i) out += (i ? "|" : "") + key.choices[i];
      return out;
    }
  }
  return key.has_range ? out + " " + describe_range(key) : out;
}

std::string format_value(const ConfigValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else if constexpr (std::is_same_v<T, double>) return format_number(v);
        else if constexpr (std::is_same_v<T, int64_t>) return std::to_string(v);
        else return v;
      },
      value);
}

std::string config_keys_markdown() {
  std::string out =
      "## Config keys\n\n"
      "Every key can be set in a JSON file (`--config FILE`, an object of `\"key\": value`), as a flag\n"
      "(`--key value`, underscores written as dashes; a bool as `--key`, `--no-key` or `--key=false`) and with\n"
      "`--set key=value`. Precedence: file < flags < `--set`. Unknown keys are rejected with a\n"
      "suggestion. The resolved config is saved as the run's `config.json`.\n";
  std::string group;
  for (const ConfigKey& k : config_schema()) {
    if (k.group != group) {
      group = k.group;
      out += "\n### " + group + "\n\n| key | allowed | default | meaning |\n|---|---|---|---|\n";
    }
    std::string allowed = describe_allowed(k);
    std::replace(allowed.begin(), allowed.end(), '|', ',');  // a bare '|' would split the table cell
    out += "| `" + k.key + "` | " + allowed + " | `" + format_value(k.default_value) + "` | " + k.help + " |\n";
  }
  return out;
}

ConfigValue parse_config_text(const ConfigKey& key, std::string_view text, ErrorKind kind,
                              const std::string& source) {
  const std::string shown = quoted(text);
  auto wrong_type = [&]() {
    throw Error(kind, prefix(source) + "key '" + key.key + "' expects " + type_name(key.type) + ", got " + shown);
  };
  ConfigValue value;
  switch (key.type) {
    case KeyType::integer: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) wrong_type();
      value = v;
      break;
    }
    case KeyType::real: {
      std::string s(text);
      char* end = nullptr;
      double v = s.empty() ? 0.0 : std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || std::isspace(s[0])) wrong_type();
      value = v;
      break;
    }
    case KeyType::boolean: {
      if (text == "true" || text == "1" || text == "yes" || text == "on") value = true;
      else if (text == "false" || text == "0" || text == "no" || text == "off") value = false;
      else wrong_type();
      break;
    }
    case KeyType::text:
    case KeyType::choice:
      // Refused here: the resolved config is written as JSON, which cannot hold these bytes.
      if (!is_valid_utf8(text)) throw Error(kind, prefix(source) + "key '" + key.key + "' is not valid UTF-8");
      value = std::string(text);
      break;
  }
  return check_allowed(key, std::move(value), shown, kind, source);
}

ConfigValue parse_config_json(const ConfigKey& key, const Json& json, const std::string& source) {
  const std::string shown = json.dump();
  auto wrong_type = [&]() {
    throw Error(ErrorKind::config,
                prefix(source) + "key '" + key.key + "' expects " + type_name(key.type) + ", got " + shown);
  };
  ConfigValue value;
  switch (key.type) {
    case KeyType::integer:
      if (json.is_number_integer() && !(json.is_number_unsigned() && json.get<uint64_t>() > INT64_MAX))
        value = json.get<int64_t>();
      else if (json.is_number_float() && std::trunc(json.get<double>()) == json.get<double>() &&
               std::abs(json.get<double>()) < 9e15)
        value = static_cast<int64_t>(json.get<double>());
      else
        wrong_type();
      break;
    case KeyType::real:
      if (!json.is_number()) wrong_type();
      value = json.get<double>();
      break;
    case KeyType::boolean:
      if (!json.is_boolean()) wrong_type();
      value = json.get<bool>();
      break;
    case KeyType::text:
    case KeyType::choice:
      if (!json.is_string()) wrong_type();
      value = json.get<std::string>();
      break;
  }
  return check_allowed(key, std::move(value), shown, ErrorKind::config, source);
}

}  // namespace attn::experiment
