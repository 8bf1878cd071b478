#include "viz/forecast_plot.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/escape.h"
#include "viz/plot_axes.h"
#include "viz/svg_document.h"
#include "viz/text_layout.h"

namespace attn::viz {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> split_on(std::string_view line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at; (at = line.find(sep, start)) != std::string_view::npos; start = at + 1)
    out.emplace_back(line.substr(start, at - start));
  out.emplace_back(line.substr(start));
  return out;
}

double first_value(const std::string& field, const std::string& where, size_t line) {
  const std::string first = split_on(field, ' ').front();
  char* end = nullptr;
  const double v = std::strtod(first.c_str(), &end);
  ATTN_CHECK(!first.empty() && *end == '\0', data, where, ":", line, ": '", field, "' is not a number");
  return v;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK(in, io, "cannot read ", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json read_json(const fs::path& path) {
  try {
    return json::parse(read_text(path));
  } catch (const json::exception& e) {
    ATTN_FAIL(data, path.string(), ": not valid JSON (", e.what(), ")");
  }
}

// Baselines by the names people know them by.
std::string method_title(const std::string& name) {
  if (name == "model") return "model";
  if (name == "naive") return "naive (last value)";
  if (name == "snaive") return "seasonal naive";
  if (name == "ar") return "AR (least squares)";
  return name;
}

constexpr const char* kFont = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
constexpr const char* kModelColor = "#e15759";
constexpr const char* kBaselineColors[] = {"#4e79a7", "#59a14f", "#b07aa1", "#9c755f"};

}  // namespace

ForecastRun forecast_run_from_tsv(std::string_view tsv, const std::string& where) {
  std::vector<std::string> lines = split_on(tsv, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  ATTN_CHECK(!lines.empty(), data, where, ": empty (no header line)");
  const std::vector<std::string> header = split_on(lines[0], '\t');
  ATTN_CHECK(header.size() >= 3 && header[0] == "time" && header[1] == "reference" && header[2] == "prediction", data,
             where, ":1: not a forecast predictions file (its header is not 'time, reference, prediction, …')");
  ForecastRun run;
  run.methods.push_back({"model", {}});
  for (size_t c = 3; c < header.size(); ++c) run.methods.push_back({header[c], {}});
  std::set<std::string> seen;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> fields = split_on(lines[i], '\t');
    ATTN_CHECK(fields.size() == header.size(), data, where, ":", i + 1, ": ", fields.size(), " fields, the header has ",
               header.size());
    if (!seen.insert(fields[0]).second) continue;
    run.times.push_back(fields[0]);
    run.truth.push_back(first_value(fields[1], where, i + 1));
    for (size_t c = 2; c < fields.size(); ++c) run.methods[c - 2].values.push_back(first_value(fields[c], where, i + 1));
  }
  ATTN_CHECK(!run.times.empty(), data, where, ": no forecasts in it");
  return run;
}

bool is_forecast_run(const fs::path& run_dir) {
  const fs::path record = run_dir / "record.json";
  if (!fs::is_regular_file(record)) return false;
  const json doc = read_json(record);
  return doc.is_object() && doc.value("task", "") == "forecast";
}

ForecastRun load_forecast_run(const fs::path& run_dir) {
  const json record = read_json(run_dir / "record.json");
  const json eval = record.value("eval", json::object());
  std::string key;
  if (eval.contains("test-best")) key = "test-best";
  for (auto it = eval.begin(); key.empty() && it != eval.end(); ++it)
    if (it->is_object() && it->value("split", "") == "test") key = it.key();
  ATTN_CHECK(!key.empty(), io, run_dir.string(), " has no test forecasts yet: run 'attn eval ", run_dir.string(),
             "' first (it writes eval/test-best.tsv)");
  const fs::path tsv = run_dir / "eval" / (key + ".tsv");
  ForecastRun run = forecast_run_from_tsv(read_text(tsv), tsv.string());
  run.label = record.value("id", run_dir.filename().string());
  // The MSEs of the test span that ends last, which the plot covers.
  const fs::path state_path = run_dir / "task_state.json";
  if (!fs::exists(state_path)) return run;
  const json tests = read_json(state_path).value("split", json::object()).value("test", json::object());
  const json metrics = eval[key].value("metrics", json::object());
  for (const auto& [suffix, span] : tests.items()) {
    if (!span.is_array() || span.size() != 2 || span[1] != run.times.back()) continue;
    run.span = span[0].get<std::string>() + " \xE2\x80\x93 " + span[1].get<std::string>();
    for (ForecastMethod& m : run.methods) {
      const std::string name = (m.name == "model" ? "" : m.name + "_") + "mse" + suffix;
      if (metrics.contains(name) && metrics[name].is_number()) m.mse = metrics[name].get<double>();
    }
  }
  return run;
}

std::string render_forecast_svg(const ForecastRun& run) {
  constexpr double width = 980, height = 420;
  const TimeAxis axis = time_axis(run.times);
  Range xs, ys;
  for (double x : axis.x) xs.add(x);
  for (double v : run.truth) ys.add(v);
  for (const ForecastMethod& m : run.methods)
    for (double v : m.values) ys.add(v);
  const double step = axis.x.size() > 1 ? (xs.hi - xs.lo) / static_cast<double>(axis.x.size() - 1) : 1.0;
  const Panel p{70, 74, width - 70 - 24, height - 74 - 56, {xs.lo - step / 2, xs.hi + step / 2}, padded(ys)};

  std::ostringstream svg;
  svg << svg_open(width, height, kFont);
  const std::string title = run.label + " \xC2\xB7 one step ahead over the test span" +
                            (run.span.empty() ? "" : " (MSE over " + run.span + ")");
  svg << "<text class=\"title\" x=\"" << p.x << "\" y=\"22\" font-size=\"13\" font-weight=\"600\" fill=\"" << kInk
      << "\">" << escape_xml(fit_text_width(title, 13, width - p.x - 24)) << "</text>\n";
  // Legend: truth, then each method with its MSE.
  double lx = p.x;
  const auto legend = [&](const Style& style, const std::string& text, double stroke) {
    svg << "<g class=\"legend-entry\" transform=\"translate(" << lx << ",48)\"><line x1=\"0\" x2=\"22\" y1=\"-4\" "
        << "y2=\"-4\" stroke=\"" << style.color << "\"" << dash_attribute(style) << " stroke-width=\"" << stroke
        << "\"/><text x=\"28\" y=\"0\" font-size=\"12\" fill=\"" << kInk << "\">" << escape_xml(text) << "</text></g>\n";
    lx += 28 + sans_text_width(text, 12) + 22;
  };
  legend({kInk, ""}, "true value", 1.6);
  std::vector<Style> styles;
  for (size_t m = 0; m < run.methods.size(); ++m) {
    styles.push_back(m == 0 ? Style{kModelColor, ""} : Style{kBaselineColors[(m - 1) % 4], "5 3"});
    const ForecastMethod& method = run.methods[m];
    legend(styles.back(), method_title(method.name) + (std::isnan(method.mse) ? "" : "  MSE " + plot_number(method.mse)),
           m == 0 ? 2.4 : 1.6);
  }
  draw_frame(svg, p, {"", "time", "value", axis.label});
  // Baselines under the model, the truth on top.
  for (size_t m = run.methods.size(); m-- > 0;) {
    Points points;
    for (size_t i = 0; i < run.times.size(); ++i) points.emplace_back(axis.x[i], run.methods[m].values[i]);
    draw_points(svg, p, sorted_finite(points), styles[m], method_title(run.methods[m].name), m == 0, "time");
  }
  Points truth;
  for (size_t i = 0; i < run.times.size(); ++i) truth.emplace_back(axis.x[i], run.truth[i]);
  draw_points(svg, p, sorted_finite(truth), {kInk, ""}, "true value", true, "time");
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
