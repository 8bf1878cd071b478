// The forecast task end to end through the real binary, on a tiny series file and on the
// embedded sunspots: train, eval --json with baselines, attend with values and forecast,
// resume after SIGKILL, malformed series and refused keys.

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/resume_after_kill.h"
#include "support/run_attn.h"

using attn::testing::kill_at_checkpoint_then_resume;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// 80 yearly values of a noisy 11-year cycle: 56 train, 12 valid, 12 test.
std::string tiny_series(const std::string& dir) {
  const std::string path = dir + "/cycle.csv";
  std::ofstream out(path);
  out << "year,value\n";
  for (int i = 0; i < 80; ++i)
    out << 1900 + i << "," << 50 + 40 * std::sin(2 * M_PI * i / 11.0) + (i * 37 % 13) << "\n";
  return path;
}

std::vector<std::string> forecast_args(const std::string& series, const std::string& out, int steps) {
  return {"train", "--task", "forecast", "--series-file", series, "--context", "12", "--season", "11",
          "--ar-order", "3", "--out", out, "--max-steps", std::to_string(steps), "--eval-every", "20",
          "--checkpoint-every", "10", "--width", "16", "--heads", "2", "--ff-width", "32", "--batch-size", "16",
          "--warmup-steps", "5", "--threads", "1", "--quiet", "--json"};
}

json strip_timing(json record) {
  for (const char* key : {"id", "wall_time_s", "throughput", "peak_memory_mib", "command_line"}) record.erase(key);
  return record;
}
}  // namespace

TEST_CASE("forecast: train, eval --json with baselines, attend with the window's values and the forecast") {
  const std::string dir = temp_dir("forecast-train"), run = dir + "/run", series = tiny_series(dir);
  std::vector<std::string> args = forecast_args(series, run, 60);
  args.insert(args.end(), {"--causal", "--pool", "last"});
  auto train = run_attn(args);
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  const json record = json::parse(train.out);
  CHECK(record.at("task") == "forecast");
  CHECK(record.at("dataset").at("name") == series);
  CHECK(record.at("best").at("metric") == "mse");
  CHECK(record.at("lower_is_better").at("mse") == true);
  const json state = json::parse(read_text(run + "/task_state.json"));
  CHECK(state.at("scaler").at("kind") == "standard");
  CHECK(state.at("split").at("train") == json::array({"1900", "1955"}));

  auto eval = run_attn({"eval", run, "--json"});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  const json metrics = json::parse(eval.out);
  for (const char* key : {"mse", "rmse", "mae", "smape", "mase", "naive_mse", "snaive_mse", "ar_mse", "ar_mase"})
    CHECK(metrics.contains(key));
  CHECK(metrics.at("rmse").get<double>() == Approx(std::sqrt(metrics.at("mse").get<double>())));
  CHECK(metrics.at("ar").at("order") == 3);
  CHECK(metrics.at("ar").at("fitted_through") == "1967");
  const std::string tsv = read_text(run + "/eval/test-best.tsv");
  CHECK(tsv.rfind("time\treference\tprediction\tnaive\tsnaive\tar\n1968\t", 0) == 0);

  auto attend = run_attn({"attend", run, "--split", "test", "--index", "0", "--out", "-"});
  INFO(attend.err);
  REQUIRE(attend.exit_code == 0);
  const json doc = json::parse(attend.out);
  CHECK(doc.at("model").at("causal") == true);
  const json& item = doc.at("items").at(0);
  CHECK(item.at("source") == "1968");
  CHECK(item.at("source_tokens").size() == 12);
  CHECK(item.at("series").at("times").at(11) == "1967");
  CHECK(item.at("series").at("values").size() == 12);
  CHECK(item.at("series").at("target_times") == json::array({"1968"}));
  CHECK(item.at("series").at("forecast").size() == 1);
  CHECK(item.at("series").at("truth").size() == 1);
  int self = 0;
  for (const json& layer : item.at("layers")) {
    if (layer.at("kind") == "encoder_self") {
      ++self;
      const json& head = layer.at("heads").at(0);
      CHECK(head.at(0).at(1) == 0.0);  // causal: step 0 never sees step 1
    }
    if (layer.at("kind") == "pooling") CHECK(layer.at("heads").at(0).at(0).at(11) == 1.0);  // pool last
  }
  CHECK(self == 2);

  auto bad = run_attn({"attend", run, "--input", "1901", "--out", "-"});
  CHECK(bad.exit_code == 5);
  CHECK_THAT(bad.err, Catch::Contains("'1901' is not a time of series"));
}

TEST_CASE("forecast: a run killed with SIGKILL and resumed ends with the uninterrupted record (rnn)") {
  const std::string dir = temp_dir("forecast-resume"), series = tiny_series(dir);
  auto rnn = [&](const std::string& out) {
    std::vector<std::string> args = forecast_args(series, out, 80);
    // An RNN has no width or heads of the Transformer: drop them.
    for (const char* key : {"--width", "--heads", "--ff-width"}) {
      const auto it = std::find(args.begin(), args.end(), key);
      args.erase(it, it + 2);
    }
    args.insert(args.end(), {"--arch", "rnn", "--attention", "additive", "--rnn-hidden", "16", "--embed-width", "8"});
    return args;
  };
  auto whole = run_attn(rnn(dir + "/whole"));
  INFO(whole.err);
  REQUIRE(whole.exit_code == 0);
  auto resumed = kill_at_checkpoint_then_resume(rnn(dir + "/killed"), dir + "/killed", 10);
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(strip_timing(json::parse(whole.out)).dump() == strip_timing(json::parse(resumed.out)).dump());
}

TEST_CASE("forecast: malformed series and keys that do not apply are one-line errors") {
  const std::string dir = temp_dir("forecast-bad");
  const auto train_on = [&](const std::string& csv, std::vector<std::string> extra = {}) {
    const std::string path = dir + "/bad.csv";
    std::ofstream(path) << csv;
    std::vector<std::string> args{"train", "--task", "forecast", "--series-file", path, "--max-steps", "1",
                                  "--warmup-steps", "0", "--out", dir + "/run"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_attn(args);
  };
  auto not_number = train_on("year,v\n1900,1\n1901,x\n");
  CHECK(not_number.exit_code == 5);
  CHECK(not_number.err == "attn: error: " + dir + "/bad.csv:3: value 'x' is not a number\n");
  auto gap = train_on("1900,1\n1901,2\n1903,3\n");
  CHECK(gap.exit_code == 5);
  CHECK_THAT(gap.err, Catch::Contains("bad.csv:3: time 1903 follows 1901 (a gap"));
  auto missing = train_on("1900,1\n1901,\n");
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("bad.csv:2: missing value"));
  std::string short_series;
  for (int i = 0; i < 20; ++i) short_series += std::to_string(i % 7) + "\n";
  auto too_short = train_on(short_series);
  CHECK(too_short.exit_code == 5);
  CHECK_THAT(too_short.err, Catch::Contains("too short for context 20 + horizon 1"));
  for (const auto& r : {not_number, gap, missing, too_short}) CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto no_file = run_attn({"train", "--task", "forecast", "--series-file", dir + "/none.csv", "--out", dir + "/r"});
  CHECK(no_file.exit_code == 4);

  auto smoothing = run_attn({"train", "--task", "forecast", "--label-smoothing", "0.2", "--out", dir + "/r"});
  CHECK(smoothing.exit_code == 3);
  CHECK_THAT(smoothing.err, Catch::Contains("label_smoothing=0.2 has no effect with task=forecast"));
  auto cls = run_attn({"train", "--task", "forecast", "--pool", "cls", "--out", dir + "/r"});
  CHECK(cls.exit_code == 3);
  CHECK_THAT(cls.err, Catch::Contains("pool=cls is not supported with task=forecast"));
  auto context = run_attn({"train", "--task", "classify", "--context", "5", "--out", dir + "/r"});
  CHECK(context.exit_code == 3);
  CHECK_THAT(context.err, Catch::Contains("context=5 has no effect with task=classify"));
  auto causal = run_attn({"train", "--task", "forecast", "--arch", "rnn", "--causal", "--out", dir + "/r"});
  CHECK(causal.exit_code == 3);
  CHECK_THAT(causal.err, Catch::Contains("causal=true has no effect with arch=rnn"));
  auto highway = run_attn({"train", "--task", "forecast", "--highway", "21", "--out", dir + "/highway"});
  CHECK(highway.exit_code == 3);
  CHECK(highway.err == "attn: error: highway 21 reads more values than the context of 20\n");
  CHECK_FALSE(fs::exists(dir + "/highway"));
}

// With the highway too: it trains, checkpoints and evaluates like any parameter.
TEST_CASE("forecast: the test spans' metrics are lower-is-better in the record, so report sorts them ascending") {
  const std::string dir = temp_dir("forecast-report");
  for (const char* seed : {"1", "2", "3"}) {
    const std::string run = dir + "/seed" + seed;
    auto train = run_attn({"train", "--task", "forecast", "--dataset", "sunspots", "--max-steps", "20", "--eval-every", "20",
                           "--width", "16", "--heads", "2", "--ff-width", "32", "--threads", "1", "--seed", seed,
                           "--highway", "9", "--out", run, "--quiet", "--json"});
    INFO(train.err);
    REQUIRE(train.exit_code == 0);
    CHECK(json::parse(train.out).at("lower_is_better").at("mse_1955") == true);
    REQUIRE(run_attn({"eval", run}).exit_code == 0);
  }
  auto report = run_attn({"report", dir, "--sort", "test_mse_1955", "--metrics", "test_mse_1955", "--format", "json"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  const json rows = json::parse(report.out);
  REQUIRE(rows.size() == 3);
  for (size_t i = 1; i < rows.size(); ++i)
    CHECK(rows[i - 1].at("metrics").at("test_mse_1955").get<double>() <= rows[i].at("metrics").at("test_mse_1955").get<double>());
}
