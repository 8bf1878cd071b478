#include "viz/learning_curves.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

#include "viz/escape.h"
#include "viz/svg_document.h"

namespace attn::viz {
namespace {

// Tableau 10: distinct, colour-blind-aware categorical colours.
constexpr std::array<const char*, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
// Past 10 runs the colours come round again with a dash pattern, so no two runs look alike.
constexpr std::array<const char*, 4> kDashes = {"", "7 3", "2 2.5", "9 3 2 3"};
constexpr const char* kFont = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

using Series = std::vector<std::pair<double, double>>;  // (step, value), finite, sorted by step

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) { lo = std::min(lo, v), hi = std::max(hi, v); }
  bool empty() const { return lo > hi; }
};

// A 1-2-5 step giving about `target` intervals over [lo, hi], and the ticks inside.
std::vector<double> nice_ticks(double lo, double hi, int target, double* step_out) {
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  *step_out = step;
  return ticks;
}

std::string tick_label(double v, double step) {
  const int digits = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8);
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

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

// Pads a data range so curves do not touch the frame; a flat range gets a visible height.
Range padded(Range r) {
  if (r.empty()) return {0.0, 1.0};
  const double span = r.hi - r.lo;
  const double pad = span > 0 ? span * 0.05 : std::max(std::abs(r.hi) * 0.1, 0.5);
  return {r.lo - pad, r.hi + pad};
}

struct Panel {
  double x, y, w, h;  // plot area in SVG units
  Range xs, ys;       // data ranges shown
  double y_factor = 1.0;  // tick labels show value · y_factor (100 for percent)
  double px(double step) const { return x + (step - xs.lo) / (xs.hi - xs.lo) * w; }
  double py(double value) const { return y + h - (value - ys.lo) / (ys.hi - ys.lo) * h; }
};

void draw_frame(std::ostringstream& svg, const Panel& p, const std::string& title, const std::string& y_title) {
  svg << "<g class=\"panel\">\n";
  svg << "<text x=\"" << p.x << "\" y=\"" << p.y - 10 << "\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2933\">"
      << escape_xml(title) << "</text>\n";
  double step = 1.0;
  for (double t : nice_ticks(p.ys.lo, p.ys.hi, 5, &step)) {
    const double y = p.py(t);
    svg << "<line x1=\"" << p.x << "\" x2=\"" << p.x + p.w << "\" y1=\"" << y << "\" y2=\"" << y
        << "\" stroke=\"#e4e7eb\"/><text x=\"" << p.x - 6 << "\" y=\"" << y + 3.5
        << "\" font-size=\"10.5\" fill=\"#616e7c\" text-anchor=\"end\">" << tick_label(t * p.y_factor, step * p.y_factor)
        << "</text>\n";
  }
  for (double t : nice_ticks(p.xs.lo, p.xs.hi, 6, &step)) {
    const double x = p.px(t);
    svg << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << p.y << "\" y2=\"" << p.y + p.h
        << "\" stroke=\"#f0f2f5\"/><text x=\"" << x << "\" y=\"" << p.y + p.h + 15
        << "\" font-size=\"10.5\" fill=\"#616e7c\" text-anchor=\"middle\">" << tick_label(t, step) << "</text>\n";
  }
  svg << "<rect x=\"" << p.x << "\" y=\"" << p.y << "\" width=\"" << p.w << "\" height=\"" << p.h
      << "\" fill=\"none\" stroke=\"#9aa5b1\"/>\n";
  svg << "<text x=\"" << p.x + p.w / 2 << "\" y=\"" << p.y + p.h + 32
      << "\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">training step</text>\n";
  svg << "<text transform=\"translate(" << p.x - 46 << ',' << p.y + p.h / 2
      << ") rotate(-90)\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">" << escape_xml(y_title)
      << "</text>\n</g>\n";
}

struct Style {
  const char* color;
  const char* dash;  // "" = solid
};

Style run_style(size_t r) { return {kPalette[r % kPalette.size()], kDashes[(r / kPalette.size()) % kDashes.size()]}; }

std::string dash_attribute(const Style& s) {
  return *s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : std::string();
}

void draw_series(std::ostringstream& svg, const Panel& p, const Series& s, const Style& style,
                 const std::string& label, bool points) {
  if (s.empty()) return;
  const char* color = style.color;
  svg << "<path class=\"curve\" fill=\"none\" stroke=\"" << color << "\"" << dash_attribute(style)
      << " stroke-width=\"1.8\" stroke-linejoin=\"round\" d=\"";
  for (size_t i = 0; i < s.size(); ++i) svg << (i ? 'L' : 'M') << p.px(s[i].first) << ' ' << p.py(s[i].second);
  svg << "\"><title>" << escape_xml(label) << "</title></path>\n";
  if (!points) return;
  for (const auto& [step, value] : s)
    svg << "<circle class=\"point\" cx=\"" << p.px(step) << "\" cy=\"" << p.py(value) << "\" r=\"2.6\" fill=\""
        << color << "\"><title>" << escape_xml(label) << " \xC2\xB7 step " << number(step) << ": " << number(value)
        << "</title></circle>\n";
}

Series sorted_finite(Series s) {
  s.erase(std::remove_if(s.begin(), s.end(),
                         [](const auto& point) { return !std::isfinite(point.first) || !std::isfinite(point.second); }),
          s.end());
  std::stable_sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return s;
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
  std::vector<Series> train(runs.size()), evals(runs.size());
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
           << "y1=\"-4\" y2=\"-4\" stroke=\"" << run_style(r).color << "\"" << dash_attribute(run_style(r))
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
  draw_frame(svg, left, "training loss", "loss (nats per token or example)");
  const std::string metric_title = metric.empty() ? "validation (no evaluations)" : "validation " + metric;
  draw_frame(svg, right, metric_title, metric.empty() ? "value" : percent ? metric + " (%)" : metric);
  for (size_t r = 0; r < runs.size(); ++r) {
    draw_series(svg, left, train[r], run_style(r), runs[r].label, false);
    draw_series(svg, right, evals[r], run_style(r), runs[r].label, true);
    // The evaluation the run kept as its best (its checkpoint "best"), when this is its metric.
    if (runs[r].best_metric == metric)
      for (const auto& [step, value] : evals[r])
        if (static_cast<int64_t>(step) == runs[r].best_step)
          svg << "<circle class=\"best\" cx=\"" << right.px(step) << "\" cy=\"" << right.py(value)
              << "\" r=\"6\" fill=\"none\" stroke=\"" << run_style(r).color << "\" stroke-width=\"1.6\"><title>"
              << escape_xml(runs[r].label) << " \xC2\xB7 best " << escape_xml(metric) << " at step " << number(step)
              << ": " << number(value) << "</title></circle>\n";
  }
  if (!missing.empty())
    svg << "<text class=\"missing-note\" x=\"" << right.x << "\" y=\"" << height - 8
        << "\" font-size=\"11\" fill=\"#b42318\">no " << escape_xml(metric.empty() ? "evaluations" : metric)
        << " in: " << escape_xml(missing) << "</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
