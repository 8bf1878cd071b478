// What a forecast run shows and does besides train/eval, through the real binary on a tiny
// series: attn visualize on its attention (the series view, shaded-series SVGs) and on the run
// (forecasts beside the truth and the baselines), attn forecast past the series' end, attn
// report's test_ columns, and the prepared co2 dataset (missing, and a stand-in prepared dir).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/sha256.h"
#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// 80 yearly values of a noisy 11-year cycle, 1900..1979: 56 train, 12 valid, 12 test.
std::string cycle_csv() {
  std::string csv = "year,value\n";
  for (int i = 0; i < 80; ++i)
    csv += std::to_string(1900 + i) + "," + std::to_string(50 + 40 * std::sin(2 * M_PI * i / 11.0) + (i * 37 % 13)) + "\n";
  return csv;
}

// A small Transformer forecaster (2 layers x 2 heads, attention pooling) trained for 40 steps.
std::string trained_run(const std::string& dir) {
  const std::string series = dir + "/cycle.csv", run = dir + "/run";
  std::ofstream(series) << cycle_csv();
  auto train = run_attn({"train", "--task", "forecast", "--series-file", series, "--context", "12", "--ar-order", "3",
                         "--out", run, "--max-steps", "40", "--eval-every", "20", "--width", "16", "--heads", "2",
                         "--ff-width", "32", "--batch-size", "16", "--warmup-steps", "5", "--threads", "1", "--quiet"});
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  return run;
}
}  // namespace

TEST_CASE("forecast views: attention as the series view and shaded-series SVGs; the run's test forecasts") {
  const std::string dir = temp_dir("forecast-views"), run = trained_run(dir);
  auto attend = run_attn({"attend", run, "--split", "test", "--index", "0-1", "--out", dir + "/att.json"});
  INFO(attend.err);
  REQUIRE(attend.exit_code == 0);

  auto page = run_attn({"visualize", dir + "/att.json", "--out", dir + "/att.html"});
  INFO(page.err);
  REQUIRE(page.exit_code == 0);
  const std::string html = read_text(dir + "/att.html");
  CHECK(count(html, "\"series_svg\":") == 2);
  CHECK(count(html, "\"series_layer\":2") == 2);  // two self-attention layers, then the pooling map it opens on

  auto svgs = run_attn({"visualize", dir + "/att.json", "--out", dir + "/figs/"});
  INFO(svgs.err);
  REQUIRE(svgs.exit_code == 0);
  // Per item: 2 layers x 2 heads of self-attention and 1 pooling head, each over the 12 past years.
  CHECK_THAT(svgs.err, Catch::Contains("wrote 10 SVG heatmaps and 10 shaded-series figures"));
  const std::string figure = read_text(dir + "/figs/1968-0-pool-head0-series.svg");
  CHECK(count(figure, "<rect class=\"band\"") == 12);
  CHECK(count(figure, "<circle class=\"forecast\"") == 1);
  CHECK(count(figure, "<circle class=\"truth\"") == 1);

  // The run: its test forecasts need attn eval first.
  auto early = run_attn({"visualize", run, "--out", dir + "/f.svg"});
  CHECK(early.exit_code == 4);
  CHECK(early.err == "attn: error: " + run + " has no test forecasts yet: run 'attn eval " + run +
                         "' first (it writes eval/test-best.tsv)\n");
  auto eval = run_attn({"eval", run, "--json"});
  REQUIRE(eval.exit_code == 0);
  const double mse = json::parse(eval.out).at("mse").get<double>();
  auto plot = run_attn({"visualize", run, "--out", dir + "/forecast.svg"});
  INFO(plot.err);
  REQUIRE(plot.exit_code == 0);
  const std::string svg = read_text(dir + "/forecast.svg");
  CHECK(count(svg, "<path class=\"curve\"") == 4);  // truth, model, naive, AR
  CHECK(count(svg, "<circle class=\"point\"") == 2 * 12);  // the truth's and the model's points
  char text[32];
  std::snprintf(text, sizeof text, "model  MSE %.6g", mse);
  CHECK(svg.find(text) != std::string::npos);
  auto curves = run_attn({"visualize", run, "--curves", "--out", "-"});
  REQUIRE(curves.exit_code == 0);
  CHECK(curves.out.find("validation mse") != std::string::npos);
  auto html_run = run_attn({"visualize", run, "--out", dir + "/f.html"});
  CHECK(html_run.exit_code == 2);
  CHECK_THAT(html_run.err, Catch::Contains("forecasts of runs are SVG"));

  // attn report: the test metrics of the best checkpoint, by name.
  auto report = run_attn({"report", run, "--metrics", "test_mse,test_ar_mse", "--format", "csv"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  CHECK(report.out.find("test_mse,test_ar_mse") != std::string::npos);
}

TEST_CASE("forecast past the end: rolling one-step forecasts, printed and as JSON") {
  const std::string dir = temp_dir("forecast-future"), run = trained_run(dir);
  auto out = run_attn({"forecast", run, "--steps", "3", "--json"});
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  const json doc = json::parse(out.out);
  CHECK(doc.at("last_time") == "1979");
  CHECK(doc.at("ar_order") == 3);
  REQUIRE(doc.at("forecast").size() == 3);
  CHECK(doc.at("forecast").at(0).at("time") == "1980");
  CHECK(doc.at("forecast").at(2).at("time") == "1982");
  for (const json& step : doc.at("forecast")) {
    CHECK(std::isfinite(step.at("model").get<double>()));
    CHECK(std::isfinite(step.at("ar").get<double>()));
    CHECK(step.at("naive") == doc.at("last_value"));
  }
  // The same numbers on screen, and the same again (deterministic).
  auto text = run_attn({"forecast", run, "--steps", "3"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("after 1979") != std::string::npos);
  CHECK(count(text.out, "\n  198") == 3);
  CHECK(json::parse(run_attn({"forecast", run, "--steps", "3", "--json"}).out) == doc);

  auto zero = run_attn({"forecast", run, "--steps", "0"});
  CHECK(zero.exit_code == 2);
  const std::string classify = dir + "/classify";
  REQUIRE(run_attn({"train", "--task", "find", "--max-steps", "2", "--out", classify, "--quiet"}).exit_code == 0);
  auto wrong = run_attn({"forecast", classify, "--steps", "2"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("attn forecast needs a forecast run"));
}

TEST_CASE("co2: an unprepared dataset names its prepare script; a prepared one is read and split by its manifest") {
  const std::string dir = temp_dir("forecast-co2");
  auto missing = run_attn({"train", "--task", "forecast", "--dataset", "co2", "--data-dir", dir, "--out", dir + "/r"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("dataset co2 is not prepared"));
  CHECK_THAT(missing.err, Catch::Contains("datasets/prepare_co2.sh"));

  // A stand-in for what prepare_co2.sh writes: dated weeks, a manifest with the checksum and split.
  fs::create_directories(dir + "/co2");
  std::string csv = "date,co2\n";
  for (int i = 0; i < 60; ++i) csv += "2001-" + std::to_string(100 + i) + "," + std::to_string(360 + i % 7) + "\n";
  std::ofstream(dir + "/co2/co2.csv") << csv;
  const json manifest = {{"name", "co2"},
                         {"files", {{"series", {{"path", "co2.csv"}, {"sha256", attn::data::sha256_hex(csv)}}}}},
                         {"split", {{"train_last", "2001-139"}, {"valid_last", "2001-149"},
                                    {"test", {{{"suffix", ""}, {"last", "2001-159"}}}}}}};
  std::ofstream(dir + "/co2/manifest.json") << manifest.dump();
  auto train = run_attn({"train", "--task", "forecast", "--dataset", "co2", "--data-dir", dir, "--context", "8",
                         "--season", "7", "--max-steps", "2", "--warmup-steps", "0", "--width", "8", "--heads", "2",
                         "--ff-width", "8", "--out", dir + "/r", "--quiet", "--json"});
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  const json state = json::parse(read_text(dir + "/r/task_state.json"));
  CHECK(state.at("split").at("train") == json::array({"2001-100", "2001-139"}));
  CHECK(state.at("split").at("test").at("") == json::array({"2001-150", "2001-159"}));

  std::ofstream(dir + "/co2/co2.csv", std::ios::app) << "2001-160,1\n";
  auto corrupt = run_attn({"train", "--task", "forecast", "--dataset", "co2", "--data-dir", dir, "--out", dir + "/r2"});
  CHECK(corrupt.exit_code == 5);
  CHECK_THAT(corrupt.err, Catch::Contains("co2.csv has sha256"));
  CHECK_THAT(corrupt.err, Catch::Contains("prepare_co2.sh"));
}
