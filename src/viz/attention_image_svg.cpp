#include "viz/attention_image_svg.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "base/error.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/colormap.h"
#include "viz/escape.h"
#include "viz/image_overlay.h"
#include "viz/svg_document.h"
#include "viz/text_layout.h"

namespace attn::viz {
namespace {

constexpr double kMargin = 24, kPictureSide = 308, kAxis = 18;

// The picture: black, then one grey rect per non-black pixel (most of a Fashion-MNIST
// picture is background, which keeps the figure small).
void draw_picture(std::ostringstream& svg, const ItemImage& image, double x, double y, double scale) {
  svg << "<g class=\"picture\" shape-rendering=\"crispEdges\"><rect x=\"" << x << "\" y=\"" << y << "\" width=\""
      << image.width * scale << "\" height=\"" << image.height * scale << "\" fill=\"#000000\"/>\n";
  for (int64_t r = 0; r < image.height; ++r)
    for (int64_t c = 0; c < image.width; ++c)
      if (const uint8_t v = image.pixels[static_cast<size_t>(r * image.width + c)]; v > 0)
        svg << "<rect x=\"" << x + c * scale << "\" y=\"" << y + r * scale << "\" width=\"" << scale << "\" height=\""
            << scale << "\" fill=\"" << css_hex({v, v, v}) << "\"/>\n";
  svg << "</g>\n";
}

// One translucent cell per patch, and the patch borders faintly, so cells read against pixels.
void draw_overlay(std::ostringstream& svg, const ItemImage& image, const ImageOverlay& overlay, double max_value,
                  double x, double y, double scale) {
  const double side = static_cast<double>(image.patch) * scale;
  svg << "<g class=\"overlay\" shape-rendering=\"crispEdges\">\n";
  for (int64_t r = 0; r < image.grid_rows; ++r)
    for (int64_t c = 0; c < image.grid_cols; ++c) {
      const double v = overlay.weights[static_cast<size_t>(r * image.grid_cols + c)];
      const double t = max_value > 0.0 && !std::isnan(v) ? std::clamp(v / max_value, 0.0, 1.0) : 0.0;
      svg << "<rect class=\"patch\" x=\"" << x + c * side << "\" y=\"" << y + r * side << "\" width=\"" << side
          << "\" height=\"" << side << "\" fill=\"" << css_hex(colormap(t, kOverlayStops)) << "\" fill-opacity=\""
          << kOverlayOpacity * t << "\"><title>patch r" << r << "c" << c << ": " << format_weight(v)
          << "</title></rect>\n";
    }
  svg << "<path d=\"";
  for (int64_t r = 1; r < image.grid_rows; ++r) svg << "M" << x << ' ' << y + r * side << "h" << image.width * scale;
  for (int64_t c = 1; c < image.grid_cols; ++c) svg << "M" << x + c * side << ' ' << y << "v" << image.height * scale;
  svg << "\" stroke=\"#ffffff\" stroke-opacity=\"0.3\" stroke-width=\"1\" fill=\"none\"/></g>\n";
}

// Patch columns along the top, rows down the left, every step-th when patches are small.
void draw_grid_labels(std::ostringstream& svg, const ItemImage& image, double x, double y, double scale) {
  const double side = static_cast<double>(image.patch) * scale;
  const int64_t step = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(22.0 / side)));
  svg << "<g class=\"grid-labels\" font-size=\"10\" fill=\"" << kMuted << "\" text-anchor=\"middle\">";
  for (int64_t c = 0; c < image.grid_cols; c += step)
    svg << "<text x=\"" << x + (c + 0.5) * side << "\" y=\"" << y - 5 << "\">c" << c << "</text>";
  for (int64_t r = 0; r < image.grid_rows; r += step)
    svg << "<text x=\"" << x - kAxis / 2 - 1 << "\" y=\"" << y + (r + 0.5) * side + 3.5 << "\">r" << r << "</text>";
  svg << "</g>\n";
}

}  // namespace

std::string render_image_svg(const AttentionItem& item, int64_t layer, int64_t head) {
  ATTN_CHECK(item.image.has_value(), usage, "item ", item.index, " has no image");
  ATTN_CHECK(layer >= 0 && layer < static_cast<int64_t>(item.layers.size()), usage, "item ", item.index, " has ",
             item.layers.size(), " attention layers, asked for layer ", layer);
  const AttentionLayer& map = item.layers[layer];
  ATTN_CHECK(head >= 0 && head < map.heads, usage, "layer ", map.name, " has ", map.heads, " heads, asked for head ",
             head);
  const ItemImage& image = *item.image;
  ATTN_CHECK(covers_patches(map, image), usage, "layer ", map.name, " has no key over the image's patches");

  const ImageOverlay overlay = image_overlay(map, head, image);
  double max_value = 0.0;
  for (const double v : overlay.weights)
    if (v > max_value) max_value = v;  // false for NaN
  // Whole screen pixels per image pixel keep the picture crisp.
  const double scale = std::max(1.0, std::floor(kPictureSide / static_cast<double>(std::max(image.height, image.width))));
  const double picture_w = image.width * scale, picture_h = image.height * scale;
  const double left = kMargin + kAxis, top = (item.prediction ? 62 : 40) + kAxis;
  const double bar_x = left + picture_w + 18, bar_h = std::min(picture_h, 240.0);
  const double room = 240;  // for each label of the prediction line
  const double width = std::max({bar_x + 14 + 70, 480.0,
                                 item.prediction ? 2 * kMargin + svg_prediction_width(*item.prediction, room) : 0.0});
  const double height = top + picture_h + 42;
  const std::string title = map_title(item, map, head);

  std::ostringstream svg;
  svg << svg_open(width, height, kSansFont);
  svg << "<text class=\"title\" x=\"" << kMargin << "\" y=\"22\" font-size=\"14\" font-weight=\"600\" fill=\"" << kInk
      << "\">" << escape_xml(fit_text_width(title, 14 * 1.1, width - 2 * kMargin)) << "</text>\n";
  if (item.prediction) svg << svg_prediction_line(*item.prediction, kMargin, 46, room);
  draw_grid_labels(svg, image, left, top, scale);
  draw_picture(svg, image, left, top, scale);
  draw_overlay(svg, image, overlay, max_value, left, top, scale);

  // Colour bar: the overlay's colours over black (left half) and white (right half), as they
  // look on the picture; 0 at the bottom, the map's largest patch weight at the top.
  svg << svg_gradient("attn-overlay-bar", kOverlayStops, true, kOverlayOpacity);
  svg << "<g class=\"colorbar\" font-size=\"10\" fill=\"" << kMuted << "\"><rect x=\"" << bar_x << "\" y=\"" << top
      << "\" width=\"7\" height=\"" << bar_h << "\" fill=\"#000000\"/><rect x=\"" << bar_x + 7 << "\" y=\"" << top
      << "\" width=\"7\" height=\"" << bar_h << "\" fill=\"#ffffff\"/><rect x=\"" << bar_x << "\" y=\"" << top
      << "\" width=\"14\" height=\"" << bar_h << "\" fill=\"url(#attn-overlay-bar)\" stroke=\"#9aa5b1\" "
      << "stroke-width=\"0.5\"/><text x=\"" << bar_x + 18 << "\" y=\"" << top + 8 << "\">" << format_weight(max_value)
      << "</text><text x=\"" << bar_x + 18 << "\" y=\"" << top + bar_h << "\">0</text></g>\n";
  svg << "<text class=\"caption\" x=\"" << left << "\" y=\"" << top + picture_h + 22 << "\" font-size=\"11\" fill=\""
      << kMuted << "\">" << escape_xml(overlay.about) << " over " << image.grid_rows << "\xC3\x97" << image.grid_cols
      << " patches of " << image.patch << "\xC3\x97" << image.patch << " px \xC2\xB7 example " << item.index
      << "</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attn::viz
