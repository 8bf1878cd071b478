// The opening every standalone SVG figure shares: the root element with its size, viewBox and
// font, and an opaque white background (so a figure reads the same in a dark viewer). The
// figures themselves live in attention_svg.h, attention_text_svg.h and learning_curves.h.
#pragma once

#include <string>
#include <string_view>

namespace attn::viz {

// "<svg …>\n<rect … fill=\"#ffffff\"/>\n"; the caller closes it with "</svg>\n".
// `font_family` is trusted markup (a constant of the caller), not escaped.
std::string svg_open(double width, double height, std::string_view font_family);

}  // namespace attn::viz
