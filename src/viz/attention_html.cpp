#include "viz/attention_html.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "viz/attention_json.h"
#include "viz/attention_page_assets.h"
#include "viz/attention_series_svg.h"
#include "viz/colormap.h"
#include "viz/escape.h"
#include "viz/image_overlay.h"
#include "viz/series_overlay.h"

namespace attn::viz {
namespace {

using nlohmann::json;

// 4 significant digits are plenty for colours and tooltips and shrink a 200-token dump
// several-fold against 17-digit doubles.
json rounded(double v) {
  if (std::isnan(v)) return nullptr;
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  const double kept = std::strtod(text, nullptr);
  if (kept == 0.0) return 0;  // "0" rather than "0.0": masked maps are mostly zeros
  return kept;
}

json page_layer(const AttentionLayer& layer) {
  const size_t per_head = layer.query_tokens.size() * layer.key_tokens.size();
  json heads = json::array();
  for (int64_t h = 0; h < layer.heads; ++h) {
    json flat = json::array();  // [Tq * Tk], row-major
    for (size_t i = 0; i < per_head; ++i) flat.push_back(rounded(layer.weights[h * per_head + i]));
    heads.push_back(std::move(flat));
  }
  json rows = json::array(), titles = json::array();
  for (size_t q = 0; q < layer.query_tokens.size(); ++q) rows.push_back(layer.row_label(static_cast<int64_t>(q)));
  for (int64_t h = 0; h < layer.heads; ++h) titles.push_back(layer.head_label(h));
  return {{"name", layer.name},       {"kind", layer.kind}, {"layer", layer.layer},
          {"q", layer.query_tokens},  {"rows", std::move(rows)},  {"k", layer.key_tokens},
          {"titles", std::move(titles)}, {"heads", std::move(heads)}};
}

// An image item's picture, and per layer where its patches sit and what each head lays over
// them (image_overlay.h), so the page's picture views need no rules of their own.
void add_image(const AttentionItem& item, json& page_item) {
  const ItemImage& image = *item.image;
  page_item["image"] = {{"height", image.height},       {"width", image.width},
                        {"patch", image.patch},         {"rows", image.grid_rows},
                        {"cols", image.grid_cols},      {"pixels", image.pixels}};
  page_item["image_layer"] = default_image_layer(item);
  for (size_t l = 0; l < item.layers.size(); ++l) {
    const AttentionLayer& layer = item.layers[l];
    json& page_layer = page_item["layers"][l];
    if (!covers_patches(layer, image)) continue;
    const PatchPositions at = patch_positions(layer, image);
    page_layer["patch_keys"] = at.keys;
    page_layer["patch_queries"] = at.queries;
    json overlays = json::array();
    for (int64_t h = 0; h < layer.heads; ++h) {
      const ImageOverlay overlay = image_overlay(layer, h, image);
      json weights = json::array();
      for (const double v : overlay.weights) weights.push_back(rounded(v));
      overlays.push_back(std::move(weights));
      page_layer["overlay_about"] = overlay.about;
    }
    page_layer["overlays"] = std::move(overlays);
  }
}

// A forecast item's series figure (the paper figure of attention_series_svg.h, drawn for the map it
// opens on; the page recolours its bands for other maps and rows), and per layer over the context
// its title, default row and what each row shows (series_overlay.h).
void add_series(const AttentionItem& item, json& page_item) {
  const ItemSeries& series = *item.series;
  json truth = json::array();
  for (const double v : series.truth) truth.push_back(rounded(v));
  page_item["series"] = {{"times", series.times}, {"values", series.values}, {"target_times", series.target_times},
                         {"forecast", series.forecast}, {"truth", std::move(truth)}};
  const int64_t opens_on = default_series_layer(item);
  page_item["series_layer"] = opens_on;
  if (opens_on < 0) return;
  page_item["series_svg"] = render_series_svg(item, opens_on, 0);
  for (size_t l = 0; l < item.layers.size(); ++l) {
    const AttentionLayer& layer = item.layers[l];
    if (!covers_series(layer, series)) continue;
    json& page_layer = page_item["layers"][l];
    json about = json::array(), titles = json::array();
    for (int64_t q = 0; q < static_cast<int64_t>(layer.query_tokens.size()); ++q)
      about.push_back(series_overlay(layer, 0, q).about);
    for (int64_t h = 0; h < layer.heads; ++h) titles.push_back(series_title(item, layer, h));
    page_layer["series_about"] = std::move(about);
    page_layer["series_titles"] = std::move(titles);
    page_layer["series_row"] = default_series_row(layer);
  }
}

json page_data(const AttentionDump& dump) {
  json colors = json::array(), overlay_colors = json::array();
  for (const Rgb& c : kColormapStops) colors.push_back({c.r, c.g, c.b});
  for (const Rgb& c : kOverlayStops) overlay_colors.push_back({c.r, c.g, c.b});
  json model = json::array();
  for (const auto& [key, value] : dump.model) model.push_back(json::array({key, value}));
  json items = json::array();
  for (const AttentionItem& item : dump.items) {
    json layers = json::array();
    for (const AttentionLayer& layer : item.layers) layers.push_back(page_layer(layer));
    json page_item = {{"index", item.index},
                      {"input", item.input_text()},
                      {"source_tokens", item.source_tokens},
                      {"output_tokens", item.output_tokens},
                      {"output", item.output},
                      {"layers", std::move(layers)}};
    if (item.prediction)
      page_item["prediction"] = {{"label", item.prediction->label},
                                 {"probability", item.prediction->probability},
                                 {"reference", item.prediction->reference ? json(*item.prediction->reference) : json()}};
    if (item.image) add_image(item, page_item);
    if (item.series) add_series(item, page_item);
    items.push_back(std::move(page_item));
  }
  return {{"task", dump.task},
          {"model", std::move(model)},
          {"colormap", std::move(colors)},
          {"overlay_colormap", std::move(overlay_colors)},
          {"overlay_opacity", kOverlayOpacity},
          {"items", std::move(items)}};
}

}  // namespace

std::string render_attention_html(const nlohmann::json& doc) {
  const AttentionDump dump = parse_attention(doc);
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>attn attention maps \xC2\xB7 " + escape_xml(dump.task) + "</title>\n";
  html += "<style>";
  html += page::style();
  html += page::image_style();
  html += page::series_style();
  html += "</style>\n</head>\n<body data-errors=\"0\" data-ready=\"0\">\n";
  html += page::markup();
  html += page::image_markup();
  html += page::series_markup();
  html += "<script type=\"application/json\" id=\"attn-data\">";
  html += json_for_script(page_data(dump));
  html += "</script>\n<script>";
  html += page::script();
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace attn::viz
