// The sequential colour maps of the attention renderers (ColorBrewer, 9 classes, interpolated).
// YlGnBu for maps drawn on paper: near-white for 0 so sparse attention reads as ink on paper, dark
// blue for the maximum. YlOrRd for maps laid over a grey picture, translucent in proportion to the
// weight: warm hues stand out on black and white alike, where blue vanishes on black. The HTML page
// receives the same stops and opacity, so SVG and page colours agree.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace attn::viz {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

inline constexpr std::array<Rgb, 9> kColormapStops = {{{255, 255, 217}, {237, 248, 177}, {199, 233, 180},
                                                       {127, 205, 187}, {65, 182, 196},  {29, 145, 192},
                                                       {34, 94, 168},   {37, 52, 148},   {8, 29, 88}}};

inline constexpr std::array<Rgb, 9> kOverlayStops = {{{255, 255, 204}, {255, 237, 160}, {254, 217, 118},
                                                     {254, 178, 76},  {253, 141, 60},  {252, 78, 42},
                                                     {227, 26, 28},   {189, 0, 38},    {128, 0, 38}}};
// Opacity of an overlay cell at t = 1 (the map's maximum); a cell at t has kOverlayOpacity * t.
inline constexpr double kOverlayOpacity = 0.65;

// Colour at t in [0, 1] (clamped), linear between stops (YlGnBu unless given).
Rgb colormap(double t, std::span<const Rgb> stops = kColormapStops);

// "#rrggbb".
std::string css_hex(Rgb color);

}  // namespace attn::viz
