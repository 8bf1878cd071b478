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
// The picture and gallery views of image items and their footer (attention_page_image_markup.cpp):
// their stylesheet, after style(), and their markup, after markup().
std::string_view image_style();
std::string_view image_markup();
// The series view of forecast items and its footer (attention_page_series.cpp): stylesheet and
// markup, after the image view's.
std::string_view series_style();
std::string_view series_markup();
// Contents of the final <script> element; reads the JSON in #attn-data. One function scope
// assembled from the helpers and grid views (attention_page_script.cpp), the text view, the
// picture view, the gallery and the navigation.
std::string script();
// The text view of a classifier's item (attention_page_text.cpp): function declarations that
// use the grid script's helpers and state.
std::string_view text_view_script();
// The picture view of an image item (attention_page_image.cpp) and the gallery of all image items
// (attention_page_gallery.cpp): function declarations like the text view's.
std::string_view image_view_script();
std::string_view gallery_script();
// The series view of a forecast item (attention_page_series.cpp): function declarations like the
// text view's.
std::string_view series_view_script();
// State bounds, URL fragment, keys, event wiring and the first drawing
// (attention_page_navigation.cpp); closes the function scope.
std::string_view navigation_script();

}  // namespace attn::viz::page
