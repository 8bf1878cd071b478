// One attention head of one layer as a standalone SVG heatmap: a <rect class="cell"> per
// (query, key) pair with its value in a <title> tooltip, key tokens along the top, query tokens
// down the left, and a colour bar. Colours scale from 0 to the map's own maximum (the bar shows
// it). Every piece of text is XML-escaped. For the interactive page see attention_html.h.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

struct AttentionLayer;

// `item`, `layer` and `head` are positions in the document's items array, that item's layers
// array and that layer's heads (not the items' "index" fields). Throws Error(usage) when one is
// out of range and Error(data) when the document is malformed (see parse_attention).
std::string render_attention_svg(const nlohmann::json& doc, int64_t item, int64_t layer, int64_t head);

// The same from an already parsed layer; `title` is drawn above the map.
std::string render_head_svg(const AttentionLayer& layer, int64_t head, const std::string& title);

}  // namespace attn::viz
