// The interactive attention page: one self-contained HTML file (inline CSS and JavaScript, no
// network, no external fonts) showing, for the chosen example, a model view (a small heatmap
// per layer x head, grouped by attention kind) and an enlarged single-head view with token
// labels on both axes, hover tooltips, zoom and colour-scale controls. Large maps (~200 tokens)
// stay usable: canvas drawing, thinned labels, scrolling.
//
// Safety: the data travels as JSON inside <script type="application/json"> (see
// json_for_script) and the page sets every token with textContent, so a token such as
// "<script>alert(1)</script>" is shown as text and runs nothing.
//
// For tests the page reports on <body>: data-errors (script errors caught so far),
// data-ready="1" once drawn, data-items, data-item (shown example), data-thumbnails (small
// maps drawn), data-cells (Tq x Tk of the enlarged map) and data-labels (its Tq + Tk axis
// labels). The URL fragment #item=I&layer=L&head=H (array positions) selects the view.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

// Throws Error(data) if `doc` is not a valid attn.attention/1 document (see parse_attention).
// Weights are kept to 4 significant digits in the page.
std::string render_attention_html(const nlohmann::json& doc);

}  // namespace attn::viz
