// `attn report`: a table of runs (or of configurations over seeds) from run and
// sweep directories, in the format asked for, on stdout.
#include <iostream>

#include "cli/commands.h"
#include "experiment/report.h"
#include "experiment/report_format.h"

namespace attn::cli {

namespace {
struct ReportFlags {
  std::vector<std::string> inputs;
  std::string metrics, sort, format = "text";
  bool group = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    if (!item.empty()) items.push_back(item);
    item.clear();
  }
  return items;
}
}  // namespace

Command add_report_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("report", "Tabulate runs and sweeps: varied config keys and metrics");
  auto f = std::make_shared<ReportFlags>();
  sub->add_option("inputs", f->inputs, "run directories, record.json files, or sweep directories")->required();
  sub->add_option("--metrics", f->metrics,
                  "metric columns, e.g. per,wer (default: each best_<metric>, then the last evaluation's "
                  "metrics; best_step, steps and wall_time_s only when named here)")
      ->type_name("M1,M2,...");
  sub->add_option("--sort", f->sort, "sort by a metric, best first (lower first for loss, per, wer, wall_time_s)");
  sub->add_option("--format", f->format, "text (aligned) | markdown | csv | json")
      ->check(CLI::IsMember({"text", "markdown", "csv", "json"}))
      ->capture_default_str();
  sub->add_flag("--group", f->group, "one row per configuration: mean ± std over runs that differ only in seed");
  return {sub, [f]() -> int {
            std::vector<std::filesystem::path> inputs(f->inputs.begin(), f->inputs.end());
            for (const auto& in : inputs)
              ATTN_CHECK(std::filesystem::exists(in), io, "no such file or directory: '", in.string(), "'");
            experiment::ReportOptions options;
            options.metrics = split_list(f->metrics);
            options.sort = f->sort;
            options.group = f->group;
            const experiment::ReportTable table =
                experiment::build_report(experiment::load_report_runs(inputs), options);
            std::cout << experiment::render_report(table, experiment::parse_report_format(f->format));
            return 0;
          }};
}

}  // namespace attn::cli
