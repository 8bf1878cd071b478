// The parts of the line figures (learning curves, forecasts): data ranges and their padding,
// 1-2-5 ticks, a panel that maps data to SVG units and draws its frame, and polylines in a
// categorical palette. The figures themselves live in learning_curves.h, forecast_plot.h and
// attention_series_svg.h.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace attn::viz {

using Points = std::vector<std::pair<double, double>>;  // (x, y), finite, sorted by x

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) { lo = std::min(lo, v), hi = std::max(hi, v); }
  bool empty() const { return lo > hi; }
};

// Pads a data range so curves do not touch the frame; a flat range gets a visible height.
Range padded(Range r);

// A 1-2-5 step giving about `target` intervals over [lo, hi], and the ticks inside.
std::vector<double> nice_ticks(double lo, double hi, int target, double* step_out);
// A tick's value with as many decimals as its step needs.
std::string tick_label(double v, double step);
// "%.6g".
std::string plot_number(double v);

struct Panel {
  double x, y, w, h;      // plot area in SVG units
  Range xs, ys;           // data ranges shown
  double y_factor = 1.0;  // tick labels show value · y_factor (100 for percent)
  double px(double value) const { return x + (value - xs.lo) / (xs.hi - xs.lo) * w; }
  double py(double value) const { return y + h - (value - ys.lo) / (ys.hi - ys.lo) * h; }
};

struct FrameText {
  std::string title, x_title, y_title;  // untrusted: escaped
  // The label of an x tick at value v (step = the ticks' spacing); default tick_label.
  std::function<std::string(double v, double step)> x_label;
};

// Grid lines, tick labels, the frame and the titles of `p`.
void draw_frame(std::ostringstream& svg, const Panel& p, const FrameText& text);

// A line's colour and dash ("" = solid).
struct Style {
  const char* color;
  const char* dash;
};
// Tableau 10 colours; past 10 lines the colours come round again with a dash pattern.
Style palette_style(size_t i);
// ' stroke-dasharray="…"' or "".
std::string dash_attribute(const Style& s);

// One <path class="curve"> titled `label`, and with `points` a titled <circle class="point"> at
// each point ("label · x_name x: y"). Nothing for an empty `s`.
void draw_points(std::ostringstream& svg, const Panel& p, const Points& s, const Style& style, const std::string& label,
                 bool points, const std::string& x_name = "step");

// `s` without non-finite points, sorted by x (stable).
Points sorted_finite(Points s);

}  // namespace attn::viz

namespace attn::viz {

// Where time labels sit on an x axis: at their numeric value when every label is a number and
// they increase (years, steps), else at their positions 0, 1, … with the labels as tick names
// (dates). Ticks label positions that fall between labels with nothing.
struct TimeAxis {
  std::vector<double> x;  // one per label
  std::function<std::string(double v, double step)> label;
};
TimeAxis time_axis(const std::vector<std::string>& times);

}  // namespace attn::viz
