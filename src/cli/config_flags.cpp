#include "cli/config_flags.h"

#include <algorithm>
#include <vector>

#include "base/error.h"
#include "experiment/config_schema.h"

namespace attn::cli {

using experiment::ConfigKey;
using experiment::KeyType;

struct ConfigFlags::State {
  CLI::App* app = nullptr;
  std::vector<std::string> config_files;  // one allowed; a vector so that two get a clear message
  std::vector<std::string> sets;
  // One raw value and option per schema key, index-aligned with config_schema().
  std::vector<std::string> values;
  std::vector<CLI::Option*> options;
};

namespace {

std::string flag_name(const std::string& key) {
  std::string name = "--" + key;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::string type_label(const ConfigKey& key) {
  switch (key.type) {
    case KeyType::integer: return "INT";
    case KeyType::real: return "FLOAT";
    case KeyType::boolean: return "BOOL";
    case KeyType::text: return "TEXT";
    case KeyType::choice: return experiment::describe_allowed(key).substr(std::string("one of ").size());
  }
  return "VALUE";
}

// Rejects a bad value during parsing, with the schema's message (CLI11 adds the flag name).
CLI::Validator schema_validator(const ConfigKey& key) {
  return CLI::Validator(
      [&key](std::string& value) -> std::string {
        try {
          experiment::parse_config_text(key, value, ErrorKind::usage, "");
          return {};
        } catch (const Error& e) {
          return e.what();
        }
      },
      "");
}

// CLI11 only says "not expected"; a mistyped flag deserves the flag it was meant to be.
void reject_extras(const CLI::App& app) {
  const std::vector<std::string> extras = app.remaining();
  if (extras.empty()) return;
  const std::string& first = extras.front();
  if (first.rfind("--", 0) != 0) {
    const bool bool_word = first == "true" || first == "false" || first == "1" || first == "0";
    throw Error(ErrorKind::usage, "unexpected argument '" + first + "'" +
                                      (bool_word ? " (a bool flag takes no separate value: write --key, --no-key "
                                                   "or --key=" + first + ")"
                                                 : ""));
  }
  std::string key = first.substr(2, first.find('=') == std::string::npos ? std::string::npos : first.find('=') - 2);
  std::replace(key.begin(), key.end(), '-', '_');
  if (key == "version") throw Error(ErrorKind::usage, "unknown option '--version' here (the version: attn --version)");
  const std::string hint = experiment::suggest_config_key(key);
  throw Error(ErrorKind::usage, "unknown option '" + first.substr(0, first.find('=')) + "'" +
                                    (hint.empty() ? "" : " (did you mean '" + flag_name(hint) + "'?)"));
}

// CLI11 lists a bool key as "--tie-embeddings,--no-tie-embeddings{false}=false"; the help
// says "--tie-embeddings, --no-tie-embeddings (default false)". Parsing is unchanged.
class BoolFlagFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
    std::string name = CLI::Formatter::make_option_name(opt, is_positional);
    if (opt->get_fnames().empty()) return name;
    std::string clean;
    for (size_t i = 0; i < name.size(); ++i) {
      if (name[i] == '{') i = name.find('}', i);
      else clean += name[i] == ',' ? std::string(", ") : std::string(1, name[i]);
    }
    return clean;
  }
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_fnames().empty()) return CLI::Formatter::make_option_opts(opt);
    return " (default " + opt->get_default_str() + ")";
  }
};

}  // namespace

ConfigFlags::ConfigFlags(CLI::App& app) : state_(std::make_shared<State>()) {
  State& s = *state_;
  s.app = &app;
  app.allow_extras();  // resolve() reports unknown flags itself, with a suggestion
  app.formatter(std::make_shared<BoolFlagFormatter>());
  app.add_option("--config", s.config_files, "JSON file of config keys (flags and --set override it)")
      ->type_name("FILE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Config");
  app.add_option("--set", s.sets, "Set a config key; repeatable; overrides flags and --config")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group("Config");

  const auto& schema = experiment::config_schema();
  s.values.resize(schema.size());  // never resized again: CLI11 keeps references into it
  for (size_t i = 0; i < schema.size(); ++i) {
    const ConfigKey& key = schema[i];
    std::string group = key.group;
    group[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(group[0])));
    std::string help = key.help;
    if (key.has_range) help += " (" + experiment::describe_range(key) + ")";
    CLI::Option* opt;
    if (key.type == KeyType::boolean) {
      const std::string name = flag_name(key.key);
      opt = app.add_flag(name + ",!--no-" + name.substr(2), s.values[i], help);
    } else {
      opt = app.add_option(flag_name(key.key), s.values[i], help)->type_name(type_label(key));
    }
    opt->default_str(experiment::format_value(key.default_value))
        ->check(schema_validator(key))
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->group(group + " options");
    s.options.push_back(opt);
  }
}

experiment::TrainConfig ConfigFlags::resolve(const experiment::TrainConfig& base) const {
  const State& s = *state_;
  reject_extras(*s.app);
  experiment::TrainConfig config = base;
  if (s.config_files.size() > 1)
    throw Error(ErrorKind::usage, "--config given " + std::to_string(s.config_files.size()) + " times ('" +
                                      s.config_files[0] + "', '" + s.config_files[1] +
                                      "'): give one file, and override its keys with flags or --set");
  if (!s.config_files.empty()) {
    const std::string& file = s.config_files.front();
    experiment::apply_json(config, experiment::read_json_file(file, ErrorKind::config), file);
  }
  const auto& schema = experiment::config_schema();
  for (size_t i = 0; i < schema.size(); ++i)
    if (s.options[i]->count() > 0)
      experiment::apply_value(config, schema[i].key, s.values[i], s.options[i]->get_name());
  for (const std::string& assignment : s.sets) experiment::apply_set(config, assignment);
  experiment::validate(config);
  return config;
}

std::vector<std::string> ConfigFlags::given() const {
  const State& s = *state_;
  std::vector<std::string> names;
  if (!s.config_files.empty()) names.push_back("--config");
  if (!s.sets.empty()) names.push_back("--set");
  for (const CLI::Option* o : s.options)
    if (o->count() > 0) names.push_back(o->get_name());
  return names;
}

}  // namespace attn::cli
