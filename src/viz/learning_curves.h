// Learning curves of one or more runs as one SVG: training loss vs step on the left, a
// validation metric vs step on the right, runs overlaid in distinct colours with a legend.
// Also the readers that turn a run directory (record.json + metrics.jsonl, written by the
// experiment level) into curves; reading is kept in load_run_curves so rendering stays pure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

struct TrainPoint {
  int64_t step = 0;
  double loss = 0.0;
};

struct EvalPoint {
  int64_t step = 0;
  std::map<std::string, double> metrics;  // e.g. {"loss": 1.2, "per": 0.31}
};

struct RunCurves {
  std::string label;
  std::vector<TrainPoint> train;
  std::vector<EvalPoint> evals;
  std::string best_metric;  // the run's selection metric (record.json best.metric), "" if unknown
  int64_t best_step = -1;   // the step it was best at (record.json best.step), -1 if unknown
};

struct LearningCurveOptions {
  std::string metric;  // validation metric to plot; "" = default_curve_metric(runs)
  int width = 980;
  int height = 380;
};

// The first run's best_metric if any; else the alphabetically first evaluated metric other
// than "loss"; else "loss"; "" when no run has evaluations.
std::string default_curve_metric(const std::vector<RunCurves>& runs);

// One <path class="curve"> per run per panel (a run with no finite point for a panel gets no
// path there, and is named in a <text class="missing-note">), circles at evaluation points,
// a <circle class="best"> ring at each run's best step of its selection metric, and one
// <g class="legend-entry"> per run. Colours repeat every 10 runs with a new dash pattern. Both
// axes start at step 0 and are padded so that no point sits on the frame; a metric whose values
// all lie in [0, 1] is drawn in percent. Non-finite values are left out. Labels and metric
// names are XML-escaped.
std::string render_learning_curves_svg(const std::vector<RunCurves>& runs, const LearningCurveOptions& options = {});

// From record.json ({"id", "best": {"metric"}, "evaluations": [{"step", "metrics": {...}}]})
// and the text of metrics.jsonl (one {"step": N, "loss": x, ...} per line; lines without a
// loss are skipped; a last line without its '\n' that does not parse was torn by a crash
// and is ignored).
// Throws Error(data) naming the offending line or field.
RunCurves run_curves_from_json(const nlohmann::json& record, std::string_view metrics_jsonl, std::string label);

// Reads <run_dir>/record.json and <run_dir>/metrics.jsonl (the latter may be missing: no
// training points). The label is the record's "id", or the directory name without one,
// prefixed with "<sweep>/" when the run is a trial of a sweep directory (one with sweep.json).
// Throws Error(io) for unreadable files, Error(data) for malformed ones.
RunCurves load_run_curves(const std::filesystem::path& run_dir);

}  // namespace attn::viz
