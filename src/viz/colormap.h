// The one sequential colour map of the attention renderers (ColorBrewer YlGnBu, 9 classes,
// interpolated): near-white for 0 so sparse attention reads as ink on paper, dark blue for the
// maximum. The HTML page receives the same stops, so SVG and page colours agree.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace attn::viz {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

inline constexpr std::array<Rgb, 9> kColormapStops = {{{255, 255, 217}, {237, 248, 177}, {199, 233, 180},
                                                       {127, 205, 187}, {65, 182, 196},  {29, 145, 192},
                                                       {34, 94, 168},   {37, 52, 148},   {8, 29, 88}}};

// Colour at t in [0, 1] (clamped), linear between stops.
Rgb colormap(double t);

// "#rrggbb".
std::string css_hex(Rgb color);

}  // namespace attn::viz
