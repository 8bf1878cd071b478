// The pieces every standalone SVG figure shares: the root element with its size, viewBox and
// font and an opaque white background (so a figure reads the same in a dark viewer), the colour
// bar's gradient, and a classifier's prediction line. The figures themselves live in
// attention_svg.h, attention_text_svg.h, attention_image_svg.h and learning_curves.h.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "viz/colormap.h"

namespace attn::viz {

struct Prediction;

// Text colours of the figures: body text, and secondary text (axis names, legends).
inline constexpr const char* kInk = "#1f2933";
inline constexpr const char* kMuted = "#616e7c";

// "<svg …>\n<rect … fill=\"#ffffff\"/>\n"; the caller closes it with "</svg>\n".
// `font_family` is trusted markup (a constant of the caller), not escaped.
std::string svg_open(double width, double height, std::string_view font_family);

// "<defs>" with a linear gradient `id` (trusted, a constant of the caller) through `stops`:
// bottom to top when `vertical`, else left to right. For colour bars: fill="url(#id)". With
// `opacity_ramp` > 0 the stops' opacity rises from 0 to it, as an overlay's cells do.
std::string svg_gradient(std::string_view id, std::span<const Rgb> stops, bool vertical, double opacity_ramp = 0.0);

// "predicted spam  p = 0.993  ✓ correct  reference ham" as one <text class="prediction"> of
// 14 px at (x, y); each label is cut to `room` px so a hostile one cannot push the rest off
// the figure.
std::string svg_prediction_line(const Prediction& p, double x, double y, double room);
// Its estimated width in px (text_layout.h's estimate), for figures that size themselves to it.
double svg_prediction_width(const Prediction& p, double room);

}  // namespace attn::viz
