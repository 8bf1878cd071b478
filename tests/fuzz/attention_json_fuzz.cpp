// Attention JSON (`attn visualize FILE`): parsed as the visualize command reads it, rendered as
// the HTML page, and every head of the first items as the SVG figures visualize writes (the
// heatmap; the shaded text of a pooling head; the picture of an image item).
#include "experiment/json_file.h"
#include "fuzz_support.h"
#include "viz/attention_html.h"
#include "viz/attention_image_svg.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"

using namespace attn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::reject_or_accept([&] {
    const nlohmann::json doc = nlohmann::json::parse(
        experiment::parse_json(fuzz::bytes_of(data, size), ErrorKind::data, "attention.json").dump());
    viz::render_attention_html(doc);
    const viz::AttentionDump dump = viz::parse_attention(doc);
    // A few maps per file keep each run fast; the fuzzer reaches others by reordering.
    int64_t budget = 8;
    for (size_t i = 0; i < dump.items.size() && budget > 0; ++i) {
      const viz::AttentionItem& item = dump.items[i];
      for (size_t l = 0; l < item.layers.size() && budget > 0; ++l) {
        for (int64_t h = 0; h < item.layers[l].heads && budget-- > 0; ++h) {
          viz::render_attention_svg(doc, static_cast<int64_t>(i), static_cast<int64_t>(l), h);
          viz::heatmap_file_stem(item, item.layers[l], h);
          if (item.layers[l].kind == viz::kPoolingKind)
            viz::render_text_svg(item, static_cast<int64_t>(l), h);
          if (item.image)
            fuzz::reject_or_accept([&] { viz::render_image_svg(item, static_cast<int64_t>(l), h); });
        }
      }
    }
  });
  return 0;
}
