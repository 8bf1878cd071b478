// Image items: the reader's "image" field, where patches sit in the maps and what each map lays
// over the picture (image_overlay.h), the picture SVG figure, and the page data of the picture
// views; on a hand-made 4x4 picture and on the fixture (fixtures/attention_image.json).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_image_svg.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/image_overlay.h"
#include "viz/viz_test_support.h"

using namespace attn::viz;
using namespace attn::viz::testing;
using nlohmann::json;

namespace {

// A 4x4 picture in 2x2 patches (a 2x2 grid), "<cls>" first: an encoder layer of 2 heads, whose
// <cls> row (head 0) is 0.1 on <cls> and 0.6 on r0c1, and a pooling map without <cls>.
json image_doc() {
  const json tokens = {"<cls>", "r0c0", "r0c1", "r1c0", "r1c1"};
  json pixels = json::array();
  for (int i = 0; i < 16; ++i) pixels.push_back(i < 4 ? 0 : 16 * i - 1);
  const json uniform = std::vector<double>(5, 0.2);
  return {{"schema", "attn.attention/2"},
          {"model", {{"pool", "cls"}}},
          {"task", "image"},
          {"items",
           {{{"index", 4},
             {"source", "test:4"},
             {"source_tokens", tokens},
             {"output_tokens", {kHostile}},
             {"output", kHostile},
             {"prediction", {{"label", kHostile}, {"probability", 0.5}, {"reference", "Bag"}}},
             {"image", {{"height", 4}, {"width", 4}, {"patch", 2}, {"grid_rows", 2}, {"grid_cols", 2}, {"pixels", pixels}}},
             {"layers",
              {{{"name", "encoder.layers.0.self_attn"}, {"kind", "encoder_self"}, {"layer", 0},
                {"query_tokens", tokens}, {"key_tokens", tokens},
                {"heads",
                 {{{0.1, 0.1, 0.6, 0.1, 0.1}, {0.0, 1.0, 0.0, 0.0, 0.0}, uniform, uniform, {0.0, 0.0, 0.0, 0.5, 0.5}},
                  {uniform, uniform, uniform, uniform, uniform}}}},
               {{"name", "pool.attn"}, {"kind", "pooling"}, {"layer", 0}, {"query_tokens", {"<pool>"}},
                {"key_tokens", {"r0c0", "r0c1", "r1c0", "r1c1"}}, {"heads", {{{0.1, 0.2, nullptr, 0.4}}}}}}}}}}};
}

json fixture() {
  std::ifstream in(std::string(ATTN_SOURCE_DIR) + "/tests/viz/fixtures/attention_image.json");
  REQUIRE(in);
  return json::parse(in);
}

}  // namespace

TEST_CASE("parse_attention reads an item's picture and names a bad one", "[viz]") {
  const AttentionItem item = parse_attention(image_doc()).items.at(0);
  REQUIRE(item.image);
  CHECK(item.image->grid_cols == 2);
  CHECK(item.image->pixels.size() == 16);
  CHECK(item.image->pixels[15] == 239);

  json doc = image_doc();
  doc["items"][0]["image"]["pixels"][7] = 256;
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].image.pixels[7] must be an integer in [0, 255], got 256"));
  doc["items"][0]["image"]["pixels"].erase(0);
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].image.pixels must be an array of 16 values"));
  doc = image_doc();
  doc["items"][0]["image"]["patch"] = 3;
  CHECK_THAT(error_message(doc), Catch::Contains("a 2x2 grid of 3-pixel patches does not tile a 4x4 image"));
  doc = image_doc();
  doc["items"][0]["image"].erase("grid_rows");
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].image has no \"grid_rows\""));
}

TEST_CASE("image_overlay: the pooling row, the <cls> row, or the mean over patch rows", "[viz]") {
  const AttentionItem item = parse_attention(image_doc()).items.at(0);
  const ItemImage& image = *item.image;
  const PatchPositions at = patch_positions(item.layers[0], image);
  CHECK(at.keys == std::vector<int64_t>{1, 2, 3, 4});  // <cls> is no patch
  CHECK(at.queries == std::vector<int64_t>{1, 2, 3, 4});

  const ImageOverlay cls = image_overlay(item.layers[0], 0, image);
  CHECK(cls.about == "<cls> row");
  CHECK(cls.weights == std::vector<double>{0.1, 0.6, 0.1, 0.1});

  const ImageOverlay pooled = image_overlay(item.layers[1], 0, image);
  CHECK(pooled.about == "pooling weights");
  CHECK(pooled.weights[1] == 0.2);
  CHECK(std::isnan(pooled.weights[2]));  // null in the JSON stays missing

  // Without a <cls> query: how much each patch receives, on average over the patch rows.
  json doc = image_doc();
  doc["items"][0]["layers"][0]["query_tokens"][0] = "<x>";
  const AttentionItem plain = parse_attention(doc).items.at(0);
  const ImageOverlay mean = image_overlay(plain.layers[0], 0, image);
  CHECK(mean.about == "mean over query patches");
  CHECK(mean.weights[0] == Approx((1.0 + 0.2 + 0.2 + 0.0) / 4));
  CHECK(mean.weights[3] == Approx((0.0 + 0.2 + 0.2 + 0.5) / 4));
}

TEST_CASE("image views open on pooling_rollout, else pooling, else rollout, else the last layer", "[viz]") {
  const AttentionDump dump = parse_attention(fixture());
  REQUIRE(dump.items.size() == 6);
  const AttentionItem& pooled = dump.items[0];
  CHECK(pooled.layers[default_image_layer(pooled)].kind == kPoolingRolloutKind);
  CHECK(dump.items[5].layers[default_image_layer(dump.items[5])].kind == kRolloutKind);
  AttentionItem item = parse_attention(image_doc()).items.at(0);
  CHECK(default_image_layer(item) == 1);  // pooling
  item.layers.pop_back();
  CHECK(default_image_layer(item) == 0);
  item.image.reset();
  CHECK(default_image_layer(item) == -1);

  // The fixture's <cls> puts nearly all its weight on r1c5: row 1, column 5 of the 7x7 grid.
  const ImageOverlay cls = image_overlay(dump.items[5].layers[0], 0, *dump.items[5].image);
  CHECK(std::max_element(cls.weights.begin(), cls.weights.end()) - cls.weights.begin() == 1 * 7 + 5);
}

TEST_CASE("image SVG: the picture, a translucent cell per patch, the prediction, escaped", "[viz]") {
  const AttentionItem item = parse_attention(image_doc()).items.at(0);
  const std::string svg = render_image_svg(item, 0, 0);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(count(svg, "<rect class=\"patch\"") == 4);
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(svg.find("\xE2\x9C\x97 incorrect") != std::string::npos);
  // The largest patch weight: the darkest colour at full overlay opacity, its weight in the title.
  CHECK(svg.find("fill=\"#800026\" fill-opacity=\"0.65\"><title>patch r0c1: 0.6</title>") != std::string::npos);
  CHECK(svg.find("<title>patch r1c1: 0.1</title>") != std::string::npos);
  CHECK(svg.find("&lt;cls&gt; row over 2\xC3\x97" "2 patches of 2\xC3\x97" "2 px") != std::string::npos);
  // The 4x4 picture: a black ground and one rect per non-black pixel (the first row is black).
  const size_t picture = svg.find("<g class=\"picture\""), end = svg.find("</g>", picture);
  CHECK(count(svg.substr(picture, end - picture), "<rect") == 1 + 12);
  CHECK(svg.find("fill=\"#efefef\"") != std::string::npos);  // pixel 15: 239

  const std::string pooled = render_image_svg(item, 1, 0);
  CHECK(pooled.find("<title>patch r1c0: missing</title>") != std::string::npos);
  CHECK(heatmap_file_stem(item, item.layers[1], 0) == "test-4-4-pool_attn-head0");

  CHECK_THROWS_AS(render_image_svg(item, 0, 2), attn::Error);
  CHECK_THROWS_AS(render_image_svg(item, 2, 0), attn::Error);
  AttentionItem no_picture = item;
  no_picture.image.reset();
  CHECK_THROWS_AS(render_image_svg(no_picture, 0, 0), attn::Error);
  AttentionItem no_patches = item;
  no_patches.layers[1].key_tokens = {"a", "b", "c", "d"};
  CHECK_THROWS_AS(render_image_svg(no_patches, 1, 0), attn::Error);
}

TEST_CASE("image page carries the picture, each map's overlays and patch positions, and its views", "[viz]") {
  const std::string html = render_attention_html(fixture());
  CHECK(html.find("innerHTML") == std::string::npos);
  CHECK(count(html, "</script>") == 3);
  for (const char* part : {"id=\"image-view\"", "id=\"picture\"", "id=\"image-maps\"", "id=\"gallery-view\"",
                           "id=\"gallery\"", "function renderImageView", "function renderGallery"})
    CHECK(html.find(part) != std::string::npos);

  const std::string open = "<script type=\"application/json\" id=\"attn-data\">";
  const size_t begin = html.find(open) + open.size();
  const json data = json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  CHECK(data["overlay_opacity"] == 0.65);
  CHECK(data["overlay_colormap"].size() == 9);
  const json& item = data["items"][0];
  CHECK(item["input"] == "test:0");
  CHECK(item["image"]["pixels"].size() == 784);
  CHECK(item["image"]["cols"] == 4);
  CHECK(item["layers"][item["image_layer"].get<size_t>()]["kind"] == "pooling_rollout");
  const json& pool = item["layers"][2];
  CHECK(pool["overlay_about"] == "pooling weights");
  CHECK(pool["overlays"][0].size() == 16);
  CHECK(pool["overlays"][0][3] == pool["heads"][0][3]);  // keys are the patches in order
  CHECK(pool["patch_queries"] == json(std::vector<int>(16, -1)));
  const json& cls_layer = data["items"][5]["layers"][0];
  CHECK(cls_layer["patch_keys"][0] == 1);  // after <cls>
  CHECK(cls_layer["overlay_about"] == "<cls> row");
  CHECK(data["items"][3]["prediction"]["label"] == kHostile);  // escaped by json_for_script
}
