// A forecast item's attention as a figure for papers: the context's values as a line, the
// forecast and the true values after it, and one map's row of weights shaded under the curve at
// each time step (YlOrRd, opacity rising with the weight, 0 .. the row's largest weight; a colour
// bar says so), each step's value and weight in its <title>. Above it the map's title; below it
// which row of the map is shown (series_overlay.h). Every piece of text is XML-escaped. The
// interactive form is the page's series view (attention_html.h).
#pragma once

#include <cstdint>
#include <string>

namespace attn::viz {

struct AttentionItem;
struct AttentionLayer;

// `layer` is a position in item.layers, `head` one of its heads, `row` a query row of it (-1: the
// default, series_overlay.h). Throws Error(usage) when the item has no series, one is out of
// range, or the layer's keys are not the series' context times.
std::string render_series_svg(const AttentionItem& item, int64_t layer, int64_t head, int64_t row = -1);

// The figure's title for one head of a layer (map_title, cut to the figure's width).
std::string series_title(const AttentionItem& item, const AttentionLayer& layer, int64_t head);

}  // namespace attn::viz
