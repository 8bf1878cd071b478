#include "experiment/sweep_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "experiment/config_schema.h"

namespace attn::experiment {

namespace {

// std::uniform_real_distribution differs between standard libraries; this does not.
class Draws {
 public:
  explicit Draws(int64_t seed) : engine_(static_cast<uint64_t>(seed)) {}
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  std::mt19937_64 engine_;
};

// Four significant digits: a learning rate of 0.0003162 reads better than
// 0.00031622776601683794 and is no worse a sample.
std::string round_real(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return format_value(std::strtod(buf, nullptr));
}

std::string draw(const RandomParam& p, Draws& draws) {
  const double u = draws.unit();
  if (p.kind == RandomParam::Kind::choice)
    return p.choices[std::min(p.choices.size() - 1, static_cast<size_t>(u * static_cast<double>(p.choices.size())))];
  const ConfigKey* key = find_config_key(p.key);
  const bool integer = key->type == KeyType::integer;
  if (p.kind == RandomParam::Kind::uniform && integer) {  // every integer in [low, high] equally likely
    const double lo = std::ceil(p.low), hi = std::floor(p.high);
    return std::to_string(static_cast<int64_t>(std::min(hi, lo + std::floor(u * (hi - lo + 1)))));
  }
  const double v = p.kind == RandomParam::Kind::uniform
                       ? p.low + u * (p.high - p.low)
                       : std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
  return integer ? std::to_string(std::llround(v)) : round_real(v);
}

std::vector<Overrides> grid_points(const Grid& grid) {
  std::vector<Overrides> points{{}};
  for (const GridAxis& axis : grid) {
    std::vector<Overrides> next;
    for (const Overrides& point : points)
      for (const std::string& value : axis.values) {
        next.push_back(point);
        next.back().emplace_back(axis.key, value);
      }
    points = std::move(next);
  }
  return points;
}

std::string trial_id(size_t index, size_t count, const Overrides& overrides) {
  std::string number = std::to_string(index);
  const size_t width = std::max<size_t>(3, std::to_string(count - 1).size());
  std::string id = "trial-" + std::string(width - std::min(width, number.size()), '0') + number;
  for (const auto& [key, value] : overrides) id += "-" + key + "=" + value;
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("._=+-").find(c) == std::string_view::npos)
      c = '_';
  constexpr size_t kMaxLength = 100;  // the index keeps truncated names unique
  return id.substr(0, kMaxLength);
}

bool shell_safe(const std::string& word) {
  if (word.empty()) return false;
  for (char c : word)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("._=+-/:,@%").find(c) == std::string_view::npos)
      return false;
  return true;
}

}  // namespace

std::vector<PlannedTrial> plan_trials(const SweepSpec& spec) {
  std::vector<Overrides> points;
  for (const Grid& grid : spec.grids)
    for (Overrides& p : grid_points(grid)) points.push_back(std::move(p));
  if (points.empty()) points.emplace_back();

  Draws draws(base_config(spec).seed);
  std::vector<Overrides> configurations;
  for (const Overrides& point : points)
    for (int64_t t = 0; t < spec.trials; ++t) {
      Overrides c = point;
      for (const RandomParam& p : spec.random) c.emplace_back(p.key, draw(p, draws));
      configurations.push_back(std::move(c));
    }

  std::vector<Overrides> all;
  for (const Overrides& c : configurations) {
    if (spec.seeds.empty()) all.push_back(c);
    for (int64_t seed : spec.seeds) {
      all.push_back(c);
      all.back().emplace_back("seed", std::to_string(seed));
    }
  }
  std::vector<PlannedTrial> trials;
  for (size_t i = 0; i < all.size(); ++i) trials.push_back({trial_id(i, all.size(), all[i]), all[i]});
  return trials;
}

std::vector<std::string> trial_command(const SweepSpec& spec, const PlannedTrial& trial, const std::string& binary,
                                       const std::filesystem::path& dir, int64_t threads) {
  std::vector<std::string> argv{binary, "train", "--out", dir.string(), "--quiet", "--threads", std::to_string(threads)};
  const TrainConfig base = base_config(spec);
  auto overridden = [&](const std::string& key) {
    return std::any_of(trial.overrides.begin(), trial.overrides.end(), [&](const auto& o) { return o.first == key; });
  };
  for (auto it = spec.base.begin(); it != spec.base.end(); ++it)
    if (it.key() != "threads" && !overridden(it.key())) {
      argv.push_back("--set");
      argv.push_back(it.key() + "=" + format_value(find_config_key(it.key())->get(base)));
    }
  for (const auto& [key, value] : trial.overrides) {
    argv.push_back("--set");
    argv.push_back(key + "=" + value);
  }
  return argv;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& word : argv) {
    if (!line.empty()) line += ' ';
    if (shell_safe(word)) {
      line += word;
      continue;
    }
    line += '\'';
    for (char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace attn::experiment
