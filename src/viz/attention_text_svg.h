// A classifier's item as a figure for papers (the hierarchical-attention-network view): the
// predicted label, its probability and the reference (marked correct or incorrect) on top, then
// the input tokens as prose wrapped at a fixed width, each on a box shaded by its weight in one
// head of a pooling layer (0 .. the head's largest weight; a colour bar below says so), the
// weight in the box's <title>. A token wider than a line is cut with "…" (its <title> keeps it
// whole). Every piece of text is XML-escaped. The interactive form is the page's text view
// (attention_html.h); the per-head heatmaps are attention_svg.h's.
#pragma once

#include <cstdint>
#include <string>

namespace attn::viz {

struct AttentionItem;

// `layer` is a position in item.layers and must be a pooling layer; `head` one of its heads.
// Throws Error(usage) otherwise.
std::string render_text_svg(const AttentionItem& item, int64_t layer, int64_t head);

}  // namespace attn::viz
