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
constexpr const char* kInk = "#1f2933";
constexpr const char* kMuted = "#616e7c";


// Tokens such as "<cls>" that name a position rather than input text.
bool special_token(const std::string& t) {
  return t.size() > 2 && t.front() == '<' && t.back() == '>' &&
         t.find_first_of("<> \t\n", 1) == t.size() - 1;
}

// "predicted spam  p = 0.993  ✓ correct  reference spam" as one line of tspans; dx keeps the
// gaps, which SVG would collapse if written as spaces.
void prediction_line(std::ostringstream& svg, const Prediction& p, double y) {
  const double room = kLineWidth / 3;  // a hostile label cannot push the rest off the figure
  svg << "<text class=\"prediction\" x=\"" << kMargin << "\" y=\"" << y << "\" font-size=\"14\" fill=\"" << kInk
      << "\"><tspan fill=\"" << kMuted << "\">predicted</tspan><tspan class=\"label\" dx=\"6\" font-weight=\"700\">"
      << escape_xml(fit_text_width(p.label, 14, room)) << "</tspan><tspan dx=\"14\" fill=\"" << kMuted
      << "\">p =</tspan><tspan dx=\"4\">" << format_weight(p.probability) << "</tspan>";
  if (!p.reference) {
    svg << "<tspan dx=\"14\" fill=\"" << kMuted << "\">no reference label</tspan></text>\n";
    return;
  }
  const bool right = *p.reference == p.label;
  svg << "<tspan class=\"verdict\" dx=\"14\" font-weight=\"700\" fill=\"" << (right ? "#15803d" : "#b91c1c") << "\">"
      << (right ? "\xE2\x9C\x93 correct" : "\xE2\x9C\x97 incorrect") << "</tspan><tspan dx=\"14\" fill=\"" << kMuted
      << "\">reference</tspan><tspan class=\"reference\" dx=\"6\" font-weight=\"600\">"
      << escape_xml(fit_text_width(*p.reference, 14, room)) << "</tspan></text>\n";
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
  if (item.prediction) prediction_line(svg, *item.prediction, 30);

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
  svg << "<defs><linearGradient id=\"attn-text-bar\">";
  for (size_t i = 0; i < kColormapStops.size(); ++i)
    svg << "<stop offset=\"" << static_cast<double>(i) / (kColormapStops.size() - 1) << "\" stop-color=\""
        << css_hex(kColormapStops[i]) << "\"/>";
  svg << "</linearGradient></defs>\n";
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
