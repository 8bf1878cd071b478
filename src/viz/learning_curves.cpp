#include "viz/learning_curves.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

#include "viz/escape.h"
#include "viz/plot_axes.h"
#include "viz/svg_document.h"

namespace attn::viz {
namespace {

constexpr const char* kFont = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

double text_width(const std::string& text, double font_size) {
  const auto code_points = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  return static_cast<double>(code_points) * font_size * 0.58;
}

// Step axes start at 0 (how far into training a run is) and end a little past the last step, so
// final points stay off the frame.
Range step_range(Range r) {
  if (r.empty()) return {0.0, 1.0};
  const double hi = std::max(r.hi, 1.0);
  return {std::min(r.lo, 0.0), hi + hi * 0.03};
}

}  // namespace

std::string default_curve_metric(const std::vector<RunCurves>& runs) {
  if (!runs.empty() && !runs.front().best_metric.empty()) return runs.front().best_metric;
  std::set<std::string> names;
  for (const RunCurves& run : runs)
    for (const EvalPoint& e : run.evals)
      for (const auto& [name, value] : e.metrics) names.insert(name);
  for (const std::string& name : names)
    if (name != "loss") return name;
  return names.empty() ? "" : "loss";
}

std::string render_learning_curves_svg(const std::vector<RunCurves>& runs, const LearningCurveOptions& options) {
  const std::string metric = options.metric.empty() ? default_curve_metric(runs) : options.metric;
  std::vector<Points> train(runs.size()), evals(runs.size());
  Range steps, losses, values;
  for (size_t r = 0; r < runs.size(); ++r) {
    for (const TrainPoint& t : runs[r].train) train[r].emplace_back(static_cast<double>(t.step), t.loss);
    for (const EvalPoint& e : runs[r].evals)
      if (const auto it = e.metrics.find(metric); it != e.metrics.end())
        evals[r].emplace_back(static_cast<double>(e.step), it->second);
    train[r] = sorted_finite(std::move(train[r]));
    evals[r] = sorted_finite(std::move(evals[r]));
    for (const auto& [step, loss] : train[r]) steps.add(step), losses.add(loss);
    for (const auto& [step, value] : evals[r]) steps.add(step), values.add(value);
  }
  steps = step_range(steps);
  // Rates (error rates, accuracies, F1) are fractions: shown in percent.
  const bool percent = metric != "loss" && !values.empty() && values.lo >= 0.0 && values.hi <= 1.0;
  std::string missing;  // runs with nothing to draw in the metric panel
  for (size_t r = 0; r < runs.size(); ++r)
    if (evals[r].empty()) missing += (missing.empty() ? "" : ", ") + runs[r].label;

  const double width = options.width, height = options.height;
  // Legend entries flow left to right and wrap.
  std::ostringstream legend;
  double lx = 16, ly = 20;
  for (size_t r = 0; r < runs.size(); ++r) {
    const double entry = 30 + text_width(runs[r].label, 12) + 20;
    if (lx + entry > width - 16 && lx > 16) lx = 16, ly += 20;
    legend << "<g class=\"legend-entry\" transform=\"translate(" << lx << ',' << ly << ")\"><line x1=\"0\" x2=\"22\" "
           << "y1=\"-4\" y2=\"-4\" stroke=\"" << palette_style(r).color << "\"" << dash_attribute(palette_style(r))
           << " stroke-width=\"3\"/>"
           << "<text x=\"28\" y=\"0\" font-size=\"12\" fill=\"#323f4b\">" << escape_xml(runs[r].label) << "</text></g>\n";
    lx += entry;
  }
  // Each panel has `side` room on its left for tick labels and the axis title.
  const double top = ly + 34, bottom = missing.empty() ? 46 : 64, side = 62, gap = 14, right_margin = 16;
  const double panel_w = std::max(80.0, (width - 2 * side - gap - right_margin) / 2);
  const double panel_h = std::max(60.0, height - top - bottom);
  const Panel left{side, top, panel_w, panel_h, steps, padded(losses)};
  const Panel right{2 * side + panel_w + gap, top, panel_w, panel_h, steps, padded(values), percent ? 100.0 : 1.0};

  std::ostringstream svg;
  svg << svg_open(width, height, kFont) << legend.str();
  draw_frame(svg, left, {"training loss", "training step", "loss (nats per token or example)", {}});
  const std::string metric_title = metric.empty() ? "validation (no evaluations)" : "validation " + metric;
  draw_frame(svg, right, {metric_title, "training step", metric.empty() ? "value" : percent ? metric + " (%)" : metric, {}});
  for (size_t r = 0; r < runs.size(); ++r) {
    draw_points(svg, left, train[r], palette_style(r), runs[r].label, false);
    draw_points(svg, right, evals[r], palette_style(r), runs[r].label, true);
    // The evaluation the run kept as its best (its checkpoint "best"), when this is its metric.
    if (runs[r].best_metric == metric)
      for (const auto& [step, value] : evals[r])
        if (static_cast<int64_t>(step) == runs[r].best_step)
          svg << "<circle class=\"best\" cx=\"" << right.px(step) << "\" cy=\"" << right.py(value)
              << "\" r=\"6\" fill=\"none\" stroke=\"" << palette_style(r).color << "\" stroke-width=\"1.6\"><title>"
              << escape_xml(runs[r].label) << " \xC2\xB7 best " << escape_xml(metric) << " at step " << plot_number(step)
              << ": " << plot_number(value) << "</title></circle>\n";
  }
  if (!missing.empty())
    svg << "<text class=\"missing-note\" x=\"" << right.x << "\" y=\"" << height - 8
        << "\" font-size=\"11\" fill=\"#b42318\">no " << escape_xml(metric.empty() ? "evaluations" : metric)
        << " in: " << escape_xml(missing) << "</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
