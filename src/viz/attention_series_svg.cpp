#include "viz/attention_series_svg.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "base/error.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/colormap.h"
#include "viz/escape.h"
#include "viz/plot_axes.h"
#include "viz/series_overlay.h"
#include "viz/svg_document.h"
#include "viz/text_layout.h"

namespace attn::viz {
namespace {

constexpr double kWidth = 760, kHeight = 420, kLeft = 70;
constexpr const char* kForecastColor = "#e15759";

void legend_mark(std::ostringstream& svg, double x, double y, const char* color, bool open, const char* dash,
                 const std::string& text) {
  svg << "<g class=\"legend-entry\"><line x1=\"" << x << "\" x2=\"" << x + 22 << "\" y1=\"" << y - 4 << "\" y2=\""
      << y - 4 << "\" stroke=\"" << color << "\" stroke-width=\"1.8\"" << (*dash ? " stroke-dasharray=\"4 3\"" : "")
      << "/><circle cx=\"" << x + 11 << "\" cy=\"" << y - 4 << "\" r=\"3.2\" fill=\"" << (open ? "#ffffff" : color)
      << "\" stroke=\"" << color << "\" stroke-width=\"1.5\"/><text x=\"" << x + 28 << "\" y=\"" << y
      << "\" font-size=\"12\" fill=\"" << kInk << "\">" << escape_xml(text) << "</text></g>\n";
}

}  // namespace

std::string series_title(const AttentionItem& item, const AttentionLayer& layer, int64_t head) {
  return fit_text_width(map_title(item, layer, head), 13, kWidth - kLeft - 24);
}

std::string render_series_svg(const AttentionItem& item, int64_t layer_at, int64_t head, int64_t row) {
  ATTN_CHECK(item.series.has_value(), usage, "item ", item.index, " has no series (not a forecast item)");
  ATTN_CHECK(layer_at >= 0 && layer_at < static_cast<int64_t>(item.layers.size()), usage, "item ", item.index, " has ",
             item.layers.size(), " attention layers, asked for layer ", layer_at);
  const ItemSeries& series = *item.series;
  const AttentionLayer& layer = item.layers[static_cast<size_t>(layer_at)];
  ATTN_CHECK(covers_series(layer, series), usage, "layer ", layer.name, " does not attend over the series' time steps");
  const SeriesOverlay overlay = series_overlay(layer, head, row < 0 ? default_series_row(layer) : row);

  std::vector<std::string> times = series.times;
  times.insert(times.end(), series.target_times.begin(), series.target_times.end());
  const TimeAxis axis = time_axis(times);
  const size_t n = series.times.size();
  Range xs, ys;
  for (double x : axis.x) xs.add(x);
  for (double v : series.values) ys.add(v);
  for (size_t h = 0; h < series.forecast.size(); ++h) {
    ys.add(series.forecast[h]);
    if (std::isfinite(series.truth[h])) ys.add(series.truth[h]);
  }
  // Half a step of room either side, so the first and last bands are whole.
  const double step = n > 1 ? (axis.x[n - 1] - axis.x[0]) / static_cast<double>(n - 1) : 1.0;
  const Panel p{kLeft, 76, kWidth - kLeft - 24, kHeight - 76 - 86, {xs.lo - step / 2, xs.hi + step / 2}, padded(ys)};
  double max_weight = 0.0;
  for (double w : overlay.weights)
    if (std::isfinite(w)) max_weight = std::max(max_weight, w);

  std::ostringstream svg;
  svg << svg_open(kWidth, kHeight, kSansFont);
  svg << "<text class=\"title\" x=\"" << p.x << "\" y=\"22\" font-size=\"13\" font-weight=\"600\" fill=\"" << kInk
      << "\">" << escape_xml(series_title(item, layer, head)) << "</text>\n";
  legend_mark(svg, p.x, 46, kInk, false, "", "series (context)");
  legend_mark(svg, p.x + 150, 46, kInk, true, "-", "true value");
  legend_mark(svg, p.x + 270, 46, kForecastColor, false, "-", "forecast");
  draw_frame(svg, p, {"", "time", "value", axis.label});

  // Attention under the curve: a band per context step from the floor up to its value.
  svg << "<g class=\"attention\">\n";
  const double floor_y = p.y + p.h;
  for (size_t i = 0; i < n; ++i) {
    const double w = overlay.weights[i], f = max_weight > 0 && std::isfinite(w) ? w / max_weight : 0.0;
    const double x0 = p.px(axis.x[i] - step / 2), top = std::min(p.py(series.values[i]), floor_y);
    svg << "<rect class=\"band\" x=\"" << x0 << "\" y=\"" << top << "\" width=\"" << p.px(axis.x[i] + step / 2) - x0
        << "\" height=\"" << floor_y - top << "\" fill=\"" << css_hex(colormap(f, kOverlayStops)) << "\" fill-opacity=\""
        << kOverlayOpacity * f << "\"><title>" << escape_xml(series.times[i]) << ": value "
        << plot_number(series.values[i]) << " \xC2\xB7 weight " << format_weight(w) << "</title></rect>\n";
  }
  svg << "</g>\n";

  // The forecast origin, then the series, the truth and the forecast, each continuing the last value.
  const double origin = p.px(axis.x[n - 1] + step / 2);
  svg << "<line x1=\"" << origin << "\" x2=\"" << origin << "\" y1=\"" << p.y << "\" y2=\"" << floor_y
      << "\" stroke=\"#9aa5b1\" stroke-dasharray=\"3 3\"/>\n";
  Points context, truth{{axis.x[n - 1], series.values[n - 1]}}, forecast = truth;
  for (size_t i = 0; i < n; ++i) context.emplace_back(axis.x[i], series.values[i]);
  for (size_t h = 0; h < series.forecast.size(); ++h) {
    if (std::isfinite(series.truth[h])) truth.emplace_back(axis.x[n + h], series.truth[h]);
    forecast.emplace_back(axis.x[n + h], series.forecast[h]);
  }
  draw_points(svg, p, context, {kInk, ""}, "series", true, "time");
  if (truth.size() > 1) draw_points(svg, p, truth, {kInk, "4 3"}, "true value", false);
  draw_points(svg, p, forecast, {kForecastColor, "4 3"}, "forecast", false);
  for (size_t h = 0; h < series.forecast.size(); ++h) {
    const double x = p.px(axis.x[n + h]);
    if (std::isfinite(series.truth[h]))
      svg << "<circle class=\"truth\" cx=\"" << x << "\" cy=\"" << p.py(series.truth[h]) << "\" r=\"3.6\" fill=\"#ffffff\" "
          << "stroke=\"" << kInk << "\" stroke-width=\"1.6\"><title>" << escape_xml(series.target_times[h])
          << ": true value " << plot_number(series.truth[h]) << "</title></circle>\n";
    svg << "<circle class=\"forecast\" cx=\"" << x << "\" cy=\"" << p.py(series.forecast[h]) << "\" r=\"3.6\" fill=\""
        << kForecastColor << "\"><title>" << escape_xml(series.target_times[h]) << ": forecast "
        << plot_number(series.forecast[h]) << "</title></circle>\n";
  }

  // Colour bar, then what the shading shows (the page's series view rewrites .bar-max and .bar-about).
  const double legend_y = kHeight - 22;
  svg << svg_gradient("attn-series-bar", kOverlayStops, false, kOverlayOpacity);
  const double bar_x = p.x + sans_text_width("attention 0", 11) + 6;
  svg << "<g class=\"colorbar\" font-size=\"11\" fill=\"" << kMuted << "\"><text x=\"" << p.x << "\" y=\"" << legend_y + 9
      << "\">attention 0</text><rect x=\"" << bar_x << "\" y=\"" << legend_y
      << "\" width=\"140\" height=\"10\" fill=\"url(#attn-series-bar)\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/>"
      << "<text class=\"bar-max\" x=\"" << bar_x + 146 << "\" y=\"" << legend_y + 9 << "\">" << format_weight(max_weight)
      << "</text><text class=\"bar-about\" x=\"" << bar_x + 200 << "\" y=\"" << legend_y + 9 << "\" fill=\"" << kInk
      << "\">" << escape_xml(fit_text_width(overlay.about, 11, kWidth - bar_x - 224)) << "</text></g>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
