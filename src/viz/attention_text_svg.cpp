#include "viz/attention_text_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "base/error.h"
#include "viz/attention_json.h"
#include "viz/colormap.h"
#include "viz/escape.h"
#include "viz/svg_document.h"
#include "viz/text_layout.h"

namespace attn::viz {
namespace {

constexpr double kWidth = 720, kMargin = 24, kLineWidth = kWidth - 2 * kMargin;
constexpr double kFont = 15, kLineHeight = 27, kBoxHeight = 21, kPad = 3, kGap = 5;

// Tokens such as "<cls>" that name a position rather than input text.
bool special_token(const std::string& t) {
  return t.size() > 2 && t.front() == '<' && t.back() == '>' &&
         t.find_first_of("<> \t\n", 1) == t.size() - 1;
}

}  // namespace

std::string render_text_svg(const AttentionItem& item, int64_t layer, int64_t head) {
  ATTN_CHECK(layer >= 0 && layer < static_cast<int64_t>(item.layers.size()), usage, "item ", item.index, " has ",
             item.layers.size(), " attention layers, asked for layer ", layer);
  const AttentionLayer& pool = item.layers[layer];
  ATTN_CHECK(pool.kind == kPoolingKind, usage, "layer ", pool.name, " is ", pool.kind, ", not a pooling layer");
  ATTN_CHECK(head >= 0 && head < pool.heads, usage, "layer ", pool.name, " has ", pool.heads, " heads, asked for head ",
             head);
  const size_t tokens = pool.key_tokens.size();
  double max_value = 0.0;
  for (size_t k = 0; k < tokens; ++k) max_value = std::max(max_value, pool.at(head, 0, static_cast<int64_t>(k)));

  std::vector<std::string> shown;
  std::vector<double> widths;
  for (const std::string& token : pool.key_tokens) {
    const double font = special_token(token) ? kFont - 3 : kFont;
    shown.push_back(fit_text_width(visible_token(token), font, kLineWidth - 2 * kPad));
    widths.push_back(sans_text_width(shown.back(), font) + 2 * kPad);
  }
  const std::vector<WrappedBox> boxes = wrap_boxes(widths, kGap, kLineWidth);
  const size_t lines = boxes.empty() ? 1 : boxes.back().line + 1;
  const double text_top = item.prediction ? 52 : 24;
  const double legend_y = text_top + lines * kLineHeight + 18;
  const double height = legend_y + 34;

  std::ostringstream svg;
  svg << svg_open(kWidth, height, kSansFont);
  if (item.prediction) svg << svg_prediction_line(*item.prediction, kMargin, 30, kLineWidth / 3);

  svg << "<g class=\"tokens\" font-size=\"" << kFont << "\">\n";
  for (size_t k = 0; k < tokens; ++k) {
    const double v = pool.at(head, 0, static_cast<int64_t>(k));
    const double shade = max_value > 0.0 ? v / max_value : 0.0;
    const double x = kMargin + boxes[k].x, y = text_top + boxes[k].line * kLineHeight;
    const bool special = special_token(pool.key_tokens[k]);
    svg << "<g class=\"token\"><title>token " << k << ": " << escape_xml(pool.key_tokens[k]) << " \xC2\xB7 weight "
        << format_weight(v) << "</title><rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << widths[k]
        << "\" height=\"" << kBoxHeight << "\" rx=\"3\" fill=\""
        << (std::isnan(v) ? "#cbd2d9" : css_hex(colormap(shade))) << "\"";
    if (special) svg << " stroke=\"#9aa5b1\" stroke-width=\"0.75\"";
    svg << "/><text x=\"" << x + kPad << "\" y=\"" << y + kBoxHeight - 6 << "\" textLength=\""
        << widths[k] - 2 * kPad << "\" lengthAdjust=\"spacing\" fill=\"" << (shade > 0.55 ? "#ffffff" : kInk) << "\"";
    if (special) svg << " font-size=\"" << kFont - 3 << "\" fill-opacity=\"0.8\"";
    svg << ">" << escape_xml(shown[k]) << "</text></g>\n";
  }
  svg << "</g>\n";

  // Colour bar: 0 on the left, the head's largest weight on the right.
  svg << svg_gradient("attn-text-bar", kColormapStops, false);
  const double bar_x = kMargin + sans_text_width("pooling weight 0", 11) + 6;
  svg << "<g class=\"colorbar\" font-size=\"11\" fill=\"" << kMuted << "\"><text x=\"" << kMargin << "\" y=\""
      << legend_y + 9 << "\">pooling weight 0</text><rect x=\"" << bar_x << "\" y=\"" << legend_y
      << "\" width=\"140\" height=\"10\" fill=\"url(#attn-text-bar)\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/>"
      << "<text x=\"" << bar_x + 146 << "\" y=\"" << legend_y + 9 << "\">" << format_weight(max_value) << "</text>"
      << "<text x=\"" << kWidth - kMargin << "\" y=\"" << legend_y + 9 << "\" text-anchor=\"end\">example "
      << item.index << " \xC2\xB7 " << escape_xml(fit_text_width(pool.name, 11, kLineWidth / 2)) << " \xC2\xB7 "
      << escape_xml(pool.head_label(head)) << "</text></g>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
