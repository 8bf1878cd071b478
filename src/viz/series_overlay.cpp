#include "viz/series_overlay.h"

#include "base/error.h"
#include "viz/attention_json.h"

namespace attn::viz {

bool covers_series(const AttentionLayer& layer, const ItemSeries& series) { return layer.key_tokens == series.times; }

int64_t default_series_row(const AttentionLayer& layer) { return static_cast<int64_t>(layer.query_tokens.size()) - 1; }

SeriesOverlay series_overlay(const AttentionLayer& layer, int64_t head, int64_t row) {
  const int64_t rows = static_cast<int64_t>(layer.query_tokens.size());
  ATTN_CHECK(head >= 0 && head < layer.heads, usage, "layer ", layer.name, " has ", layer.heads, " heads, asked for head ",
             head);
  ATTN_CHECK(row >= 0 && row < rows, usage, "layer ", layer.name, " has ", rows, " query rows, asked for row ", row);
  SeriesOverlay out;
  for (int64_t k = 0; k < static_cast<int64_t>(layer.key_tokens.size()); ++k) out.weights.push_back(layer.at(head, row, k));
  if (layer.kind == kPoolingKind) out.about = "pooling weights";
  else out.about = "row " + layer.query_tokens[static_cast<size_t>(row)] + (row == rows - 1 ? " (last step)" : "");
  return out;
}

int64_t default_series_layer(const AttentionItem& item) {
  if (!item.series) return -1;
  int64_t last = -1;
  for (int64_t l = 0; l < static_cast<int64_t>(item.layers.size()); ++l) {
    const AttentionLayer& layer = item.layers[static_cast<size_t>(l)];
    if (!covers_series(layer, *item.series)) continue;
    if (layer.kind == kPoolingKind) return l;
    last = l;
  }
  return last;
}

}  // namespace attn::viz
