// Learning-curve SVG and the run-directory readers behind it.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/learning_curves.h"

using namespace attn::viz;
using nlohmann::json;

namespace {

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

RunCurves run(std::string label, double scale) {
  RunCurves r;
  r.label = std::move(label);
  for (int64_t step = 0; step <= 400; step += 50) r.train.push_back({step, scale * 3.0 / (1.0 + step / 100.0)});
  for (int64_t step = 100; step <= 400; step += 100)
    r.evals.push_back({step, {{"loss", scale * 2.5 / (step / 100.0)}, {"per", 0.6 * scale / (step / 100.0)}}});
  r.best_metric = "per";
  return r;
}

}  // namespace

TEST_CASE("learning curves: one path per run per panel and a legend entry per run", "[viz]") {
  const std::vector<RunCurves> runs = {run("baseline <lr=1e-3>", 1.0), run("wide & deep", 0.8), run("third", 1.2)};
  const std::string svg = render_learning_curves_svg(runs);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(count(svg, "class=\"curve\"") == 2 * 3);
  CHECK(count(svg, "class=\"legend-entry\"") == 3);
  CHECK(count(svg, "class=\"point\"") == 3 * 4);  // evaluation markers
  CHECK(svg.find("validation per") != std::string::npos);
  CHECK(svg.find("baseline &lt;lr=1e-3&gt;") != std::string::npos);
  CHECK(svg.find("wide &amp; deep") != std::string::npos);
  CHECK(svg.find("<lr=") == std::string::npos);
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(count(svg, "<g") == count(svg, "</g>"));

  const std::string by_loss = render_learning_curves_svg(runs, {.metric = "loss"});
  CHECK(by_loss.find("validation loss") != std::string::npos);
  CHECK(count(by_loss, "class=\"curve\"") == 2 * 3);
}

TEST_CASE("learning curves skip runs without points and non-finite values", "[viz]") {
  RunCurves no_evals = run("train only", 1.0);
  no_evals.evals.clear();
  RunCurves with_nan = run("diverged", 1.0);
  with_nan.train.push_back({450, std::numeric_limits<double>::quiet_NaN()});
  const std::string svg = render_learning_curves_svg({no_evals, with_nan});
  CHECK(count(svg, "class=\"curve\"") == 2 + 1);
  CHECK(count(svg, "class=\"legend-entry\"") == 2);
  CHECK(svg.find("nan") == std::string::npos);
  // The run with nothing in the metric panel is named there, not left out silently.
  CHECK(count(svg, "class=\"missing-note\"") == 1);
  CHECK(svg.find("no per in: train only</text>") != std::string::npos);

  CHECK(count(render_learning_curves_svg({}), "class=\"curve\"") == 0);
}

TEST_CASE("default curve metric prefers the run's selection metric", "[viz]") {
  RunCurves r = run("a", 1.0);
  CHECK(default_curve_metric({r}) == "per");
  r.best_metric.clear();
  r.evals[0].metrics["bleu"] = 10.0;
  CHECK(default_curve_metric({r}) == "bleu");  // first non-loss name
  r.evals = {{100, {{"loss", 1.0}}}};
  CHECK(default_curve_metric({r}) == "loss");
  CHECK(default_curve_metric({}) == "");
}

TEST_CASE("run curves are read from record.json and metrics.jsonl", "[viz]") {
  const json record = {{"id", "g2p-tiny-3"},
                       {"task", "g2p"},
                       {"best", {{"metric", "per"}, {"step", 200}, {"value", 0.31}}},
                       {"evaluations",
                        {{{"step", 100}, {"metrics", {{"loss", 1.5}, {"per", 0.42}}}},
                         {{"step", 200}, {"metrics", {{"loss", 1.1}, {"per", 0.31}, {"note", "text"}}}}}}};
  const std::string jsonl = "{\"step\": 10, \"loss\": 3.2, \"lr\": 0.001}\n\n{\"step\": 20, \"lr\": 0.001}\n"
                            "{\"step\": 30, \"loss\": 2.9}";
  const RunCurves r = run_curves_from_json(record, jsonl, "label");
  CHECK(r.label == "label");
  CHECK(r.best_metric == "per");
  CHECK(r.best_step == 200);
  REQUIRE(r.train.size() == 2);
  CHECK(r.train[1].step == 30);
  CHECK(r.train[1].loss == 2.9);
  REQUIRE(r.evals.size() == 2);
  CHECK(r.evals[1].metrics.at("per") == 0.31);
  CHECK(r.evals[1].metrics.count("note") == 0);

  try {
    run_curves_from_json(record, "{\"step\": 1, \"loss\": 2}\n{not json\n", "x");
    FAIL("a malformed line was accepted");
  } catch (const attn::Error& e) {
    CHECK(e.kind() == attn::ErrorKind::data);
    CHECK_THAT(e.what(), Catch::Contains("metrics.jsonl line 2"));
  }
  CHECK_THROWS_AS(run_curves_from_json(record, "{\"loss\": 2}\n", "x"), attn::Error);  // no step
  // A crash can tear the last line; like every reader of metrics.jsonl, the curves ignore it.
  CHECK(run_curves_from_json(record, "{\"step\": 1, \"loss\": 2}\n{\"step\": 2, \"lo", "x").train.size() == 1);
}

TEST_CASE("load_run_curves reads a run directory", "[viz]") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "attn_viz_run_curves_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "record.json") << R"({"id": "run-7", "evaluations": [{"step": 5, "metrics": {"acc": 0.5}}]})";
  std::ofstream(dir / "metrics.jsonl") << "{\"step\": 1, \"loss\": 2.0}\n{\"step\": 2, \"loss\": 1.5}\n";
  const RunCurves r = load_run_curves(dir);
  CHECK(r.label == "run-7");
  CHECK(r.train.size() == 2);
  CHECK(r.evals.size() == 1);

  std::filesystem::remove(dir / "metrics.jsonl");
  std::ofstream(dir / "record.json") << R"({"evaluations": []})";
  const RunCurves bare = load_run_curves(dir);
  CHECK(bare.label == "attn_viz_run_curves_test");
  CHECK(bare.train.empty());

  // A trial of a sweep directory is labelled with the sweep's name.
  const std::filesystem::path sweep = dir / "ablation", trial = sweep / "trial-000";
  std::filesystem::create_directories(trial);
  std::ofstream(sweep / "sweep.json") << "{}";
  std::ofstream(trial / "record.json") << R"({"id": "trial-000", "evaluations": []})";
  CHECK(load_run_curves(trial).label == "ablation/trial-000");

  std::ofstream(dir / "record.json") << "{broken";
  CHECK_THROWS_AS(load_run_curves(dir), attn::Error);
  std::filesystem::remove_all(dir);
  CHECK_THROWS_AS(load_run_curves(dir), attn::Error);
}

TEST_CASE("learning curves: steps from 0 with room after the last, best step ringed, rates in percent, "
          "no two runs alike",
          "[viz]") {
  std::vector<RunCurves> runs;
  for (int r = 0; r < 12; ++r) runs.push_back(run("run " + std::to_string(r), 1.0 + 0.01 * r));
  for (RunCurves& r : runs) {
    r.best_step = 400;
    r.train.erase(r.train.begin());  // the first logged step is 50
  }
  const std::string svg = render_learning_curves_svg(runs);
  // Every run's best evaluation (its selection metric, per) is ringed once.
  CHECK(count(svg, "class=\"best\"") == 12);
  // per lies in [0, 1]: the axis says percent and ticks count in percent.
  CHECK(svg.find(">per (%)</text>") != std::string::npos);
  // Runs 10 and 11 reuse the first colours, dashed; the first ten are solid.
  CHECK(count(svg, "stroke-dasharray=") == 2 * (2 + 1));  // two runs: two curves and a legend line each
  // The step axes start at tick 0 although the first logged step is 50 (no value axis reaches 0 here).
  CHECK(count(svg, ">0</text>") == 2);
  const std::string frame = "<rect x=\"";
  // No evaluation point sits on the right edge of its panel.
  const size_t right_panel = svg.find("class=\"panel\"", svg.find("class=\"panel\"") + 1);
  const size_t r_at = svg.find(frame, right_panel);
  const double rx = std::stod(svg.substr(r_at + frame.size()));
  const double rw = std::stod(svg.substr(svg.find("width=\"", r_at) + 7));
  for (size_t c = svg.find("class=\"point\" cx=\""); c != std::string::npos; c = svg.find("class=\"point\" cx=\"", c + 1))
    CHECK(std::stod(svg.substr(c + 18)) < rx + rw - 5);
}
