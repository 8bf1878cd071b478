// The interactive attention page: one self-contained HTML file (inline CSS and JavaScript, no
// network, no external fonts) showing, for the chosen example, a model view (a small heatmap
// per layer x head, grouped by attention kind; kinds the page does not know get a group of
// their own) and an enlarged single-head view with token labels on both axes, hover tooltips,
// zoom and colour-scale controls. Large maps (~200 tokens) stay usable: canvas drawing,
// thinned labels, scrolling.
//
// A classifier's item (AttentionItem::is_classifier) opens on the text view instead: the
// predicted label, its probability and the reference above the input text, each token shaded
// by its pooling weight (the weight in its title). A "view" selector switches between the text
// of each pooling head and every layer x head grid.
//
// An image item (one with "image") opens on its picture instead: the pixels in grey, upscaled
// crisply, under the most informative map (image_overlay.h's default_image_layer) laid over the
// patch grid as a translucent heat map, every map over the patches as a small picture to choose,
// and hovering a patch (clicking pins it) lays that patch's row of a patch-to-patch map over the
// picture: what it attends to. A file of several pictures opens on the gallery: every picture
// under the same map with its predicted and true labels, wrong predictions marked.
//
// Safety: the data travels as JSON inside <script type="application/json"> (see
// json_for_script) and the page sets every token with textContent, so a token such as
// "<script>alert(1)</script>" is shown as text and runs nothing.
//
// For tests the page reports on <body>: data-errors (script errors caught so far),
// data-ready="1" once drawn, data-items, data-item (shown example), data-view (text or grid),
// data-thumbnails (small maps drawn), data-cells (Tq x Tk of the enlarged map), data-labels
// (its Tq + Tk axis labels), data-text-tokens (tokens of the text view), data-image-patches
// (patches under the picture's overlay), data-image-maps (small pictures of maps),
// data-image-row (the patch whose row is shown, "" for none), data-gallery-cards and
// data-gallery-wrong. The URL fragment #item=I&layer=L&head=H (array positions;
// &view=text|grid for a classifier's item, image|gallery|grid for an image item, &patch=R,C to
// pin a patch) selects the view.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

// Throws Error(data) if `doc` is not a valid attention document (see parse_attention).
// Weights are kept to 4 significant digits in the page.
std::string render_attention_html(const nlohmann::json& doc);

}  // namespace attn::viz
