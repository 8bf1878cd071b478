// One attention head of one layer as a standalone SVG heatmap: a <rect class="cell"> per
// (query, key) pair with its value in a <title> tooltip, key tokens along the top, query tokens
// down the left, and a colour bar. Colours scale from 0 to the map's own maximum (the bar shows
// it). Every piece of text is XML-escaped. For the interactive page see attention_html.h.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

struct AttentionItem;
struct AttentionLayer;

// `item`, `layer` and `head` are positions in the document's items array, that item's layers
// array and that layer's heads (not the items' "index" fields). Throws Error(usage) when one is
// out of range and Error(data) when the document is malformed (see parse_attention).
std::string render_attention_svg(const nlohmann::json& doc, int64_t item, int64_t layer, int64_t head);

// The file name (without extension) of one head's figure, named after the item's input so a
// directory listing says what each figure shows: "<input slug>-<index>-<layer name>-head<h>",
// e.g. "hello-world-7-decoder_layers_0_cross_attn-head0". The slug keeps ASCII letters (lowered)
// and digits of the first 40 characters, other runs become one '-'; an input with none is "item".
std::string heatmap_file_stem(const AttentionItem& item, const AttentionLayer& layer, int64_t head);

// The title of one head's figure: "“input” · layer name · head 2 / 4 · kind", the input cut to 240 px.
std::string map_title(const AttentionItem& item, const AttentionLayer& layer, int64_t head);

// The same from an already parsed layer; `title` is drawn above the map.
std::string render_head_svg(const AttentionLayer& layer, int64_t head, const std::string& title);

}  // namespace attn::viz
