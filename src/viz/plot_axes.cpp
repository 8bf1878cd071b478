#include "viz/plot_axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "viz/escape.h"

namespace attn::viz {
namespace {

constexpr std::array<const char*, 10> kPalette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr std::array<const char*, 4> kDashes = {"", "7 3", "2 2.5", "9 3 2 3"};

}  // namespace

Range padded(Range r) {
  if (r.empty()) return {0.0, 1.0};
  const double span = r.hi - r.lo;
  const double pad = span > 0 ? span * 0.05 : std::max(std::abs(r.hi) * 0.1, 0.5);
  return {r.lo - pad, r.hi + pad};
}

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

std::string plot_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

void draw_frame(std::ostringstream& svg, const Panel& p, const FrameText& text) {
  svg << "<g class=\"panel\">\n";
  svg << "<text x=\"" << p.x << "\" y=\"" << p.y - 10 << "\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2933\">"
      << escape_xml(text.title) << "</text>\n";
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
        << "\" font-size=\"10.5\" fill=\"#616e7c\" text-anchor=\"middle\">"
        << escape_xml(text.x_label ? text.x_label(t, step) : tick_label(t, step)) << "</text>\n";
  }
  svg << "<rect x=\"" << p.x << "\" y=\"" << p.y << "\" width=\"" << p.w << "\" height=\"" << p.h
      << "\" fill=\"none\" stroke=\"#9aa5b1\"/>\n";
  svg << "<text x=\"" << p.x + p.w / 2 << "\" y=\"" << p.y + p.h + 32
      << "\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">" << escape_xml(text.x_title) << "</text>\n";
  svg << "<text transform=\"translate(" << p.x - 46 << ',' << p.y + p.h / 2
      << ") rotate(-90)\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">" << escape_xml(text.y_title)
      << "</text>\n</g>\n";
}

Style palette_style(size_t i) {
  return {kPalette[i % kPalette.size()], kDashes[(i / kPalette.size()) % kDashes.size()]};
}

std::string dash_attribute(const Style& s) {
  return *s.dash ? std::string(" stroke-dasharray=\"") + s.dash + "\"" : std::string();
}

void draw_points(std::ostringstream& svg, const Panel& p, const Points& s, const Style& style, const std::string& label,
                 bool points, const std::string& x_name) {
  if (s.empty()) return;
  svg << "<path class=\"curve\" fill=\"none\" stroke=\"" << style.color << "\"" << dash_attribute(style)
      << " stroke-width=\"1.8\" stroke-linejoin=\"round\" d=\"";
  for (size_t i = 0; i < s.size(); ++i) svg << (i ? 'L' : 'M') << p.px(s[i].first) << ' ' << p.py(s[i].second);
  svg << "\"><title>" << escape_xml(label) << "</title></path>\n";
  if (!points) return;
  for (const auto& [x, y] : s)
    svg << "<circle class=\"point\" cx=\"" << p.px(x) << "\" cy=\"" << p.py(y) << "\" r=\"2.6\" fill=\"" << style.color
        << "\"><title>" << escape_xml(label) << " \xC2\xB7 " << escape_xml(x_name) << " " << plot_number(x) << ": "
        << plot_number(y) << "</title></circle>\n";
}

Points sorted_finite(Points s) {
  s.erase(std::remove_if(s.begin(), s.end(),
                         [](const auto& point) { return !std::isfinite(point.first) || !std::isfinite(point.second); }),
          s.end());
  std::stable_sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return s;
}

}  // namespace attn::viz

namespace attn::viz {

TimeAxis time_axis(const std::vector<std::string>& times) {
  TimeAxis axis;
  bool numeric = true;
  for (const std::string& t : times) {
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    numeric = numeric && !t.empty() && *end == '\0' && std::isfinite(v) && (axis.x.empty() || v > axis.x.back());
    axis.x.push_back(v);
  }
  if (numeric) return axis;
  for (size_t i = 0; i < times.size(); ++i) axis.x[i] = static_cast<double>(i);
  axis.label = [times](double v, double) {
    const double at = std::round(v);
    return std::abs(v - at) < 1e-9 && at >= 0 && at < static_cast<double>(times.size()) ? times[static_cast<size_t>(at)]
                                                                                      : std::string();
  };
  return axis;
}

}  // namespace attn::viz
