#include "viz/colormap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attn::viz {

Rgb colormap(double t, std::span<const Rgb> stops) {
  if (!(t > 0.0)) t = 0.0;  // also maps NaN to the bottom of the scale
  t = std::min(t, 1.0);
  const double position = t * static_cast<double>(stops.size() - 1);
  const size_t lower = std::min(static_cast<size_t>(position), stops.size() - 2);
  const double frac = position - static_cast<double>(lower);
  const Rgb a = stops[lower], b = stops[lower + 1];
  const auto mix = [frac](uint8_t x, uint8_t y) {
    return static_cast<uint8_t>(std::lround(x + (static_cast<double>(y) - x) * frac));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

std::string css_hex(Rgb color) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", color.r, color.g, color.b);
  return text;
}

}  // namespace attn::viz
