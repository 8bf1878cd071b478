// The data of `attn report`: runs gathered from run and sweep directories, the
// config keys that differ between them, and a table of chosen metrics, one row
// per run or per configuration (mean and standard deviation over the runs that
// differ only in their seed). Rendering the table as text, Markdown, CSV or JSON
// is report_format.h's job.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "experiment/json_file.h"

namespace attn::experiment {

struct ReportRun {
  std::string id;      // the run directory's name
  std::string status;  // the record's status, or the sweep's for a trial that wrote no record
  std::string message;
  Json config = Json::object();  // the resolved config (for a trial without a record: base + overrides)
  // best_<metric> and best_step (the record's best), every metric of the last
  // evaluation under its own name, steps and wall_time_s.
  std::map<std::string, double> values;
  std::map<std::string, bool> lower_is_better;  // the record's metric directions (empty for old records)
};

// Each input is a run directory, its record.json, or a directory of runs one
// level down (a sweep: its sweep.json also contributes trials that failed before
// writing a record). Throws Error kind io for an input holding no run.
std::vector<ReportRun> load_report_runs(const std::vector<std::filesystem::path>& inputs);

// Config keys whose values are not the same in every run, in config order;
// threads is left out (it changes speed, not results).
std::vector<std::string> varied_keys(const std::vector<ReportRun>& runs);

struct ReportOptions {
  std::vector<std::string> metrics;  // empty: the best metric, then the last evaluation's metrics
  std::string sort;                  // a metric column, best first (lower first for loss, per, wer, time)
  bool group = false;                // one row per configuration, over seeds
};

struct ReportCell {
  double mean = 0, std = 0;  // std: sample standard deviation, 0 for one value
  int64_t n = 0;             // runs with a value; 0 = no value
};

struct ReportRow {
  std::string id, status;         // of the run; empty for a group
  int64_t runs = 1, ok = 0;       // runs in the row, and how many completed or stopped early
  std::vector<std::string> keys;  // values of ReportTable::keys
  std::vector<ReportCell> cells;  // values of ReportTable::metrics
};

struct ReportTable {
  bool grouped = false;
  std::vector<std::string> keys;     // varied config keys (without seed when grouped)
  std::vector<std::string> metrics;  // metric columns
  std::vector<ReportRow> rows;
};

// Throws Error kind usage for a metric or sort column no run has.
ReportTable build_report(const std::vector<ReportRun>& runs, const ReportOptions& options);

}  // namespace attn::experiment
