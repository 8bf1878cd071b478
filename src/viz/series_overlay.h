// What a forecast item's attention maps say about its series, for every series view (the page's
// series view, attention_series_svg.h): which maps lie over the context's time steps, the weights
// a map's row lays over them, and the map a view opens on. Drawing is the views' job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attn::viz {

struct AttentionItem;
struct AttentionLayer;
struct ItemSeries;

// Whether the layer's keys are the series' context times, in order (every map attn attend writes
// for a forecaster: the encoder's self-attention per layer x head, and the pooling map).
bool covers_series(const AttentionLayer& layer, const ItemSeries& series);

// The query row a view shows by default: the only row of a pooling map; else the last time step,
// whose state is next to the forecast (under --pool last it is what the head reads).
int64_t default_series_row(const AttentionLayer& layer);

// One weight per context step (NaN where the map has null) from row `row` of head `head`, and
// what it is ("pooling weights", "row 1920 (last step)", "row 1915").
struct SeriesOverlay {
  std::vector<double> weights;
  std::string about;
};
SeriesOverlay series_overlay(const AttentionLayer& layer, int64_t head, int64_t row);

// The map a series view opens on, as a position in item.layers: the pooling map if there is
// one, else the last layer over the context; -1 when the item has no series or no such layer.
int64_t default_series_layer(const AttentionItem& item);

}  // namespace attn::viz
