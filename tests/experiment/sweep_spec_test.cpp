// Sweep specs (flags and JSON), their expansion into trials, the random draws,
// and the commands the trials run.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <set>

#include "support/error_text.h"
#include "base/error.h"
#include "experiment/sweep_plan.h"
#include "experiment/sweep_spec.h"

using attn::Error;
using attn::ErrorKind;
namespace ex = attn::experiment;

namespace {

using attn::testing::error_text;

ex::SweepSpec parse(const std::string& text) { return ex::spec_from_json(ex::Json::parse(text), "spec.json"); }

ex::Overrides overrides(std::initializer_list<std::pair<std::string, std::string>> list) { return {list}; }

}  // namespace

TEST_CASE("sweep flags: --grid values are checked and canonical, --random and --seeds parse", "[experiment][sweep]") {
  const ex::GridAxis lr = ex::parse_grid_axis("lr=1e-3,0.003", ErrorKind::usage);
  CHECK(lr.key == "lr");
  CHECK(lr.values == std::vector<std::string>{"0.001", "0.003"});
  CHECK(ex::parse_grid_axis("normalizer=softmax,hard", ErrorKind::usage).values ==
        std::vector<std::string>{"softmax", "hard"});

  CHECK_THAT(error_text([] { ex::parse_grid_axis("lrate=0.1", ErrorKind::usage); }, ErrorKind::config),
             Catch::Contains("did you mean 'lr'"));
  CHECK_THAT(error_text([] { ex::parse_grid_axis("heads=2,x", ErrorKind::usage); }, ErrorKind::config),
             Catch::Contains("'x'"));
  CHECK_THAT(error_text([] { ex::parse_grid_axis("attention=dot,dott", ErrorKind::usage); }, ErrorKind::config),
             Catch::Contains("did you mean 'dot'"));
  error_text([] { ex::parse_grid_axis("heads", ErrorKind::usage); }, ErrorKind::usage);
  error_text([] { ex::parse_grid_axis("heads=2,,4", ErrorKind::usage); }, ErrorKind::usage);

  const ex::RandomParam log = ex::parse_random("lr=loguniform(1e-4,1e-2)", ErrorKind::usage);
  CHECK(log.kind == ex::RandomParam::Kind::loguniform);
  CHECK(log.low == 1e-4);
  CHECK(log.high == 1e-2);
  CHECK(ex::parse_random("lr=" + ex::describe(log), ErrorKind::usage) == log);  // what sweep.json stores reads back
  const ex::RandomParam choice = ex::parse_random("attention=choice(dot,additive)", ErrorKind::usage);
  CHECK(choice.choices == std::vector<std::string>{"dot", "additive"});
  CHECK(ex::describe(choice) == "choice(dot,additive)");

  error_text([] { ex::parse_random("lr=normal(0,1)", ErrorKind::usage); }, ErrorKind::usage);
  error_text([] { ex::parse_random("lr=uniform(0.1)", ErrorKind::usage); }, ErrorKind::usage);
  error_text([] { ex::parse_random("lr=uniform(0.3,0.1)", ErrorKind::usage); }, ErrorKind::usage);
  error_text([] { ex::parse_random("lr=loguniform(0,0.1)", ErrorKind::usage); }, ErrorKind::usage);
  CHECK_THAT(error_text([] { ex::parse_random("attention=uniform(0,1)", ErrorKind::usage); }, ErrorKind::config),
             Catch::Contains("not numeric"));
  // Bounds outside the key's range (dropout < 1) are refused before any trial runs.
  error_text([] { ex::parse_random("dropout=uniform(0,1.5)", ErrorKind::usage); }, ErrorKind::config);

  CHECK(ex::parse_seeds("1,2,3", ErrorKind::usage) == std::vector<int64_t>{1, 2, 3});
  error_text([] { ex::parse_seeds("1,two", ErrorKind::usage); }, ErrorKind::usage);
  error_text([] { ex::parse_seeds("-1", ErrorKind::usage); }, ErrorKind::usage);
}

TEST_CASE("sweep spec files: entries, a list of grids, JSON round trip, cross-entry rules", "[experiment][sweep]") {
  const ex::SweepSpec spec = parse(R"js({
    "base": {"task": "reverse", "arch": "rnn", "max_steps": 400},
    "grid": [{"attention": ["dot", "additive"], "normalizer": ["softmax", "hard"]}, {"attention": ["none"]}],
    "random": {"lr": "loguniform(1e-4,1e-2)"},
    "trials": 2,
    "seeds": [1, 2]})js");
  REQUIRE(spec.grids.size() == 2);
  CHECK(spec.grids[0][1].values == std::vector<std::string>{"softmax", "hard"});
  CHECK(spec.trials == 2);
  CHECK(spec.seeds == std::vector<int64_t>{1, 2});
  CHECK(ex::base_config(spec).max_steps == 400);
  CHECK(ex::spec_from_json(ex::to_json(spec), "round trip") == spec);
  // Numbers, bools and strings are all accepted as grid values, in --set spelling.
  CHECK(parse(R"js({"grid": {"lr": [0.001, "3e-3"], "tie_embeddings": [true, false]}})js").grids[0][1].values ==
        std::vector<std::string>{"true", "false"});

  CHECK_THAT(error_text([] { parse(R"js({"grids": {}})js"); }, ErrorKind::config), Catch::Contains("unknown entry 'grids'"));
  CHECK_THAT(error_text([] { parse(R"js({"base": {"lrate": 1}})js"); }, ErrorKind::config), Catch::Contains("did you mean 'lr'"));
  error_text([] { parse(R"js({"grid": {"heads": []}})js"); }, ErrorKind::config);
  error_text([] { parse(R"js({"grid": {"heads": [[2]]}})js"); }, ErrorKind::config);
  CHECK_THAT(error_text([] { parse(R"js({"trials": 3})js"); }, ErrorKind::config), Catch::Contains("random"));
  CHECK_THAT(error_text([] { parse(R"js({"grid": {"seed": [1, 2]}, "seeds": [3]})js"); }, ErrorKind::config),
             Catch::Contains("seed"));
  CHECK_THAT(error_text([] { parse(R"js({"grid": {"lr": [0.1]}, "random": {"lr": "uniform(0.1,0.2)"}})js"); },
                        ErrorKind::config),
             Catch::Contains("both"));
}

TEST_CASE("sweep plan: grid points in key order, grids united, seeds repeat each configuration", "[experiment][sweep]") {
  const std::vector<ex::PlannedTrial> trials = ex::plan_trials(parse(R"js({
    "grid": [{"heads": [2, 4], "lr": [0.001, 0.003]}, {"arch": ["rnn"]}], "seeds": [1, 2]})js"));
  REQUIRE(trials.size() == (4 + 1) * 2);
  CHECK(trials[0].overrides == overrides({{"heads", "2"}, {"lr", "0.001"}, {"seed", "1"}}));
  CHECK(trials[1].overrides == overrides({{"heads", "2"}, {"lr", "0.001"}, {"seed", "2"}}));
  CHECK(trials[2].overrides == overrides({{"heads", "2"}, {"lr", "0.003"}, {"seed", "1"}}));
  CHECK(trials[4].overrides == overrides({{"heads", "4"}, {"lr", "0.001"}, {"seed", "1"}}));
  CHECK(trials[9].overrides == overrides({{"arch", "rnn"}, {"seed", "2"}}));
  CHECK(trials[0].id == "trial-000-heads=2-lr=0.001-seed=1");
  CHECK(trials[9].id == "trial-009-arch=rnn-seed=2");
  std::set<std::string> ids;
  for (const auto& t : trials) ids.insert(t.id);
  CHECK(ids.size() == trials.size());

  // No grid, no random keys, no seeds: one trial, the base itself.
  const auto single = ex::plan_trials(parse(R"js({"base": {"lr": 0.01}})js"));
  REQUIRE(single.size() == 1);
  CHECK(single[0].overrides.empty());
  CHECK(single[0].id == "trial-000");
}

TEST_CASE("sweep plan: random draws are deterministic given the seed and follow their distributions",
          "[experiment][sweep]") {
  auto spec_with = [](const std::string& random, int trials, int seed) {
    return parse("{\"base\": {\"seed\": " + std::to_string(seed) + "}, \"random\": " + random +
                 ", \"trials\": " + std::to_string(trials) + "}");
  };
  const std::string lr = R"js({"lr": "loguniform(1e-4,1e-2)"})js";
  const auto a = ex::plan_trials(spec_with(lr, 4, 7));
  CHECK(a == ex::plan_trials(spec_with(lr, 4, 7)));
  CHECK(a != ex::plan_trials(spec_with(lr, 4, 8)));
  // Pinned: a re-run of a sweep must plan exactly the trials it planned before, on any
  // machine and after any rebuild (mt19937_64 is fully specified; the mapping to values is ours).
  std::vector<std::string> values;
  for (const auto& t : a) values.push_back(t.overrides.at(0).second);
  CHECK(values == std::vector<std::string>{"0.003227", "0.007918", "0.0001717", "0.006079"});

  const auto many = ex::plan_trials(spec_with(lr, 400, 1));
  int below = 0;
  for (const auto& t : many) {
    const double v = std::stod(t.overrides.at(0).second);
    CHECK(v >= 1e-4);
    CHECK(v <= 1e-2);
    below += v < 1e-3;
  }
  // Log-uniform: half the draws below the geometric middle 1e-3 (a linear draw would put 9 %).
  CHECK(below > 160);
  CHECK(below < 240);

  std::set<std::string> batch_sizes, attentions;
  const std::string mixed = R"js({"batch_size": "uniform(16,19)", "attention": "choice(dot,additive)"})js";
  for (const auto& t : ex::plan_trials(spec_with(mixed, 200, 3))) {
    batch_sizes.insert(t.overrides.at(0).second);
    attentions.insert(t.overrides.at(1).second);
  }
  CHECK(batch_sizes == std::set<std::string>{"16", "17", "18", "19"});
  CHECK(attentions == std::set<std::string>{"additive", "dot"});
}

TEST_CASE("sweep plan: a trial's command sets the base, then its own keys", "[experiment][sweep]") {
  const ex::SweepSpec spec = parse(R"js({"base": {"task": "copy", "heads": 2, "threads": 3, "data_dir": "my data"},
                                      "grid": {"heads": [4]}})js");
  const auto trials = ex::plan_trials(spec);
  const std::vector<std::string> argv = ex::trial_command(spec, trials.at(0), "/opt/attn", "sw/trial-000-heads=4", 1);
  CHECK(argv == std::vector<std::string>{"/opt/attn", "train", "--out", "sw/trial-000-heads=4", "--quiet",
                                         "--threads", "1", "--set", "task=copy", "--set", "data_dir=my data",
                                         "--set", "heads=4"});
  CHECK(ex::shell_join(argv) ==
        "/opt/attn train --out sw/trial-000-heads=4 --quiet --threads 1 --set task=copy --set 'data_dir=my data' "
        "--set heads=4");
  CHECK(ex::shell_join({"it's", ""}) == "'it'\\''s' ''");
}
