// Attention dump parsing, escaping, and the HTML page and SVG heatmap built from it.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/escape.h"
#include "viz/text_layout.h"
#include "viz/viz_test_support.h"

using namespace attn::viz;
using namespace attn::viz::testing;
using nlohmann::json;

namespace {

// Two layers: encoder self-attention 2 heads 3x3, decoder cross-attention 1 head 2x3.
json small_doc() {
  const json source = {"h", kHostile, "&amp;"};
  return {{"schema", "attn.attention/1"},
          {"model", {{"arch", "transformer"}, {"attention", "scaled_dot"}, {"heads", 2}}},
          {"task", "translate"},
          {"items",
           {{{"index", 7},
             {"source_tokens", source},
             {"output_tokens", {"HH", "</script>"}},
             {"output", "HH </script>"},
             {"layers",
              {{{"name", "encoder.layers.0.self_attn"},
                {"kind", "encoder_self"},
                {"layer", 0},
                {"query_tokens", source},
                {"key_tokens", source},
                {"heads",
                 {{{0.9, 0.05, 0.05}, {0.2, 0.7, 0.1}, {0.123456789, 0.3, 0.576543211}},
                  {{1.0, 0.0, 0.0}, {0.5, 0.5, 0.0}, {nullptr, 0.5, 0.5}}}}},
               {{"name", "decoder.layers.0.cross_attn"},
                {"kind", "decoder_cross"},
                {"layer", 0},
                {"query_tokens", {"<bos>", "HH"}},
                {"key_tokens", source},
                {"heads", {{{0.6, 0.3, 0.1}, {0.1, 0.1, 0.8}}}}}}}}}}};
}

}  // namespace

TEST_CASE("escape_xml escapes markup, quotes, control bytes and invalid UTF-8", "[viz]") {
  CHECK(escape_xml(kHostile) == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_xml("a&b \"c\" 'd'") == "a&amp;b &quot;c&quot; &#39;d&#39;");
  CHECK(escape_xml("na\xC3\xAFve \xE6\x97\xA5") == "na\xC3\xAFve \xE6\x97\xA5");
  CHECK(escape_xml("bad\xFF\x01tab\t") == "bad\xEF\xBF\xBD\xEF\xBF\xBDtab\t");
}

TEST_CASE("json_for_script leaves no markup characters and round-trips", "[viz]") {
  const json value = {{"t", kHostile + " & <!-- \xE2\x80\xA8\xE2\x80\xA9"}};
  const std::string text = json_for_script(value);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find('&') == std::string::npos);
  CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(text.find("\\u2028") != std::string::npos);
  CHECK(json::parse(text) == value);
}

TEST_CASE("parse_attention reads the attn.attention/1 layout", "[viz]") {
  const AttentionDump dump = parse_attention(small_doc());
  CHECK(dump.task == "translate");
  REQUIRE(dump.items.size() == 1);
  const AttentionItem& item = dump.items[0];
  CHECK(item.index == 7);
  CHECK(item.source_tokens[1] == kHostile);
  REQUIRE(item.layers.size() == 2);
  const AttentionLayer& enc = item.layers[0];
  CHECK(enc.heads == 2);
  CHECK(enc.weights.size() == 2 * 3 * 3);
  CHECK(enc.at(0, 1, 1) == 0.7);
  CHECK(std::isnan(enc.at(1, 2, 0)));
  CHECK(item.layers[1].at(0, 1, 2) == 0.8);
  CHECK(dump.model.size() == 3);
}

TEST_CASE("parse_attention names the offending field", "[viz]") {
  json doc = small_doc();
  doc["schema"] = "attn.attention/3";
  CHECK_THAT(error_message(doc), Catch::Contains("this build reads attn.attention/1, attn.attention/2"));

  doc = small_doc();  // /1 named its kinds; open kinds came with /2
  doc["items"][0]["layers"][1]["kind"] = "cross";
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].layers[1].kind"));

  doc = small_doc();
  doc["items"][0]["layers"][0]["heads"][1][2] = {0.5, 0.5};  // Tk = 3
  CHECK_THAT(error_message(doc), Catch::Contains("items[0].layers[0].heads[1][2]"));

  doc = small_doc();
  doc["items"][0]["layers"][1]["query_tokens"] = {"<bos>"};  // heads have 2 rows
  CHECK_THAT(error_message(doc), Catch::Contains("expected Tq = 1"));

  doc = small_doc();
  doc["items"][0].erase("output");
  CHECK_THAT(error_message(doc), Catch::Contains("items[0] has no \"output\""));

  doc = small_doc();
  doc["items"][0]["layers"][0]["heads"][0][0][0] = "high";
  CHECK_THAT(error_message(doc), Catch::Contains("heads[0][0][0] must be a number or null"));
}

TEST_CASE("attention HTML is one self-contained page with the tokens escaped", "[viz]") {
  const std::string html = render_attention_html(small_doc());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("alert(1)</script>") == std::string::npos);
  CHECK(count(html, "<script") == 3);  // error hook, data, page script
  CHECK(count(html, "</script>") == 3);
  CHECK(count(html, "type=\"application/json\"") == 1);
  CHECK(html.find("innerHTML") == std::string::npos);
  for (const char* network : {"http://", "https://", "src=", "href=", "@import", "url("})
    CHECK(html.find(network) == std::string::npos);

  // The data element holds every token and weight (to 4 significant digits).
  const std::string open = "<script type=\"application/json\" id=\"attn-data\">";
  const size_t begin = html.find(open) + open.size();
  const json data = json::parse(html.substr(begin, html.find("</script>", begin) - begin));
  const json& item = data["items"][0];
  CHECK(item["source_tokens"][1] == kHostile);
  CHECK(item["output"] == "HH </script>");
  CHECK(item["layers"][0]["name"] == "encoder.layers.0.self_attn");
  CHECK(item["layers"][0]["heads"].size() == 2);
  CHECK(item["layers"][0]["heads"][0].size() == 9);  // flat Tq * Tk
  CHECK(item["layers"][0]["heads"][0][6] == 0.1235);
  CHECK(item["layers"][0]["heads"][1][6].is_null());
  CHECK(item["layers"][1]["q"] == json({"<bos>", "HH"}));
  CHECK(data["model"][0] == json({"arch", "transformer"}));
  CHECK(data["colormap"].size() == 9);
}

TEST_CASE("attention SVG has one cell per weight and escaped labels", "[viz]") {
  const json doc = small_doc();
  const std::string enc = render_attention_svg(doc, 0, 0, 1);
  CHECK(count(enc, "<rect class=\"cell\"") == 9);
  CHECK(count(enc, "class=\"label\"") == 6);
  // Two axis labels, the titles of its row (3 cells) and its column (3 cells), and the figure's
  // title, which names the item by its input text.
  CHECK(count(enc, "&lt;script&gt;alert(1)&lt;/script&gt;") == 2 + 3 + 3 + 1);
  CHECK(enc.find("<script") == std::string::npos);
  CHECK(enc.find("missing") != std::string::npos);  // the null weight
  CHECK(count(enc, "<text") == count(enc, "</text>"));
  CHECK(count(enc, "<rect") == count(enc, "</rect>") + 1);  // only the background rect is self-closing

  const std::string cross = render_attention_svg(doc, 0, 1, 0);
  CHECK(count(cross, "<rect class=\"cell\"") == 6);
  CHECK(count(cross, "class=\"label\"") == 5);
  CHECK(cross.find("&lt;bos&gt;") != std::string::npos);

  CHECK_THROWS_AS(render_attention_svg(doc, 1, 0, 0), attn::Error);
  CHECK_THROWS_AS(render_attention_svg(doc, 0, 2, 0), attn::Error);
  CHECK_THROWS_AS(render_attention_svg(doc, 0, 1, 1), attn::Error);
}

TEST_CASE("head reductions, kept heads and decoder predictions label maps and rows", "[viz]") {
  json doc = small_doc();
  doc["schema"] = "attn.attention/2";
  json& cross = doc["items"][0]["layers"][1];
  cross["query_predicts"] = {"HH", "<eos>"};
  cross["reduced"] = {{"op", "mean"}, {"heads", 4}};
  doc["items"][0]["layers"][0]["head_of"] = {{"head", 3}, {"heads", 8}};
  const AttentionDump dump = parse_attention(doc);
  const AttentionLayer& enc = dump.items[0].layers[0];
  const AttentionLayer& dec = dump.items[0].layers[1];
  CHECK(dec.head_label(0) == "mean of 4 heads");
  CHECK(enc.head_label(0) == "head 3 of 8");
  CHECK(dec.row_label(0) == "<bos> \xE2\x86\x92 HH");
  CHECK(enc.row_label(1) == kHostile);  // no predictions: the token alone

  // An older file (no reduction recorded) keeps numbering the heads it has.
  const AttentionLayer plain = parse_attention(small_doc()).items[0].layers[0];
  CHECK(plain.head_label(1) == "head 1 / 2");

  const std::string svg = render_attention_svg(doc, 0, 1, 0);
  CHECK(svg.find("mean of 4 heads") != std::string::npos);
  CHECK(svg.find("&lt;bos&gt; \xE2\x86\x92 HH") != std::string::npos);

  cross["query_predicts"] = {"HH"};
  CHECK_THROWS_AS(parse_attention(doc), attn::Error);  // one prediction per row
}

TEST_CASE("an SVG heatmap's title stays inside its viewBox", "[viz]") {
  json doc = small_doc();
  doc["items"][0]["source"] = "Hello world";  // the title's item name, without markup to unescape
  for (const size_t length : {1u, 60u, 400u}) {
    doc["items"][0]["layers"][1]["name"] = std::string(length, 'W');  // the widest ASCII letter
    const std::string svg = render_attention_svg(doc, 0, 1, 0);
    const size_t open = svg.find("<text class=\"title\"");
    REQUIRE(open != std::string::npos);
    const size_t begin = svg.find('>', open) + 1, end = svg.find("</text>", begin);
    const std::string title = svg.substr(begin, end - begin);
    const int width = std::stoi(svg.substr(svg.find("width=\"") + 7));
    CAPTURE(length, width, title);
    // Drawn at x = 12 in semibold (about 10 % wider than the regular advances).
    CHECK(12 + sans_text_width(title, 14 * 1.1) <= width);
    CHECK(svg.find("viewBox=\"0 0 " + std::to_string(width) + ' ') != std::string::npos);
  }
}

TEST_CASE("heatmap file names come from the input text, made safe", "[viz]") {
  json doc = small_doc();
  AttentionDump dump = parse_attention(doc);
  const AttentionItem& item = dump.items[0];
  // No "source": the tokens joined, markup and punctuation folded into single dashes.
  CHECK(heatmap_file_stem(item, item.layers[1], 0) == "h-script-alert-1-script-amp-7-decoder_layers_0_cross_attn-head0");
  doc["items"][0]["source"] = "Héllo, World!  ../../etc";
  dump = parse_attention(doc);
  CHECK(heatmap_file_stem(dump.items[0], dump.items[0].layers[0], 1) ==
        "h-llo-world-etc-7-encoder_layers_0_self_attn-head1");
  doc["items"][0]["source"] = "???";
  dump = parse_attention(doc);
  CHECK(heatmap_file_stem(dump.items[0], dump.items[0].layers[0], 0).rfind("item-7-", 0) == 0);
}
