#include "experiment/report.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

#include "base/error.h"
#include "experiment/config_schema.h"
#include "experiment/run_dir.h"
#include "experiment/run_record.h"
#include "experiment/sweep_index.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTestBestKey = "test-best";
constexpr std::string_view kTestPrefix = "test_";

ReportRun run_from_record(const fs::path& dir) {
  const RunRecord r = load_record(dir);
  ReportRun run{dir.filename().string(), status_name(r.status), r.message, r.config, {}, {}};
  if (r.best) {
    run.values["best_" + r.best->metric] = r.best->value;
    run.values["best_step"] = static_cast<double>(r.best->step);
  }
  if (!r.evaluations.empty())
    for (const auto& [name, value] : r.evaluations.back().metrics) run.values[name] = value;
  // attn eval's test metrics of the best checkpoint, as test_<metric> (columns only by --metrics).
  if (r.eval && r.eval->contains(kTestBestKey)) {
    const Json metrics = (*r.eval)[kTestBestKey].value("metrics", Json::object());
    for (const auto& [name, value] : metrics.items())
      if (value.is_number()) run.values[std::string(kTestPrefix) + name] = value.get<double>();
  }
  run.values["steps"] = static_cast<double>(r.steps);
  run.values["wall_time_s"] = r.wall_time_s;
  run.lower_is_better = r.lower_is_better;
  return run;
}

// A sweep trial that ended before its run wrote a record (e.g. its config was invalid).
ReportRun run_from_trial(const SweepIndex& index, const SweepTrial& trial) {
  TrainConfig config = base_config(index.spec);
  for (const auto& [key, value] : trial.overrides) apply_value(config, key, value, trial.id);
  return ReportRun{trial.id, trial.status, trial.message, to_json(config), {}, {}};
}

void add_runs_below(const fs::path& dir, std::vector<ReportRun>& runs) {
  std::vector<fs::path> subdirs;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) subdirs.push_back(entry.path());
  std::sort(subdirs.begin(), subdirs.end());
  const std::optional<SweepIndex> index = load_sweep_index(dir);
  std::set<std::string> seen;
  if (index)
    for (const SweepTrial& t : index->trials) {
      seen.insert(t.id);
      if (fs::exists(dir / t.id / run_files::record)) runs.push_back(run_from_record(dir / t.id));
      else if (t.status != "pending") runs.push_back(run_from_trial(*index, t));
    }
  for (const fs::path& sub : subdirs)
    if (!seen.count(sub.filename().string()) && fs::exists(sub / run_files::record))
      runs.push_back(run_from_record(sub));
}

// "-" for a key the run does not have or that has no effect on it.
std::string key_text(const Json& v) { return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump(); }

bool scoped_out(const std::vector<std::string>& scope, const Json& value) {
  return !scope.empty() && value.is_string() && std::find(scope.begin(), scope.end(), value.get<std::string>()) == scope.end();
}

// The run's value of a config key, or null where the schema says the key has no effect on it
// (heads of an RNN, rnn_cell of a Transformer): a column that differs only there is not varied.
Json applied_value(const ReportRun& run, const std::string& key) {
  const ConfigKey* k = find_config_key(key);
  if (k && (scoped_out(k->archs, run.config.value("arch", Json())) || scoped_out(k->tasks, run.config.value("task", Json()))))
    return Json();
  return run.config.value(key, Json());
}

bool lower_first(const std::string& column, const std::vector<ReportRun>& runs) {
  if (column == "wall_time_s" || column == "best_step") return true;
  const std::string metric = column.rfind("best_", 0) == 0   ? column.substr(5)
                             : column.rfind(kTestPrefix, 0) == 0 ? column.substr(kTestPrefix.size())
                                                                 : column;
  for (const ReportRun& run : runs)
    if (auto it = run.lower_is_better.find(metric); it != run.lower_is_better.end()) return it->second;
  return lower_is_better(RunRecord{}, metric);  // only records without directions hold it
}

// The columns of the default report: each best_<metric>, then the last evaluation's metrics.
std::vector<std::string> default_metrics(const std::vector<ReportRun>& runs) {
  std::vector<std::string> best, rest;
  for (const ReportRun& run : runs)
    for (const auto& [name, value] : run.values) {
      if (name == "best_step" || name == "steps" || name == "wall_time_s" || name.rfind(kTestPrefix, 0) == 0) continue;
      std::vector<std::string>& list = name.rfind("best_", 0) == 0 ? best : rest;
      if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
    }
  best.insert(best.end(), rest.begin(), rest.end());
  return best;
}

ReportCell summarize(const std::vector<const ReportRun*>& runs, const std::string& metric) {
  std::vector<double> xs;
  for (const ReportRun* r : runs)
    if (auto it = r->values.find(metric); it != r->values.end()) xs.push_back(it->second);
  ReportCell cell;
  cell.n = static_cast<int64_t>(xs.size());
  if (xs.empty()) return cell;
  for (double x : xs) cell.mean += x;
  cell.mean /= static_cast<double>(xs.size());
  if (xs.size() > 1) {
    double ss = 0;
    for (double x : xs) ss += (x - cell.mean) * (x - cell.mean);
    cell.std = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  }
  return cell;
}

}  // namespace

std::vector<ReportRun> load_report_runs(const std::vector<fs::path>& inputs) {
  std::vector<ReportRun> runs;
  for (const fs::path& in : inputs) {
    const size_t before = runs.size();
    if (in.filename() == run_files::record && fs::is_regular_file(in)) runs.push_back(run_from_record(in.parent_path()));
    else if (fs::exists(in / run_files::record)) runs.push_back(run_from_record(in));
    else if (fs::is_directory(in)) add_runs_below(in, runs);
    ATTN_CHECK(runs.size() > before, io, "'", in.string(),
               "' holds no run (no record.json in it or its subdirectories, no sweep.json)");
  }
  return runs;
}

std::vector<std::string> varied_keys(const std::vector<ReportRun>& runs) {
  std::vector<std::string> keys;
  for (const ReportRun& run : runs)
    for (auto it = run.config.begin(); it != run.config.end(); ++it)
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
  std::vector<std::string> varied;
  for (const std::string& key : keys) {
    if (key == "threads") continue;
    const Json first = applied_value(runs.front(), key);
    for (const ReportRun& run : runs)
      if (applied_value(run, key) != first) {
        varied.push_back(key);
        break;
      }
  }
  return varied;
}

ReportTable build_report(const std::vector<ReportRun>& runs, const ReportOptions& options) {
  ReportTable table;
  table.grouped = options.group;
  table.metrics = options.metrics.empty() ? default_metrics(runs) : options.metrics;
  auto known = [&](const std::string& column) {
    return std::any_of(runs.begin(), runs.end(), [&](const ReportRun& r) { return r.values.count(column) > 0; });
  };
  for (const std::string& m : table.metrics)
    ATTN_CHECK(known(m), usage, "no run has the metric '", m, "'");
  ATTN_CHECK(options.sort.empty() || known(options.sort), usage, "cannot sort by '", options.sort,
             "': no run has that metric");

  for (const std::string& key : varied_keys(runs))
    if (!options.group || key != "seed") table.keys.push_back(key);
  auto key_values = [&](const ReportRun& run) {
    std::vector<std::string> values;
    for (const std::string& key : table.keys) values.push_back(key_text(applied_value(run, key)));
    return values;
  };

  // Rows in the order their first run appears.
  std::vector<std::pair<std::vector<std::string>, std::vector<const ReportRun*>>> groups;
  for (const ReportRun& run : runs) {
    std::vector<std::string> values = key_values(run);
    auto same = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == values; });
    if (options.group && same != groups.end()) same->second.push_back(&run);
    else groups.push_back({values, {&run}});
  }
  std::vector<ReportCell> sort_cells;  // the sort column of each row, shown or not
  for (const auto& [values, members] : groups) {
    ReportRow row;
    row.keys = values;
    row.runs = static_cast<int64_t>(members.size());
    row.ok = std::count_if(members.begin(), members.end(), [](const ReportRun* r) { return trial_succeeded(r->status); });
    if (!options.group) {
      row.id = members.front()->id;
      row.status = members.front()->status;
    }
    for (const std::string& m : table.metrics) row.cells.push_back(summarize(members, m));
    if (!options.sort.empty()) sort_cells.push_back(summarize(members, options.sort));
    table.rows.push_back(std::move(row));
  }

  if (!options.sort.empty()) {
    const bool ascending = lower_first(options.sort, runs);
    std::vector<size_t> order(table.rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const ReportCell &x = sort_cells[a], &y = sort_cells[b];
      const bool xv = x.n > 0 && !std::isnan(x.mean), yv = y.n > 0 && !std::isnan(y.mean);
      if (xv != yv) return xv;  // rows without a value go last
      return xv && (ascending ? x.mean < y.mean : x.mean > y.mean);
    });
    std::vector<ReportRow> sorted;
    for (size_t i : order) sorted.push_back(std::move(table.rows[i]));
    table.rows = std::move(sorted);
  }
  return table;
}

}  // namespace attn::experiment
