// attn_viz_fixture IN.json OUT.html [SVG_DIR]: renders an attention dump to the HTML page and
// prints what the page must report, per item and per layer of it:
//   item=I thumbnails=N
//   item=I layer=L cells=Tq*Tk labels=Tq+Tk
//   item=I text_tokens=N          (a classifier's item: tokens of its text view)
//   item=I image_patches=P image_maps=M   (an image item: patches under its opening map's
//                                          overlay, small pictures of its maps)
//   item=I series_bands=B series_maps=M    (a forecast item: steps shaded by its opening map's row,
//                                          weight above 0; maps over its context)
//   gallery cards=N wrong=W       (when the file has image items: all of them, the wrong ones)
// With SVG_DIR it also writes SVG_DIR/itemI-series.svg, the series shaded by a forecast item's opening
// map (head 0), SVG_DIR/itemI-image.svg, the picture under an image item's opening map
// (head 0), SVG_DIR/itemI-text.svg, the shaded-text figure of another classifier item's first
// pooling layer (head 0), and for every other item SVG_DIR/itemI-layerL.svg, the heatmap of head 0
// of each layer. Used by browser_check.sh so the browser test does not depend on the
// attn CLI.
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_image_svg.h"
#include "viz/attention_series_svg.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"
#include "viz/image_overlay.h"
#include "viz/series_overlay.h"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: attn_viz_fixture IN.json OUT.html [SVG_DIR]\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    ATTN_CHECK(in, io, "cannot read ", argv[1]);
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::ofstream out(argv[2], std::ios::binary);
    out << attn::viz::render_attention_html(doc);
    ATTN_CHECK(out.good(), io, "cannot write ", argv[2]);
    const attn::viz::AttentionDump dump = attn::viz::parse_attention(doc);
    int64_t cards = 0, wrong = 0;
    for (size_t i = 0; i < dump.items.size(); ++i) {
      const attn::viz::AttentionItem& item = dump.items[i];
      const int64_t picture = attn::viz::default_image_layer(item), series = attn::viz::default_series_layer(item);
      if (series >= 0) {
        const auto& layer = item.layers[series];
        const auto overlay = attn::viz::series_overlay(layer, 0, attn::viz::default_series_row(layer));
        int64_t bands = 0, maps = 0;
        for (const double v : overlay.weights) bands += v > 0;
        for (const auto& l : item.layers) maps += attn::viz::covers_series(l, *item.series) ? l.heads : 0;
        std::cout << "item=" << i << " series_bands=" << bands << " series_maps=" << maps << "\n";
        if (argc == 4) {
          std::ofstream svg(std::string(argv[3]) + "/item" + std::to_string(i) + "-series.svg", std::ios::binary);
          svg << attn::viz::render_series_svg(item, series, 0);
          ATTN_CHECK(svg.good(), io, "cannot write an SVG into ", argv[3]);
        }
      } else if (picture >= 0) {
        const auto overlay = attn::viz::image_overlay(item.layers[picture], 0, *item.image);
        int64_t patches = 0, maps = 0;
        for (const double v : overlay.weights) patches += !std::isnan(v);
        for (const auto& layer : item.layers) maps += attn::viz::covers_patches(layer, *item.image) ? layer.heads : 0;
        std::cout << "item=" << i << " image_patches=" << patches << " image_maps=" << maps << "\n";
        ++cards;
        wrong += item.prediction && item.prediction->reference && *item.prediction->reference != item.prediction->label;
        if (argc == 4) {
          std::ofstream svg(std::string(argv[3]) + "/item" + std::to_string(i) + "-image.svg", std::ios::binary);
          svg << attn::viz::render_image_svg(item, picture, 0);
          ATTN_CHECK(svg.good(), io, "cannot write an SVG into ", argv[3]);
        }
      } else if (item.is_classifier()) {
        size_t tokens = item.source_tokens.size();
        for (size_t l = 0; l < item.layers.size(); ++l) {
          if (item.layers[l].kind != attn::viz::kPoolingKind) continue;
          tokens = item.layers[l].key_tokens.size();
          if (argc == 4) {
            std::ofstream svg(std::string(argv[3]) + "/item" + std::to_string(i) + "-text.svg", std::ios::binary);
            svg << attn::viz::render_text_svg(item, static_cast<int64_t>(l), 0);
            ATTN_CHECK(svg.good(), io, "cannot write an SVG into ", argv[3]);
          }
          break;
        }
        std::cout << "item=" << i << " text_tokens=" << tokens << "\n";
      } else if (argc == 4) {
        for (size_t l = 0; l < item.layers.size(); ++l) {
          std::ofstream svg(std::string(argv[3]) + "/item" + std::to_string(i) + "-layer" + std::to_string(l) + ".svg",
                            std::ios::binary);
          svg << attn::viz::render_attention_svg(doc, static_cast<int64_t>(i), static_cast<int64_t>(l), 0);
          ATTN_CHECK(svg.good(), io, "cannot write an SVG into ", argv[3]);
        }
      }
      int64_t thumbnails = 0;
      for (const auto& layer : dump.items[i].layers) thumbnails += layer.heads;
      std::cout << "item=" << i << " thumbnails=" << thumbnails << "\n";
      for (size_t l = 0; l < dump.items[i].layers.size(); ++l) {
        const auto& layer = dump.items[i].layers[l];
        std::cout << "item=" << i << " layer=" << l << " cells=" << layer.query_tokens.size() * layer.key_tokens.size()
                  << " labels=" << layer.query_tokens.size() + layer.key_tokens.size() << "\n";
      }
    }
    if (cards) std::cout << "gallery cards=" << cards << " wrong=" << wrong << "\n";
  } catch (const std::exception& e) {
    std::cerr << "attn_viz_fixture: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
