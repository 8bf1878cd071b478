// An image item's attention as a figure for papers: the picture in grey, upscaled with crisp
// pixels, under one map's weights laid over its patch grid as a translucent heat map (YlOrRd,
// opacity rising with the weight, 0 .. the map's largest patch weight; a colour bar shown over
// black and over white says so), each patch's weight in its <title>. Above it the map's title and
// the prediction (marked correct or incorrect); below it which row of the map is shown (see
// image_overlay.h). Every piece of text is XML-escaped. The interactive form is the page's picture
// view (attention_html.h); the map as a plain query x key grid is attention_svg.h's.
#pragma once

#include <cstdint>
#include <string>

namespace attn::viz {

struct AttentionItem;

// `layer` is a position in item.layers, `head` one of its heads. Throws Error(usage) when the
// item has no image, either is out of range, or the layer has no key over the picture's patches.
std::string render_image_svg(const AttentionItem& item, int64_t layer, int64_t head);

}  // namespace attn::viz
