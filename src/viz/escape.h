// Escaping of untrusted text (tokens, run labels, metric names) for the two places the
// renderers put it: XML/HTML markup, and JSON embedded in an HTML <script> element.
// Nothing else may put outside text into a page.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

// Text safe as XML/HTML character data or a quoted attribute value: & < > " ' become entities;
// bytes that are not valid UTF-8 and control characters XML forbids (all below U+0020 except
// tab, newline, carriage return) become U+FFFD, so the document always parses.
std::string escape_xml(std::string_view text);

// `value` as JSON that can sit inside <script type="application/json">...</script>: < > & are
// written as \u003c \u003e \u0026 (so no "</script>" or "<!--" can appear) and U+2028/U+2029
// as \u2028 \u2029; invalid UTF-8 becomes U+FFFD. JSON.parse gives back the same strings.
std::string json_for_script(const nlohmann::json& value);

}  // namespace attn::viz
