#include "experiment/sweep_spec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "experiment/config_schema.h"

namespace attn::experiment {

namespace {

// Checks `text` as a value of `key` (unknown key with a suggestion, wrong type,
// out of range: kind config) and returns its canonical --set spelling.
std::string canonical_value(std::string_view key, std::string_view text, const std::string& source) {
  TrainConfig scratch;
  apply_value(scratch, key, text, source);
  return format_value(find_config_key(key)->get(scratch));
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (;;) {
    size_t end = text.find(sep, begin);
    parts.emplace_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

// "key=rest" -> {key, rest}; both parts must be non-empty.
std::pair<std::string, std::string> split_assignment(std::string_view text, ErrorKind kind, const char* form) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    throw Error(kind, "'" + std::string(text) + "': expected " + form);
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

double parse_bound(const std::string& text, ErrorKind kind, const std::string& source) {
  char* end = nullptr;
  double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
    throw Error(kind, source + ": '" + text + "' is not a number");
  return v;
}

// A JSON scalar as the text a flag would carry.
std::string scalar_text(const Json& value, const std::string& source) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  throw Error(ErrorKind::config, source + ": expected a string, number or bool, got " + value.dump());
}

Grid grid_from_json(const Json& object, const std::string& source) {
  if (!object.is_object())
    throw Error(ErrorKind::config, source + ": a grid is an object of \"key\": [values], got " + object.dump());
  Grid grid;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string where = source + "." + it.key();
    if (!it.value().is_array() || it.value().empty())
      throw Error(ErrorKind::config, where + ": expected a non-empty array of values, got " + it.value().dump());
    GridAxis axis{it.key(), {}};
    for (const Json& v : it.value()) axis.values.push_back(canonical_value(it.key(), scalar_text(v, where), where));
    grid.push_back(std::move(axis));
  }
  return grid;
}

Json grid_to_json(const Grid& grid) {
  Json out = Json::object();
  for (const GridAxis& axis : grid) out[axis.key] = axis.values;
  return out;
}

}  // namespace

GridAxis parse_grid_axis(std::string_view text, ErrorKind syntax_kind) {
  auto [key, rest] = split_assignment(text, syntax_kind, "key=value,value,...");
  const std::string source = "--grid " + std::string(text);
  GridAxis axis{key, {}};
  for (const std::string& v : split(rest, ',')) {
    if (v.empty()) throw Error(syntax_kind, source + ": empty value");
    axis.values.push_back(canonical_value(key, v, source));
  }
  return axis;
}

RandomParam parse_random(std::string_view text, ErrorKind syntax_kind) {
  auto [key, rest] = split_assignment(text, syntax_kind, "key=uniform(a,b), key=loguniform(a,b) or key=choice(a,b,...)");
  const std::string source = "--random " + std::string(text);
  size_t open = rest.find('(');
  if (open == std::string::npos || rest.back() != ')')
    throw Error(syntax_kind, source + ": expected uniform(a,b), loguniform(a,b) or choice(a,b,...)");
  const std::string kind = rest.substr(0, open);
  const std::vector<std::string> args = split(std::string_view(rest).substr(open + 1, rest.size() - open - 2), ',');
  RandomParam p;
  p.key = key;
  if (kind == "choice") {
    p.kind = RandomParam::Kind::choice;
    for (const std::string& a : args) {
      if (a.empty()) throw Error(syntax_kind, source + ": empty choice");
      p.choices.push_back(canonical_value(key, a, source));
    }
    return p;
  }
  if (kind != "uniform" && kind != "loguniform")
    throw Error(syntax_kind, source + ": unknown distribution '" + kind + "' (uniform, loguniform or choice)");
  p.kind = kind == "uniform" ? RandomParam::Kind::uniform : RandomParam::Kind::loguniform;
  if (args.size() != 2) throw Error(syntax_kind, source + ": " + kind + " takes two bounds");
  p.low = parse_bound(args[0], syntax_kind, source);
  p.high = parse_bound(args[1], syntax_kind, source);
  const ConfigKey* k = find_config_key(key);
  if (k && k->type != KeyType::integer && k->type != KeyType::real)
    throw Error(ErrorKind::config, source + ": key '" + key + "' is not numeric; use choice(...)");
  if (!(p.low < p.high)) throw Error(syntax_kind, source + ": the lower bound must be below the upper one");
  if (p.kind == RandomParam::Kind::loguniform && p.low <= 0)
    throw Error(syntax_kind, source + ": loguniform needs positive bounds");
  // Both bounds must be values the key allows (this also rejects an unknown key).
  for (double bound : {p.low, p.high}) {
    const bool integer = k && k->type == KeyType::integer;
    canonical_value(key, integer ? std::to_string(std::llround(bound)) : format_value(bound), source);
  }
  return p;
}

std::vector<int64_t> parse_seeds(std::string_view text, ErrorKind syntax_kind) {
  std::vector<int64_t> seeds;
  for (const std::string& s : split(text, ',')) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0)
      throw Error(syntax_kind, "--seeds " + std::string(text) + ": '" + s + "' is not a seed (an integer >= 0)");
    seeds.push_back(v);
  }
  return seeds;
}

std::string describe(const RandomParam& p) {
  if (p.kind == RandomParam::Kind::choice) {
    std::string out = "choice(";
    for (size_t i = 0; i < p.choices.size(); ++i) {
      if (i) out += ',';
      out += p.choices[i];
    }
    return out + ")";
  }
  return std::string(p.kind == RandomParam::Kind::uniform ? "uniform(" : "loguniform(") + format_value(p.low) +
         "," + format_value(p.high) + ")";
}

namespace {
// Grid points x trials x seeds, saturating instead of overflowing.
uint64_t planned_trials(const SweepSpec& spec) {
  const uint64_t cap = std::numeric_limits<uint64_t>::max();
  auto times = [cap](uint64_t a, uint64_t b) { return b != 0 && a > cap / b ? cap : std::min(cap, a * b); };
  uint64_t points = 0;
  for (const Grid& grid : spec.grids) {
    uint64_t n = 1;
    for (const GridAxis& axis : grid) n = times(n, axis.values.size());
    points = std::min(cap, points + n);
  }
  if (spec.grids.empty()) points = 1;
  return times(times(points, static_cast<uint64_t>(std::max<int64_t>(spec.trials, 1))),
               std::max<uint64_t>(spec.seeds.size(), 1));
}
}  // namespace

void check_spec(const SweepSpec& spec) {
  auto fail = [](const std::string& m) { throw Error(ErrorKind::config, "sweep spec: " + m); };
  std::set<std::string> random_keys;
  for (const RandomParam& p : spec.random)
    if (!random_keys.insert(p.key).second) fail("key '" + p.key + "' is drawn at random twice");
  for (const Grid& grid : spec.grids) {
    std::set<std::string> keys;
    for (const GridAxis& axis : grid) {
      if (!keys.insert(axis.key).second) fail("key '" + axis.key + "' appears twice in one grid");
      if (random_keys.count(axis.key)) fail("key '" + axis.key + "' is both in a grid and drawn at random");
    }
    if (!spec.seeds.empty() && keys.count("seed")) fail("'seed' is in a grid and seeds are given; use one");
  }
  if (!spec.seeds.empty() && random_keys.count("seed")) fail("'seed' is drawn at random and seeds are given; use one");
  if (spec.trials < 1) fail("trials must be >= 1, got " + std::to_string(spec.trials));
  if (spec.trials > 1 && spec.random.empty())
    fail("trials=" + std::to_string(spec.trials) + " needs keys drawn at random (seeds repeat a configuration)");
  // Bounded before anything is planned: the plan is built in memory (and printed by
  // --emit-commands), so a mistyped --trials must not grow it to gigabytes.
  const uint64_t planned = planned_trials(spec);
  if (planned > kMaxSweepTrials)
    fail(std::to_string(planned) + " trials planned, more than the " + std::to_string(kMaxSweepTrials) +
         " a sweep may hold (grid points x trials x seeds)");
}

SweepSpec spec_from_json(const Json& json, const std::string& source) {
  if (!json.is_object()) throw Error(ErrorKind::config, source + ": a sweep spec must be a JSON object");
  SweepSpec spec;
  for (auto it = json.begin(); it != json.end(); ++it) {
    const std::string& name = it.key();
    const Json& v = it.value();
    const std::string where = source + ": " + name;
    if (name == "base") {
      TrainConfig scratch;
      apply_json(scratch, v, where);
      spec.base = v;
    } else if (name == "grid") {
      if (v.is_array())
        for (size_t i = 0; i < v.size(); ++i) spec.grids.push_back(grid_from_json(v[i], where + "[" + std::to_string(i) + "]"));
      else
        spec.grids.push_back(grid_from_json(v, where));
    } else if (name == "random") {
      if (!v.is_object()) throw Error(ErrorKind::config, where + ": expected an object of \"key\": \"uniform(a,b)\"");
      for (auto r = v.begin(); r != v.end(); ++r) {
        if (!r.value().is_string()) throw Error(ErrorKind::config, where + "." + r.key() + ": expected a string");
        spec.random.push_back(parse_random(r.key() + "=" + r.value().get<std::string>(), ErrorKind::config));
      }
    } else if (name == "trials") {
      if (!v.is_number_integer()) throw Error(ErrorKind::config, where + ": expected an integer, got " + v.dump());
      spec.trials = v.get<int64_t>();
    } else if (name == "seeds") {
      if (!v.is_array()) throw Error(ErrorKind::config, where + ": expected an array of integers, got " + v.dump());
      for (const Json& s : v) {
        if (!s.is_number_integer() || s.get<int64_t>() < 0)
          throw Error(ErrorKind::config, where + ": '" + s.dump() + "' is not a seed (an integer >= 0)");
        spec.seeds.push_back(s.get<int64_t>());
      }
    } else {
      throw Error(ErrorKind::config, source + ": unknown entry '" + name + "' (base, grid, random, trials, seeds)");
    }
  }
  check_spec(spec);
  return spec;
}

Json to_json(const SweepSpec& spec) {
  Json grids = Json::array();
  for (const Grid& g : spec.grids) grids.push_back(grid_to_json(g));
  Json random = Json::object();
  for (const RandomParam& p : spec.random) random[p.key] = describe(p);
  return Json{{"base", spec.base},
              {"grid", spec.grids.size() == 1 ? grids[0] : grids},
              {"random", random},
              {"trials", spec.trials},
              {"seeds", spec.seeds}};
}

TrainConfig base_config(const SweepSpec& spec) {
  TrainConfig config;
  apply_json(config, spec.base, "sweep base");
  return config;
}

Json config_delta(const TrainConfig& config) {
  static const TrainConfig defaults;
  Json out = Json::object();
  for (const ConfigKey& k : config_schema()) {
    const ConfigValue v = k.get(config);
    if (v != k.get(defaults)) std::visit([&](const auto& x) { out[k.key] = x; }, v);
  }
  return out;
}

}  // namespace attn::experiment
