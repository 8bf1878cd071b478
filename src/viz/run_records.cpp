// Readers of a run directory for the learning-curve plot (declared in learning_curves.h).
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/excerpt.h"
#include "base/json_parse.h"
#include "base/regular_file.h"
#include "viz/learning_curves.h"

namespace attn::viz {
namespace {

using nlohmann::json;

int64_t step_of(const json& object, const std::string& where) {
  const auto it = object.find("step");
  ATTN_CHECK(it != object.end() && it->is_number_integer(), data, where, " needs an integer \"step\", got ",
             excerpt(object.dump()));
  return it->get<int64_t>();
}

}  // namespace

RunCurves run_curves_from_json(const json& record, std::string_view metrics_jsonl, std::string label) {
  ATTN_CHECK(record.is_object(), data, "record.json must hold an object, got ", record.type_name());
  RunCurves run;
  run.label = std::move(label);
  if (const auto best = record.find("best"); best != record.end() && best->is_object()) {
    if (const auto metric = best->find("metric"); metric != best->end() && metric->is_string())
      run.best_metric = metric->get<std::string>();
    if (const auto step = best->find("step"); step != best->end() && step->is_number_integer())
      run.best_step = step->get<int64_t>();
  }
  if (const auto evals = record.find("evaluations"); evals != record.end()) {
    ATTN_CHECK(evals->is_array(), data, "record.json: evaluations must be an array");
    for (size_t i = 0; i < evals->size(); ++i) {
      const json& e = (*evals)[i];
      const std::string where = "record.json evaluations[" + std::to_string(i) + "]";
      ATTN_CHECK(e.is_object(), data, where, " must be an object");
      EvalPoint point{step_of(e, where), {}};
      const auto metrics = e.find("metrics");
      ATTN_CHECK(metrics != e.end() && metrics->is_object(), data, where, " needs a \"metrics\" object");
      for (const auto& [name, value] : metrics->items())
        if (value.is_number()) point.metrics[name] = value.get<double>();
      run.evals.push_back(std::move(point));
    }
  }

  size_t line_number = 0;
  for (size_t start = 0; start < metrics_jsonl.size();) {
    size_t end = metrics_jsonl.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) end = metrics_jsonl.size();
    const std::string_view line = metrics_jsonl.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = "metrics.jsonl line " + std::to_string(line_number);
    json entry;
    try {
      entry = parse_json_checked<json>(line, ErrorKind::data, where);
    } catch (const Error&) {
      entry = json();  // not an object: refused below, or ignored as a torn last line
    }
    if (last && !entry.is_object()) break;  // torn by a crash: ignored, like every reader
    ATTN_CHECK(entry.is_object(), data, where, " is not a JSON object: ", excerpt(line));
    const auto loss = entry.find("loss");
    if (loss == entry.end() || !loss->is_number()) continue;
    run.train.push_back({step_of(entry, where), loss->get<double>()});
  }
  return run;
}

RunCurves load_run_curves(const std::filesystem::path& run_dir) {
  const std::filesystem::path record_path = run_dir / "record.json";
  const json record = parse_json_checked<json>(read_regular_file(record_path, kMaxRunFileBytes, ErrorKind::data, "record"),
                                               ErrorKind::data, record_path.string());
  const std::filesystem::path metrics_path = run_dir / "metrics.jsonl";
  const std::string metrics = std::filesystem::exists(metrics_path) ? read_regular_file(metrics_path, kMaxRunFileBytes, ErrorKind::data, "metrics log") : std::string();
  std::string label = run_dir.filename().string();
  if (label.empty()) label = run_dir.parent_path().filename().string();  // "runs/a/" has an empty filename
  if (const auto id = record.find("id"); id != record.end() && id->is_string()) label = id->get<std::string>();
  // A sweep's trials are named alike across sweeps: the legend says which sweep a trial is from.
  const std::filesystem::path parent = run_dir.filename().empty() ? run_dir.parent_path().parent_path()
                                                                  : run_dir.parent_path();
  if (std::filesystem::exists(parent / "sweep.json")) label = parent.filename().string() + "/" + label;
  try {
    return run_curves_from_json(record, metrics, std::move(label));
  } catch (const Error& e) {
    throw Error(e.kind(), run_dir.string() + ": " + e.what());  // which run, when several are plotted
  }
}

}  // namespace attn::viz
