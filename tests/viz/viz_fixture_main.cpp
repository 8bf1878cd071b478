// attn_viz_fixture IN.json OUT.html [SVG_DIR]: renders an attention dump to the HTML page and
// prints what the page must report, per item and per layer of it:
//   item=I thumbnails=N
//   item=I layer=L cells=Tq*Tk labels=Tq+Tk
//   item=I text_tokens=N          (a classifier's item: tokens of its text view)
// With SVG_DIR it also writes SVG_DIR/itemI-text.svg, the shaded-text figure of each item's first
// pooling layer (head 0), and for every other item SVG_DIR/itemI-layerL.svg, the heatmap of head 0
// of each layer. Used by browser_check.sh so the browser test does not depend on the
// attn CLI.
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"

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
    for (size_t i = 0; i < dump.items.size(); ++i) {
      const attn::viz::AttentionItem& item = dump.items[i];
      if (item.is_classifier()) {
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
  } catch (const std::exception& e) {
    std::cerr << "attn_viz_fixture: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
