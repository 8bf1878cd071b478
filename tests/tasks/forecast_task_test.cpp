// The forecast task: windows and the split protocol (no validation or test value reaches
// training windows or the scaler), metrics and their direction, and the baselines on the
// classic sunspot split against the values statsmodels gives.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "data/scaler.h"
#include "support/error_text.h"
#include "tasks/forecast_task.h"

using namespace attn;
using namespace attn::tasks;
namespace fs = std::filesystem;

namespace {
TaskOptions forecast_options(int64_t context = 20, int64_t horizon = 1) {
  TaskOptions o;
  o.task = "forecast";
  o.context = context;
  o.horizon = horizon;
  return o;
}

models::ModelOptions tiny_model() {
  models::ModelOptions m;
  m.enc_layers = 1, m.width = 8, m.heads = 2, m.ff_width = 16;
  return m;
}

// A CSV of 40 values 0..39 whose last `changed` values are replaced by 1000 + i.
fs::path write_series(const std::string& name, int changed) {
  const fs::path path = fs::temp_directory_path() / ("attn_forecast_task_" + std::to_string(::getpid()) + name);
  std::ofstream out(path);
  out << "t,v\n";
  for (int i = 0; i < 40; ++i) out << i << "," << (i >= 40 - changed ? 1000 + i : i * (i % 3)) << "\n";
  return path;
}
}  // namespace

TEST_CASE("forecast task: sunspot windows, spans and the metrics' direction", "[tasks][forecast]") {
  const ForecastTask task(forecast_options());
  CHECK(task.dataset_name() == "sunspots");
  // Targets 1720 .. 1900: every window and target inside the training span 1700-1900.
  REQUIRE(task.train_examples().size() == 181);
  const data::EncodedPair& last = task.train_examples().back();
  CHECK(last.values.size() == 20);
  const nlohmann::json state = task.state();
  const data::Scaler scaler{"standard", state["scaler"]["shift"], state["scaler"]["scale"]};
  CHECK(last.targets == std::vector<float>{scaler.apply(9.5)});  // 1900
  CHECK(state["split"]["train"] == nlohmann::json::array({"1700", "1900"}));
  CHECK(state["split"]["valid"] == nlohmann::json::array({"1901", "1920"}));
  CHECK(state["split"]["test"]["_1987"] == nlohmann::json::array({"1921", "1987"}));
  const std::vector<EvalSet> valid = task.eval_sets(data::Split::valid), test = task.eval_sets(data::Split::test);
  REQUIRE(valid.size() == 1);
  CHECK(valid[0].pairs.size() == 20);
  CHECK(valid[0].pairs[0] == data::TextPair{"1901", "2.7"});
  REQUIRE(test.size() == 2);
  CHECK(test[0].suffix == "_1955");
  CHECK(test[0].pairs.size() == 35);
  CHECK(test[1].pairs.size() == 67);
  CHECK(task.primary_metric() == "mse");
  for (const MetricInfo& m : task.metrics()) CHECK(m.lower_is_better);
}

TEST_CASE("forecast task: validation and test values never reach training windows or the scaler",
          "[tasks][forecast]") {
  // 40 values: train 0..27, valid 28..33, test 34..39. Changing valid and test values must
  // change neither the training windows nor the scaler.
  const fs::path plain = write_series("plain.csv", 0), changed = write_series("changed.csv", 12);
  TaskOptions o = forecast_options(5, 2);
  o.ar_order = 2;
  o.series_file = plain.string();
  const ForecastTask a(o);
  o.series_file = changed.string();
  const ForecastTask b(o);
  CHECK(a.state() == b.state());
  REQUIRE(a.train_examples().size() == 28 - 5 - 2 + 1);
  for (size_t i = 0; i < a.train_examples().size(); ++i) {
    CHECK(a.train_examples()[i].values == b.train_examples()[i].values);
    CHECK(a.train_examples()[i].targets == b.train_examples()[i].targets);
  }
  CHECK(a.dataset_checksum() != b.dataset_checksum());
  fs::remove(plain);
  fs::remove(changed);
}

TEST_CASE("forecast task: baselines on the classic sunspot split match statsmodels", "[tasks][forecast]") {
  const ForecastTask task(forecast_options());
  std::unique_ptr<models::Model> model = task.build_model(tiny_model());
  const std::vector<EvalSet> test = task.eval_sets(data::Split::test);
  const Evaluation to1955 = task.evaluate(*model, test[0], {}), to1987 = task.evaluate(*model, test[1], {});
  // statsmodels AutoReg(9) fitted on 1700-1920, one step ahead: 189.2 and 305.2 (the issue's ≈189 and ≈305).
  CHECK(to1955.metrics.at("ar_mse") == Approx(189.19).margin(0.01));
  CHECK(to1987.metrics.at("ar_mse") == Approx(305.25).margin(0.01));
  CHECK(to1955.metrics.at("naive_mse") == Approx(638.31).margin(0.01));
  CHECK(to1987.metrics.at("naive_mse") == Approx(920.73).margin(0.01));
  // MASE divides each MAE by one in-sample scale, so the ratio of two MASEs is that of their MAEs.
  CHECK(to1987.metrics.at("ar_mase") / to1987.metrics.at("naive_mase") ==
        Approx(to1987.metrics.at("ar_mae") / to1987.metrics.at("naive_mae")));
  CHECK(to1955.details["ar"]["fitted_through"] == "1920");
  REQUIRE(to1955.predictions.size() == 35);
  CHECK(to1955.predictions[0][0] == "1921");
  CHECK(to1955.predictions[0][1] == "26.1");
  CHECK(to1955.predictions[0][3] == "37.6");  // naive: 1920's value
}

TEST_CASE("forecast task: too short a series is a one-line data error", "[tasks][forecast]") {
  const fs::path plain = write_series("short.csv", 0);
  TaskOptions o = forecast_options(30, 1);
  o.series_file = plain.string();
  CHECK(testing::error_text([&] { ForecastTask t(o); }, ErrorKind::data) ==
        plain.string() + ": 40 values leave 28 for training, too short for context 30 + horizon 1 (needs at least 31 "
                         "training values)");
  o.context = 5;
  o.ar_order = 20;
  CHECK_THAT(testing::error_text([&] { ForecastTask t(o); }, ErrorKind::data),
             Catch::Contains("too few to fit the AR(20) baseline (needs 41); lower ar_order"));
  fs::remove(plain);
}
