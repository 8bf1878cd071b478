// The table behind TrainConfig: one row per key with its type, default, allowed
// values or range, help text and accessors to the TrainConfig field. Config
// loading (config.cpp), the CLI flags (cli/config_flags.cpp) and the docs are
// all generated from it, so a key is added or a default changed in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "experiment/config.h"

namespace attn::experiment {

enum class KeyType { integer, real, boolean, text, choice };

// A key's value; a choice is held as its spelling.
using ConfigValue = std::variant<int64_t, double, bool, std::string>;

struct ConfigKey {
  std::string key;    // snake_case; the flag is --key with '_' -> '-'
  std::string group;  // "task", "model", "attention", "optimizer", "training"
  KeyType type = KeyType::text;
  ConfigValue default_value;
  std::vector<std::string> choices;  // choice keys only
  // Numeric range; bounds are inclusive unless the *_open flag says otherwise.
  double min = 0, max = 0;
  bool min_open = false, max_open = false;
  bool has_range = false;
  std::string help;
  // Where the key has an effect (empty = everywhere): task names, architectures. Set away
  // from its default elsewhere, it would be silently ignored, so validate() refuses it.
  std::vector<std::string> tasks, archs;
  std::function<ConfigValue(const TrainConfig&)> get;
  std::function<void(TrainConfig&, const ConfigValue&)> set;
};

// All keys, in documentation order.
const std::vector<ConfigKey>& config_schema();
// nullptr for an unknown key.
const ConfigKey* find_config_key(std::string_view key);

// The closest known key by edit distance, or "" if none is plausibly meant.
std::string suggest_config_key(std::string_view unknown);
// Edit distance (insertions, deletions, substitutions) with a swap of adjacent
// letters counted as one edit, as typos go ("hedas" -> "heads" is 1).
size_t typo_distance(std::string_view a, std::string_view b);

// "float in (0, 10]", "one of sgd|adam|adamw", "bool", "string", ...
std::string describe_allowed(const ConfigKey& key);
// The numeric range alone: "in (0, 10]", ">= 0", or "" for a key without one.
std::string describe_range(const ConfigKey& key);
// A value as it is typed on a command line: 0.001, true, adam.
std::string format_value(const ConfigValue& value);

// The keys as Markdown tables, one per group (the README's "Config keys" section is this text).
std::string config_keys_markdown();

// Parses `text` as the key's type and checks it is allowed. On failure throws
// Error kind `kind` "<source>: key 'lr' expects a float, got 'fast'" (or the range,
// or the choices with a suggestion); an empty source drops the "<source>: " prefix.
ConfigValue parse_config_text(const ConfigKey& key, std::string_view text, ErrorKind kind,
                              const std::string& source);
// The same from a JSON value (a config file entry): wrong JSON type, range, choices.
ConfigValue parse_config_json(const ConfigKey& key, const Json& value, const std::string& source);

}  // namespace attn::experiment
