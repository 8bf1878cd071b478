// Laying out token text without a browser, for the SVG figures: how wide a string will be in
// the figures' sans-serif font, how to cut it to a width, how to wrap tokens into lines, and how
// to show tokens that would otherwise be invisible. Widths are estimates (see sans_text_width),
// so figures also pin each text's rendered length with textLength. Escaping is escape.h's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attn::viz {

// The font the widths are estimated for, as an SVG font-family value: DejaVu Sans, then
// Verdana, whose advance widths are nearly the same.
inline constexpr const char* kSansFont = "'DejaVu Sans', Verdana, Geneva, sans-serif";

// Estimated width in px of `text` (UTF-8) at `font_size` px: ASCII from DejaVu Sans's advance
// widths, Latin-1 letters as their ASCII look-alikes, East Asian wide characters and emoji 1 em,
// anything else 0.62 em (an invalid byte counts as one such character).
double sans_text_width(std::string_view text, double font_size);

// `text` if it is at most `max_width` px wide, else its longest prefix (whole code points)
// that fits with "…" appended.
std::string fit_text_width(std::string_view text, double font_size, double max_width);

// Control characters as escapes (\n, \t, \r, \x07; ASCII, so every font has them), an empty
// token as "∅" and a space-only one as "␣" per space, so that every token shows as something.
std::string visible_token(std::string_view token);

struct WrappedBox {
  size_t line = 0;
  double x = 0.0;  // left edge, from the start of the line
};

// Greedy line filling: boxes of `widths` in order, `gap` px apart, each line at most
// `line_width` wide (a box wider than a line gets a line of its own).
std::vector<WrappedBox> wrap_boxes(const std::vector<double>& widths, double gap, double line_width);

}  // namespace attn::viz
