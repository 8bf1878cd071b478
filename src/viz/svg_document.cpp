#include "viz/svg_document.h"

#include <sstream>

#include "viz/attention_json.h"
#include "viz/escape.h"
#include "viz/text_layout.h"

namespace attn::viz {

std::string svg_open(double width, double height, std::string_view font_family) {
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"" << font_family << "\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  return svg.str();
}

std::string svg_gradient(std::string_view id, std::span<const Rgb> stops, bool vertical, double opacity_ramp) {
  std::ostringstream svg;
  svg << "<defs><linearGradient id=\"" << id << "\"" << (vertical ? " x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"" : "")
      << ">";
  for (size_t i = 0; i < stops.size(); ++i) {
    const double offset = static_cast<double>(i) / static_cast<double>(stops.size() - 1);
    svg << "<stop offset=\"" << offset << "\" stop-color=\"" << css_hex(stops[i]) << "\"";
    if (opacity_ramp > 0.0) svg << " stop-opacity=\"" << opacity_ramp * offset << "\"";
    svg << "/>";
  }
  svg << "</linearGradient></defs>\n";
  return svg.str();
}

// dx keeps the gaps between the tspans, which SVG would collapse if written as spaces.
std::string svg_prediction_line(const Prediction& p, double x, double y, double room) {
  std::ostringstream svg;
  svg << "<text class=\"prediction\" x=\"" << x << "\" y=\"" << y << "\" font-size=\"14\" fill=\"" << kInk
      << "\"><tspan fill=\"" << kMuted << "\">predicted</tspan><tspan class=\"label\" dx=\"6\" font-weight=\"700\">"
      << escape_xml(fit_text_width(p.label, 14, room)) << "</tspan><tspan dx=\"14\" fill=\"" << kMuted
      << "\">p =</tspan><tspan dx=\"4\">" << format_weight(p.probability) << "</tspan>";
  if (!p.reference) {
    svg << "<tspan dx=\"14\" fill=\"" << kMuted << "\">no reference label</tspan></text>\n";
    return svg.str();
  }
  const bool right = *p.reference == p.label;
  svg << "<tspan class=\"verdict\" dx=\"14\" font-weight=\"700\" fill=\"" << (right ? "#15803d" : "#b91c1c") << "\">"
      << (right ? "\xE2\x9C\x93 correct" : "\xE2\x9C\x97 incorrect") << "</tspan><tspan dx=\"14\" fill=\"" << kMuted
      << "\">reference</tspan><tspan class=\"reference\" dx=\"6\" font-weight=\"600\">"
      << escape_xml(fit_text_width(*p.reference, 14, room)) << "</tspan></text>\n";
  return svg.str();
}

double svg_prediction_width(const Prediction& p, double room) {
  const auto label = [room](const std::string& text, double font) {
    return sans_text_width(fit_text_width(text, 14, room), font);
  };
  // The tspans' dx gaps (6 + 14 + 4 + 14 + 14 + 6), and bold text ~10 % wider than regular.
  double width = 58 + sans_text_width("predicted p = " + format_weight(p.probability), 14) + label(p.label, 14 * 1.1);
  if (!p.reference) return width + sans_text_width("no reference label", 14);
  return width + sans_text_width("\xE2\x9C\x97 incorrect", 14 * 1.1) + sans_text_width("reference", 14) +
         label(*p.reference, 14 * 1.1);
}

}  // namespace attn::viz
