// The fixed parts of the attention page (attention_html.h): its stylesheet, the markup
// skeleton the script fills in, and the script itself. Kept as separate raw strings so the
// page code reads as CSS/HTML/JS rather than as C++. Internal to viz.
#pragma once

#include <string_view>

namespace attn::viz::page {

// Contents of the <style> element.
std::string_view style();
// The <body> markup before the data element; starts with the error-counting script.
std::string_view markup();
// Contents of the final <script> element; reads the JSON in #attn-data.
std::string_view script();

}  // namespace attn::viz::page
