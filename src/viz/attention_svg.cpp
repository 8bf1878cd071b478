#include "viz/attention_svg.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_json.h"
#include "viz/colormap.h"
#include "viz/escape.h"
#include "viz/svg_document.h"
#include "viz/text_layout.h"

namespace attn::viz {
namespace {

constexpr int kMaxWidth = 960;  // px; a longer title is cut with "…"
constexpr const char* kFont = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";


// Rough rendered width of a label: code points times an average monospace advance.
double label_width(const std::string& text, double font_size) {
  const auto code_points = std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
  return static_cast<double>(code_points) * font_size * 0.62;
}

double longest_label(const std::vector<std::string>& labels, double font_size) {
  double widest = 0.0;
  for (const std::string& label : labels) widest = std::max(widest, label_width(label, font_size));
  return widest;
}

// Letters, digits, '_' and '-' only: safe on every file system and in a shell.
std::string slug(std::string_view text, size_t max_chars, char separator) {
  std::string out;
  for (size_t i = 0; i < text.size() && out.size() < max_chars; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c) && c < 0x80) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != separator) out += separator;
  }
  while (!out.empty() && out.back() == separator) out.pop_back();
  return out;
}

}  // namespace

std::string heatmap_file_stem(const AttentionItem& item, const AttentionLayer& layer, int64_t head) {
  std::string name = slug(item.input_text(), 40, '-');
  if (name.empty()) name = "item";
  return name + "-" + std::to_string(item.index) + "-" + slug(layer.name, 120, '_') + "-head" + std::to_string(head);
}

std::string map_title(const AttentionItem& item, const AttentionLayer& layer, int64_t head) {
  return "\xE2\x80\x9C" + fit_text_width(item.input_text(), 14, 240) + "\xE2\x80\x9D " + " \xC2\xB7 " + layer.name +
         " \xC2\xB7 " + layer.head_label(head) + " \xC2\xB7 " + layer.kind;
}

std::string render_head_svg(const AttentionLayer& layer, int64_t head, const std::string& title) {
  ATTN_CHECK(head >= 0 && head < layer.heads, usage, "layer ", layer.name, " has ", layer.heads,
             " heads, asked for head ", head);
  const int64_t tq = static_cast<int64_t>(layer.query_tokens.size());
  const int64_t tk = static_cast<int64_t>(layer.key_tokens.size());
  // Columns share a width budget; rows may be taller than columns are wide so a short, wide
  // map (few outputs, many inputs) keeps readable rows (the HTML page does the same).
  const int cw = static_cast<int>(std::clamp<int64_t>(800 / std::max<int64_t>(tk, 1), 4, 28));
  const int ch = static_cast<int>(std::clamp<int64_t>(480 / std::max<int64_t>(tq, 1), std::min(cw, 10), std::max(cw, 20)));
  const double key_font = std::clamp(cw * 0.75, 4.0, 12.0), query_font = std::clamp(ch * 0.75, 4.0, 12.0);
  std::vector<std::string> rows;  // what each query row is: its token, and what a decoder step predicts
  for (int64_t q = 0; q < tq; ++q) rows.push_back(layer.row_label(q));
  const int left = 30 + static_cast<int>(std::min(240.0, longest_label(rows, query_font))) + 8;
  // Keys of one character each stand upright; longer ones are turned to save width.
  const bool upright = std::all_of(layer.key_tokens.begin(), layer.key_tokens.end(),
                                   [](const std::string& t) { return label_width(t, 1.0) <= 0.62; });
  const int top = 56 + static_cast<int>(upright ? key_font : std::min(240.0, longest_label(layer.key_tokens, key_font))) + 8;
  const int grid_w = static_cast<int>(tk) * cw, grid_h = static_cast<int>(tq) * ch;
  const int bar_x = left + grid_w + 24, bar_h = std::max(std::min(grid_h, 240), 60);
  // The title widens the figure up to kMaxWidth and is cut beyond it; semibold text runs
  // about 10 % wider than the regular advances sans_text_width knows.
  const double title_font = 14 * 1.1;
  const int width = std::max({bar_x + 14 + 64, 420,
                              std::min(kMaxWidth, static_cast<int>(std::ceil(sans_text_width(title, title_font))) + 25)});
  const int height = top + std::max(grid_h, bar_h) + 16;

  double max_value = 0.0;
  for (int64_t q = 0; q < tq; ++q)
    for (int64_t k = 0; k < tk; ++k)
      if (const double v = layer.at(head, q, k); v > max_value) max_value = v;
  const double scale = max_value > 0.0 ? 1.0 / max_value : 0.0;

  std::ostringstream svg;
  svg << svg_open(width, height, kFont);
  // The title is cut to the figure's width in the font its width is estimated for.
  svg << "<text class=\"title\" x=\"12\" y=\"22\" font-family=\"" << kSansFont
      << "\" font-size=\"14\" font-weight=\"600\" fill=\"#1f2933\">"
      << escape_xml(fit_text_width(title, title_font, width - 24)) << "</text>\n";
  svg << "<text x=\"" << left + grid_w / 2 << "\" y=\"42\" font-size=\"11\" fill=\"#52606d\" text-anchor=\"middle\">"
      << "keys (" << tk << ")</text>\n";
  svg << "<text transform=\"translate(16," << top + grid_h / 2 << ") rotate(-90)\" font-size=\"11\" "
      << "fill=\"#52606d\" text-anchor=\"middle\">queries (" << tq << ")</text>\n";

  svg << "<g class=\"key-labels\" font-size=\"" << key_font << "\" fill=\"#323f4b\">\n";
  for (int64_t k = 0; k < tk; ++k) {
    if (upright)
      svg << "<text class=\"label\" x=\"" << left + k * cw + cw / 2.0 << "\" y=\"" << top - 6
          << "\" text-anchor=\"middle\">" << escape_xml(layer.key_tokens[k]) << "</text>\n";
    else
      svg << "<text class=\"label\" transform=\"translate(" << left + k * cw + cw / 2.0 + key_font * 0.35 << ','
          << top - 6 << ") rotate(-90)\">" << escape_xml(layer.key_tokens[k]) << "</text>\n";
  }
  svg << "</g>\n<g class=\"query-labels\" font-size=\"" << query_font
      << "\" fill=\"#323f4b\" text-anchor=\"end\">\n";
  for (int64_t q = 0; q < tq; ++q)
    svg << "<text class=\"label\" x=\"" << left - 6 << "\" y=\"" << top + q * ch + ch / 2.0 + query_font * 0.35
        << "\">" << escape_xml(rows[q]) << "</text>\n";
  svg << "</g>\n<g class=\"cells\" shape-rendering=\"crispEdges\">\n";
  for (int64_t q = 0; q < tq; ++q) {
    for (int64_t k = 0; k < tk; ++k) {
      const double v = layer.at(head, q, k);
      svg << "<rect class=\"cell\" x=\"" << left + k * cw << "\" y=\"" << top + q * ch << "\" width=\"" << cw
          << "\" height=\"" << ch << "\" fill=\"" << (std::isnan(v) ? "#cbd2d9" : css_hex(colormap(v * scale)))
          << "\"><title>query " << escape_xml(rows[q]) << " \xC2\xB7 key " << escape_xml(layer.key_tokens[k])
          << ": " << format_weight(v) << "</title></rect>\n";
    }
  }
  svg << "</g>\n";

  // Colour bar: 0 at the bottom, the map's maximum at the top.
  svg << svg_gradient("attn-bar", kColormapStops, true);
  svg << "<g class=\"colorbar\" font-size=\"10\" fill=\"#52606d\"><path d=\"M" << bar_x << ' ' << top << "h14v"
      << bar_h << "h-14z\" fill=\"url(#attn-bar)\" stroke=\"#9aa5b1\" stroke-width=\"0.5\"/>"
      << "<text x=\"" << bar_x + 18 << "\" y=\"" << top + 8 << "\">" << format_weight(max_value) << "</text>"
      << "<text x=\"" << bar_x + 18 << "\" y=\"" << top + bar_h << "\">0</text></g>\n";
  svg << "</svg>\n";
  return svg.str();
}

std::string render_attention_svg(const nlohmann::json& doc, int64_t item, int64_t layer, int64_t head) {
  const AttentionDump dump = parse_attention(doc);
  ATTN_CHECK(item >= 0 && item < static_cast<int64_t>(dump.items.size()), usage, "attention JSON has ",
             dump.items.size(), " items, asked for item ", item);
  const AttentionItem& chosen = dump.items[item];
  ATTN_CHECK(layer >= 0 && layer < static_cast<int64_t>(chosen.layers.size()), usage, "item ", item, " has ",
             chosen.layers.size(), " attention layers, asked for layer ", layer);
  return render_head_svg(chosen.layers[layer], head, map_title(chosen, chosen.layers[layer], head));
}

}  // namespace attn::viz
