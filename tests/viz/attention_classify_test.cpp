// attn.attention/2: open kinds, predictions and pooling layers in the reader, the classifier
// page's data, the shaded-text SVG figure and the text layout under it.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/attention_schema.h"
#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"
#include "viz/text_layout.h"
#include "viz/viz_test_support.h"

using namespace attn::viz;
using namespace attn::viz::testing;
using nlohmann::json;

namespace {

const std::string kHostileLabel = "</script><b onclick=\"x\">spam & 'eggs'</b>";

json rows(size_t tq, size_t tk, double v) { return json::array({json(std::vector<json>(tq, std::vector<double>(tk, v)))}); }

// One classifier item: 4 tokens (a hostile one and a control character among them), an
// encoder layer, a pooling layer over "<cls>" + tokens, and a layer of a kind no one knows yet.
json classify_doc() {
  const json tokens = {"win", kHostile, "bell\x07", "now"};
  const json keys = {"<cls>", "win", kHostile, "bell\x07", "now"};
  return {{"schema", "attn.attention/2"},
          {"model", {{"arch", "transformer"}, {"pool", "attention"}}},
          {"task", "classify"},
          {"items",
           {{{"index", 3},
             {"source_tokens", tokens},
             {"output_tokens", {kHostileLabel}},
             {"output", kHostileLabel},
             {"prediction", {{"label", kHostileLabel}, {"probability", 0.993}, {"reference", "ham"}}},
             {"patches", {{"rows", 2}}},  // a later addition: ignored
             {"layers",
              {{{"name", "encoder.layers.0.self_attn"}, {"kind", "encoder_self"}, {"layer", 0},
                {"query_tokens", keys}, {"key_tokens", keys}, {"heads", rows(5, 5, 0.2)}},
               {{"name", "pool.attn"}, {"kind", "pooling"}, {"layer", 0}, {"query_tokens", {"<pool>"}},
                {"key_tokens", keys}, {"heads", {{{0.05, 0.6, 0.2, nullptr, 0.15}}}}, {"time_index", {0, 1}}},
               {{"name", "future.mixer"}, {"kind", "future_kind"}, {"layer", 0}, {"query_tokens", {"a", "b"}},
                {"key_tokens", {"a", "b"}}, {"heads", rows(2, 2, 0.5)}}}}}}}};
}

}  // namespace

TEST_CASE("the attention schema is written as /2 and read as /1 and /2", "[viz]") {
  CHECK(std::string(attn::kAttentionSchema) == "attn.attention/2");
  CHECK(attn::kAttentionSchemasRead.back() == attn::kAttentionSchema);
  json doc = classify_doc();
  CHECK(parse_attention(doc).items.size() == 1);
  doc["schema"] = "attn.attention/10";
  CHECK_THAT(error_message(doc), Catch::Contains("schema is \"attn.attention/10\""));
  doc["schema"] = 2;
  CHECK_THAT(error_message(doc), Catch::Contains("document.schema must be a string"));
}

TEST_CASE("parse_attention reads predictions, pooling layers and kinds it does not know (/2)", "[viz]") {
  const AttentionDump dump = parse_attention(classify_doc());
  const AttentionItem& item = dump.items.at(0);
  REQUIRE(item.prediction);
  CHECK(item.prediction->label == kHostileLabel);
  CHECK(item.prediction->probability == 0.993);
  CHECK(item.prediction->reference == "ham");
  REQUIRE(item.layers.size() == 3);
  CHECK(item.layers[1].kind == kPoolingKind);
  CHECK(item.layers[1].at(0, 0, 1) == 0.6);
  CHECK(std::isnan(item.layers[1].at(0, 0, 3)));
  CHECK(item.layers[2].kind == "future_kind");
  CHECK(item.is_classifier());

  json doc = classify_doc();
  doc["items"][0]["prediction"]["reference"] = nullptr;
  CHECK_FALSE(parse_attention(doc).items[0].prediction->reference);
  doc["items"][0]["prediction"].erase("reference");
  CHECK_FALSE(parse_attention(doc).items[0].prediction->reference);

  // A pooling layer alone makes a classifier's item; neither makes a sequence-to-sequence one.
  doc["items"][0].erase("prediction");
  CHECK(parse_attention(doc).items[0].is_classifier());
  doc["items"][0]["layers"].erase(1);
  CHECK_FALSE(parse_attention(doc).items[0].is_classifier());
}

TEST_CASE("an attn.attention/1 document reads as before: no prediction, named kinds", "[viz]") {
  json doc = classify_doc();
  doc["schema"] = "attn.attention/1";
  doc["items"][0]["layers"].erase(2);
  doc["items"][0]["layers"][1]["kind"] = "encoder_self";
  doc["items"][0]["layers"][1]["query_tokens"] = {"<cls>", "win", kHostile, "bell\x07", "now"};
  doc["items"][0]["layers"][1]["heads"] = rows(5, 5, 0.2);
  const AttentionItem item = parse_attention(doc).items.at(0);
  CHECK_FALSE(item.prediction);  // not a field of /1
  CHECK_FALSE(item.is_classifier());

  doc["items"][0]["layers"][1]["kind"] = "pooling";
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].layers[1].kind is \"pooling\""));
}

TEST_CASE("parse_attention names the offending /2 field", "[viz]") {
  json doc = classify_doc();
  doc["items"][0]["layers"][2]["kind"] = "";
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].layers[2].kind must not be empty"));

  doc = classify_doc();
  doc["items"][0]["layers"][1]["query_tokens"] = {"<pool>", "<pool2>"};
  doc["items"][0]["layers"][1]["heads"] = rows(2, 5, 0.2);
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].layers[1].query_tokens has 2 tokens, a pooling layer"));

  doc = classify_doc();
  doc["items"][0]["prediction"]["probability"] = 1.5;
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].prediction.probability must be a number in [0, 1], got 1.5"));
  doc["items"][0]["prediction"]["probability"] = "high";
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].prediction.probability must be a number"));

  doc = classify_doc();
  doc["items"][0]["prediction"].erase("label");
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].prediction has no \"label\""));

  doc = classify_doc();
  doc["items"][0]["prediction"]["reference"] = 1;
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].prediction.reference must be a string or null"));

  doc = classify_doc();
  doc["items"][0]["prediction"] = "spam";
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].prediction must be an object"));
}

TEST_CASE("classifier page carries the prediction and pooling weights, escaped, and the text view", "[viz]") {
  const std::string html = render_attention_html(classify_doc());
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<b onclick") == std::string::npos);
  CHECK(count(html, "</script>") == 3);  // error hook, data, page script: the label closed none
  CHECK(html.find("innerHTML") == std::string::npos);
  for (const char* part : {"id=\"text-view\"", "id=\"text-tokens\"", "id=\"prediction\"", "id=\"view-select\"",
                           "function renderTextView", "function renderGrid"})
    CHECK(html.find(part) != std::string::npos);

  const std::string open = "<script type=\"application/json\" id=\"attn-data\">";
  const size_t begin = html.find(open) + open.size();
  const json data = json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  const json& item = data["items"][0];
  CHECK(item["prediction"] == json({{"label", kHostileLabel}, {"probability", 0.993}, {"reference", "ham"}}));
  const json& pool = item["layers"][1];
  CHECK(pool["kind"] == "pooling");
  CHECK(pool["q"] == json({"<pool>"}));
  CHECK(pool["k"][2] == kHostile);
  CHECK(pool["heads"][0] == json({0.05, 0.6, 0.2, nullptr, 0.15}));
  CHECK(item["layers"][2]["kind"] == "future_kind");  // drawn as a grid of its own kind

  json no_reference = classify_doc();
  no_reference["items"][0]["prediction"]["reference"] = nullptr;
  const std::string page = render_attention_html(no_reference);
  CHECK(page.find("\"reference\":null") != std::string::npos);
}

TEST_CASE("a layer of an unknown kind gets an ordinary SVG heatmap", "[viz]") {
  const std::string svg = render_attention_svg(classify_doc(), 0, 2, 0);
  CHECK(count(svg, "<rect class=\"cell\"") == 4);
  CHECK(svg.find("future_kind") != std::string::npos);
}

TEST_CASE("shaded-text SVG: one box per token, the prediction, everything escaped", "[viz]") {
  const AttentionItem item = parse_attention(classify_doc()).items.at(0);
  const std::string svg = render_text_svg(item, 1, 0);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(count(svg, "<g class=\"token\">") == 5);
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("<b ") == std::string::npos);
  // The label, escaped and cut to a third of the line so it cannot push the rest off the figure.
  CHECK(svg.find("&lt;/script&gt;&lt;b onclick=&quot;x&quot;&gt;spa\xE2\x80\xA6</tspan>") != std::string::npos);
  CHECK(count(svg, "&lt;script&gt;alert(1)&lt;/script&gt;") == 2);  // its box and its <title>
  CHECK(svg.find("bell\\x07") != std::string::npos);                 // BEL drawn as an escape
  CHECK(svg.find('\x07') == std::string::npos);
  CHECK(svg.find("\xE2\x9C\x97 incorrect") != std::string::npos);   // the label is not "ham"
  CHECK(svg.find("p =</tspan><tspan dx=\"4\">0.993</tspan>") != std::string::npos);
  CHECK(svg.find("weight 0.6</title>") != std::string::npos);
  CHECK(svg.find("weight missing</title>") != std::string::npos);
  CHECK(svg.find("fill=\"#081d58\"") != std::string::npos);  // the largest weight: the darkest colour

  CHECK_THROWS_AS(render_text_svg(item, 0, 0), attn::Error);  // not a pooling layer
  CHECK_THROWS_AS(render_text_svg(item, 1, 1), attn::Error);
  CHECK_THROWS_AS(render_text_svg(item, 3, 0), attn::Error);
}

TEST_CASE("shaded-text SVG wraps long text within its width and cuts an over-long token", "[viz]") {
  json doc = classify_doc();
  json keys = json::array(), weights = json::array();
  for (int i = 0; i < 120; ++i) keys.push_back(i == 7 ? std::string(300, 'x') : "token" + std::to_string(i));
  for (int i = 0; i < 120; ++i) weights.push_back(1.0 / 120);
  doc["items"][0]["layers"][1]["key_tokens"] = keys;
  doc["items"][0]["layers"][1]["heads"] = {{weights}};
  const std::string svg = render_text_svg(parse_attention(doc).items.at(0), 1, 0);
  CHECK(svg.find(std::string(300, 'x')) != std::string::npos);  // whole in its <title> ...
  CHECK(svg.find("x\xE2\x80\xA6</text>") != std::string::npos);  // ... cut in its box
  std::set<double> lines;
  for (size_t at = svg.find("<rect x=\""); at != std::string::npos; at = svg.find("<rect x=\"", at + 1)) {
    const double x = std::stod(svg.substr(at + 9));
    const size_t y_at = svg.find("y=\"", at) + 3, w_at = svg.find("width=\"", at) + 7;
    const double y = std::stod(svg.substr(y_at)), width = std::stod(svg.substr(w_at));
    CHECK(x >= 24);
    CHECK(x + width <= 720 - 24 + 1e-9);
    lines.insert(y);
  }
  CHECK(lines.size() > 5);
}

TEST_CASE("text layout: widths, cutting, visible tokens, wrapping", "[viz]") {
  CHECK(sans_text_width("m", 100) == Approx(97));
  CHECK(sans_text_width("\xE6\x97\xA5\xE6\x9C\xAC", 10) == Approx(20));  // two wide characters
  CHECK(sans_text_width("na\xC3\xAFve", 10) == Approx(sans_text_width("naive", 10)));
  CHECK(sans_text_width("\xCE\xB1", 10) == Approx(6.2));  // Greek alpha: the default advance
  CHECK(fit_text_width("short", 10, 100) == "short");
  const std::string cut = fit_text_width("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 10, 25);
  CHECK(cut == "\xE6\x97\xA5\xE2\x80\xA6");  // whole code points, then an ellipsis
  CHECK(sans_text_width(cut, 10) <= 25);
  CHECK(visible_token("a\tb\x7f\n\x1b") == "a\\tb\\x7f\\n\\x1b");
  CHECK(visible_token("") == "\xE2\x88\x85");
  CHECK(visible_token("  ") == "\xE2\x90\xA3\xE2\x90\xA3");
  CHECK(visible_token("na\xC3\xAFve") == "na\xC3\xAFve");

  const std::vector<WrappedBox> boxes = wrap_boxes({40, 40, 40, 200, 10}, 5, 100);
  REQUIRE(boxes.size() == 5);
  CHECK(boxes[1].line == 0);
  CHECK(boxes[1].x == 45);
  CHECK(boxes[2].line == 1);  // 45 + 45 + 40 > 100
  CHECK(boxes[3].line == 2);  // wider than a line: a line of its own
  CHECK(boxes[3].x == 0);
  CHECK(boxes[4].line == 3);
}
