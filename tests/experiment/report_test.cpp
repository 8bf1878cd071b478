// attn report's table: runs gathered from run and sweep directories, varied
// keys, grouping over seeds, sorting, and the four output formats.
#include <catch2/catch.hpp>
#include <sstream>

#include "base/error.h"
#include "experiment/report.h"
#include "experiment/report_format.h"
#include "experiment/run_record.h"
#include "experiment/sweep_index.h"
#include "experiment/temp_dir.h"

using attn::test::TempDir;
namespace ex = attn::experiment;
namespace fs = std::filesystem;

namespace {

// A sweep over attention x seed: dot (per 0.5, 0.7), additive (per 0.2, 0.4), and a
// trial with heads=3 that failed before writing a record.
void write_sweep(const fs::path& dir) {
  const ex::SweepSpec spec = ex::spec_from_json(
      ex::Json::parse(R"({"base": {"arch": "rnn"}, "grid": [{"attention": ["dot", "additive"]}, {"heads": [3]}],
                          "seeds": [1, 2]})"),
      "spec");
  ex::SweepIndex index = ex::new_sweep_index(spec);
  const double per[] = {0.5, 0.7, 0.2, 0.4};
  for (size_t i = 0; i < 4; ++i) {
    ex::SweepTrial& t = index.trials[i];
    ex::TrainConfig config = ex::base_config(spec);
    for (const auto& [key, value] : t.overrides) ex::apply_value(config, key, value, "test");
    config.threads = static_cast<int64_t>(i + 1);  // differs, but is no varied key
    ex::RunRecord r = ex::new_run_record(t.id, {"attn", "train"});
    r.config = ex::to_json(config);
    r.status = ex::RunStatus::completed;
    r.steps = 100;
    r.wall_time_s = 10.0 + static_cast<double>(i);
    r.evaluations = {{50, 1, {{"loss", 2.0}, {"per", 0.9}}}, {100, 2, {{"loss", 1.0}, {"per", per[i]}}}};
    r.best = ex::BestMetric{"per", per[i], 100};
    fs::create_directories(dir / t.id);
    ex::save_record(dir / t.id, r);
    t.status = "completed";
  }
  for (size_t i = 4; i < 6; ++i) {
    index.trials[i].status = "failed";
    index.trials[i].exit_code = 3;
    index.trials[i].message = "invalid config: width=64 is not divisible by heads=3";
  }
  ex::save_sweep_index(dir, index);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("report: runs from a sweep directory, including trials that wrote no record", "[experiment][report]") {
  TempDir tmp;
  write_sweep(tmp.path());
  const std::vector<ex::ReportRun> runs = ex::load_report_runs({tmp.path()});
  REQUIRE(runs.size() == 6);
  CHECK(runs[0].values.at("best_per") == 0.5);
  CHECK(runs[0].values.at("loss") == 1.0);  // the last evaluation, not the first
  CHECK(runs[4].status == "failed");
  CHECK(runs[4].config.at("heads") == 3);
  CHECK(runs[4].values.empty());
  CHECK(ex::varied_keys(runs) == std::vector<std::string>{"heads", "attention", "seed"});

  // A single run directory, and its record.json, name the same run.
  const fs::path one = tmp / runs[1].id;
  CHECK(ex::load_report_runs({one}).at(0).id == runs[1].id);
  CHECK(ex::load_report_runs({one / "record.json"}).at(0).id == runs[1].id);
  CHECK_THROWS_AS(ex::load_report_runs({one / "checkpoints-nowhere"}), attn::Error);
}

TEST_CASE("report: per-run rows, grouping over seeds with mean and std, sorting best first", "[experiment][report]") {
  TempDir tmp;
  write_sweep(tmp.path());
  const std::vector<ex::ReportRun> runs = ex::load_report_runs({tmp.path()});

  ex::ReportTable table = ex::build_report(runs, {});
  CHECK(table.metrics == std::vector<std::string>{"best_per", "loss", "per"});
  CHECK(table.rows.size() == 6);
  CHECK(table.rows[4].cells[0].n == 0);

  ex::ReportOptions grouped;
  grouped.group = true;
  grouped.sort = "per";
  grouped.metrics = {"per", "wall_time_s"};
  table = ex::build_report(runs, grouped);
  CHECK(table.keys == std::vector<std::string>{"heads", "attention"});
  REQUIRE(table.rows.size() == 3);
  // additive (0.2, 0.4) before dot (0.5, 0.7): lower PER is better; the failed group last.
  CHECK(table.rows[0].keys == std::vector<std::string>{"4", "additive"});
  CHECK(table.rows[0].cells[0].mean == Approx(0.3));
  CHECK(table.rows[0].cells[0].std == Approx(0.1414213562));
  CHECK(table.rows[0].cells[0].n == 2);
  CHECK(table.rows[0].runs == 2);
  CHECK(table.rows[0].ok == 2);
  CHECK(table.rows[1].cells[1].mean == Approx(10.5));
  CHECK(table.rows[2].keys == std::vector<std::string>{"3", "scaled_dot"});  // the default attention
  CHECK(table.rows[2].ok == 0);

  ex::ReportOptions by_loss_of_runs;
  by_loss_of_runs.sort = "best_per";
  table = ex::build_report(runs, by_loss_of_runs);
  CHECK(table.rows[0].id == runs[2].id);  // 0.2

  ex::ReportOptions unknown;
  unknown.metrics = {"bleu"};
  CHECK_THROWS_AS(ex::build_report(runs, unknown), attn::Error);
}

TEST_CASE("report formats: aligned text, Markdown, CSV and JSON", "[experiment][report]") {
  TempDir tmp;
  write_sweep(tmp.path());
  ex::ReportOptions options;
  options.group = true;
  options.metrics = {"per"};
  const ex::ReportTable table = ex::build_report(ex::load_report_runs({tmp.path()}), options);

  const std::vector<std::string> text = lines(ex::render_report(table, ex::ReportFormat::text));
  REQUIRE(text.size() == 2 + 3);
  CHECK(text[0] == "heads  attention   runs             per");
  CHECK(text[1] == "-----  ----------  ------  ------------");
  CHECK(text[2] == "4      dot         2/2 ok  0.6 ± 0.1414");
  CHECK(text[4] == "3      scaled_dot  0/2 ok             -");

  const std::vector<std::string> md = lines(ex::render_report(table, ex::ReportFormat::markdown));
  REQUIRE(md.size() == 2 + 3);
  CHECK(md[0] == "| heads | attention | runs | per |");
  CHECK(md[1] == "|---|---|---|---:|");
  CHECK(md[3] == "| 4 | additive | 2/2 ok | 0.3 ± 0.1414 |");

  const std::vector<std::string> csv = lines(ex::render_report(table, ex::ReportFormat::csv));
  REQUIRE(csv.size() == 1 + 3);
  CHECK(csv[0] == "heads,attention,runs,ok,per,per_std,per_n");
  CHECK(csv[1] == "4,dot,2,2,0.6,0.14142135623730948,2");
  CHECK(csv[3] == "3,scaled_dot,2,0,,,0");

  const ex::Json json = ex::Json::parse(ex::render_report(table, ex::ReportFormat::json));
  REQUIRE(json.size() == 3);
  CHECK(json[0]["config"]["heads"] == 4);
  CHECK(json[0]["config"]["attention"] == "dot");
  CHECK(json[0]["runs"] == 2);
  CHECK(json[1]["metrics"]["per"]["mean"].get<double>() == Approx(0.3));
  CHECK(json[2]["metrics"]["per"]["mean"].is_null());

  CHECK(ex::parse_report_format("markdown") == ex::ReportFormat::markdown);
  CHECK_THROWS_AS(ex::parse_report_format("html"), attn::Error);
}
