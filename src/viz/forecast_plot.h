// A forecast run's one-step-ahead forecasts over its whole test span as one SVG: the true series,
// the model's forecasts and the baselines' (naive, seasonal naive, AR) that `attn eval` computed
// beside it, each in the legend with its MSE over the span. Also the reader that turns a run
// directory (record.json, task_state.json and the eval/<key>.tsv `attn eval` wrote) into that
// figure's data; reading is kept apart so rendering stays pure.
#pragma once

#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

struct ForecastMethod {
  std::string name;            // "model", "naive", "snaive", "ar"
  std::vector<double> values;  // the first step ahead, one per time
  double mse = std::numeric_limits<double>::quiet_NaN();  // from the record, NaN if unknown
};

struct ForecastRun {
  std::string label;  // the run's id
  std::vector<std::string> times;
  std::vector<double> truth;
  std::vector<ForecastMethod> methods;  // the model first, then the baselines in the TSV's order
  std::string span;                     // what the MSEs cover ("1921 .. 1987"), "" if unknown
};

// The predictions TSV of a forecast eval: "time reference prediction [baselines…]" with tab
// separators, values space-separated when the horizon is above 1 (the first is kept). A time that
// repeats (sunspots' two test spans share their start) is kept once. Throws Error(data) naming
// `where` and the line.
ForecastRun forecast_run_from_tsv(std::string_view tsv, const std::string& where);

// Whether `run_dir` holds a forecast run (its record.json says task "forecast").
bool is_forecast_run(const std::filesystem::path& run_dir);

// The run's test forecasts: record.json's eval entry "test-best" (else the first test entry),
// its TSV, and its MSEs for the longest test span (task_state.json's split.test). Throws
// Error(io) when the run has no test evaluation yet, naming the command that makes one.
ForecastRun load_forecast_run(const std::filesystem::path& run_dir);

// The figure: truth in ink with points, the model in red, baselines dashed in muted colours.
std::string render_forecast_svg(const ForecastRun& run);

}  // namespace attn::viz
