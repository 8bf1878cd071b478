// The fixed parts of the attention page (attention_html.h): its stylesheet, the markup
// skeleton the script fills in, and the script itself. Kept as separate raw strings so the
// page code reads as CSS/HTML/JS rather than as C++. Internal to viz.
#pragma once

#include <string>
#include <string_view>

namespace attn::viz::page {

// Contents of the <style> element.
std::string_view style();
// The <body> markup before the data element; starts with the error-counting script.
std::string_view markup();
// Contents of the final <script> element; reads the JSON in #attn-data. One function scope
// assembled from the helpers and grid views (attention_page_script.cpp), the text view and the
// navigation.
std::string script();
// The text view of a classifier's item (attention_page_text.cpp): function declarations that
// use the grid script's helpers and state.
std::string_view text_view_script();
// State bounds, URL fragment, keys, event wiring and the first drawing
// (attention_page_navigation.cpp); closes the function scope.
std::string_view navigation_script();

}  // namespace attn::viz::page
