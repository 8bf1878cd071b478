// What a sweep varies: the base config every trial shares, grids of config
// values (their cartesian product; a list of grids is their union), keys drawn
// at random, and the training seeds each configuration is repeated with.
// Read from a spec file (JSON, kept in experiments/) or built from the sweep
// command's flags; saved in sweep.json so a re-run knows what it resumes.
// Every value is checked against the config schema when it is parsed (a typo
// fails before any trial starts); rules across keys (width divisible by heads)
// are left to each trial, which fails alone. Expanding a spec into trials is
// sweep_plan.h's job.
//
// Spec file:
//   {"base":   {"task": "reverse", "arch": "rnn", "max_steps": 400},
//    "grid":   {"attention": ["dot", "additive"], "normalizer": ["softmax", "hard"]},
//    "random": {"lr": "loguniform(1e-4,1e-2)", "dropout": "uniform(0,0.3)"},
//    "trials": 4,
//    "seeds":  [1, 2, 3]}
// "grid" may also be an array of such objects (e.g. a grid plus a baseline).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "experiment/config.h"
#include "experiment/json_file.h"

namespace attn::experiment {

// One grid dimension: a config key and its values in --set spelling ("0.001", "dot").
struct GridAxis {
  std::string key;
  std::vector<std::string> values;
  bool operator==(const GridAxis&) const = default;
};
using Grid = std::vector<GridAxis>;

// A key drawn per trial: uniform(a,b) and loguniform(a,b) on numeric keys (an
// integer key gets the draw rounded), choice(a,b,...) on any key.
struct RandomParam {
  enum class Kind { uniform, loguniform, choice };
  std::string key;
  Kind kind = Kind::uniform;
  double low = 0, high = 0;          // uniform, loguniform
  std::vector<std::string> choices;  // choice, in --set spelling
  bool operator==(const RandomParam&) const = default;
};

struct SweepSpec {
  Json base = Json::object();      // config keys shared by every trial; seeds the random draws too
  std::vector<Grid> grids;         // empty: one configuration (the base, plus random keys)
  std::vector<RandomParam> random;
  int64_t trials = 1;              // random draws per grid point (1 without random keys)
  std::vector<int64_t> seeds;      // training seeds per configuration; empty: the base's seed
  bool operator==(const SweepSpec&) const = default;
};

// Throws Error kind config naming `source` and the offending entry.
SweepSpec spec_from_json(const Json& json, const std::string& source);
Json to_json(const SweepSpec& spec);

// The most trials one sweep may plan (README, "Hostile input").
inline constexpr uint64_t kMaxSweepTrials = 100000;

// Rules across entries: a key varies in one place only (once per grid, not in
// both a grid and random), "seed" is not varied when seeds are given, trials > 1
// needs random keys, at most kMaxSweepTrials trials. Throws Error kind config.
void check_spec(const SweepSpec& spec);

// The flag forms. Malformed text is Error of `syntax_kind` (usage for a flag,
// config for a spec file); an unknown key or a value the key does not allow is
// Error kind config, as for --set.
GridAxis parse_grid_axis(std::string_view text, ErrorKind syntax_kind);    // "heads=2,4,8"
RandomParam parse_random(std::string_view text, ErrorKind syntax_kind);    // "lr=loguniform(1e-4,1e-2)"
std::vector<int64_t> parse_seeds(std::string_view text, ErrorKind syntax_kind);  // "1,2,3"
std::string describe(const RandomParam& param);  // the text form, "loguniform(0.0001,0.01)"

// The base config: defaults with spec.base applied (not validated).
TrainConfig base_config(const SweepSpec& spec);
// The keys of `config` that differ from the defaults, as a JSON object.
Json config_delta(const TrainConfig& config);

}  // namespace attn::experiment
