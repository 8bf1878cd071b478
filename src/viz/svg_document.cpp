#include "viz/svg_document.h"

#include <sstream>

namespace attn::viz {

std::string svg_open(double width, double height, std::string_view font_family) {
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"" << font_family << "\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  return svg.str();
}

}  // namespace attn::viz
