// The HTML and SVG writers fed hostile strings: each line of the input, with "<canary/>"
// appended, becomes a token, layer name, kind, label, task, model fact, run label or metric
// name of a valid attention document and of learning curves. Every writer must take them
// (they are valid input), escape them (no "<canary" survives into markup), and write valid
// UTF-8 without the control characters XML forbids; heatmap file names keep to [a-z0-9_-].
#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "data/tokenizer.h"
#include "fuzz_support.h"
#include "viz/attention_html.h"
#include "viz/attention_image_svg.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"
#include "viz/learning_curves.h"

using namespace attn;
using nlohmann::json;

namespace {

class Hostile {
 public:
  explicit Hostile(std::string_view text) {
    for (size_t pos = 0; pos <= text.size() && lines_.size() < 64;) {
      size_t end = std::min(text.find('\n', pos), text.size());
      lines_.emplace_back(text.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  // The i-th string, cycling through the lines.
  std::string operator[](size_t i) const { return lines_[i % lines_.size()] + "<canary/>"; }
  size_t count() const { return lines_.size(); }

 private:
  std::vector<std::string> lines_;
};

void check_markup(const std::string& out) {
  ATTN_FUZZ_CHECK(out.find("<canary") == std::string::npos);
  data::split_utf8(out);  // an Error (invalid UTF-8) aborts
  for (unsigned char c : out) ATTN_FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
}

json weights(size_t heads, size_t tq, size_t tk) {
  json h = json::array();
  for (size_t a = 0; a < heads; ++a) {
    json rows = json::array();
    for (size_t q = 0; q < tq; ++q) {
      json row = json::array();
      for (size_t k = 0; k < tk; ++k) row.push_back(static_cast<double>((a + q + k) % 5) / 5.0);
      rows.push_back(row);
    }
    h.push_back(rows);
  }
  return h;
}

json text_item(const Hostile& s) {
  const size_t n = std::min<size_t>(s.count(), 24);
  json tokens = json::array(), queries = json::array(), predicts = json::array();
  for (size_t i = 0; i < n; ++i) tokens.push_back(s[i]);
  for (size_t i = 0; i < std::min<size_t>(n, 3); ++i) queries.push_back(s[i + 1]), predicts.push_back(s[i + 2]);
  return {{"index", 3},
          {"source", s[0]},
          {"source_tokens", tokens},
          {"output_tokens", json::array({s[1]})},
          {"output", s[2]},
          {"prediction", {{"label", s[3]}, {"probability", 0.75}, {"reference", s[4]}}},
          {"layers", json::array({{{"name", s[5]}, {"kind", "pooling"}, {"layer", 0},
                                   {"query_tokens", json::array({s[6]})}, {"key_tokens", tokens},
                                   {"heads", weights(2, 1, n)}},
                                  {{"name", s[7]}, {"kind", s[8]}, {"layer", 1}, {"query_tokens", queries},
                                   {"key_tokens", tokens}, {"query_predicts", predicts},
                                   {"heads", weights(1, queries.size(), n)}}})}};
}

json image_item(const Hostile& s) {
  const json patches = json::array({"r0c0", "r0c1"});
  json pixels = json::array();
  for (int i = 0; i < 8; ++i) pixels.push_back(i * 30);
  return {{"index", 4},
          {"source_tokens", patches},
          {"output_tokens", json::array({s[9]})},
          {"output", s[9]},
          {"prediction", {{"label", s[9]}, {"probability", 0.5}, {"reference", s[10]}}},
          {"image", {{"height", 2}, {"width", 4}, {"patch", 2}, {"grid_rows", 1}, {"grid_cols", 2}, {"pixels", pixels}}},
          {"layers", json::array({{{"name", s[11]}, {"kind", "encoder_self"}, {"layer", 0}, {"query_tokens", patches},
                                   {"key_tokens", patches}, {"heads", weights(1, 2, 2)}}})}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Hostile s(fuzz::bytes_of(data, size));
  const json doc = {{"schema", "attn.attention/2"},
                    {"task", s[12]},
                    {"model", {{s[13], s[14]}, {"heads", 2}}},
                    {"items", json::array({text_item(s), image_item(s)})}};
  // The document is valid, so any Error from here on is a finding and aborts.
  check_markup(viz::render_attention_html(doc));
  const viz::AttentionDump dump = viz::parse_attention(doc);
  for (size_t i = 0; i < dump.items.size(); ++i) {
    const viz::AttentionItem& item = dump.items[i];
    for (size_t l = 0; l < item.layers.size(); ++l) {
      check_markup(viz::render_attention_svg(doc, static_cast<int64_t>(i), static_cast<int64_t>(l), 0));
      const std::string stem = viz::heatmap_file_stem(item, item.layers[l], 0);
      for (char c : stem) ATTN_FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
  }
  check_markup(viz::render_text_svg(dump.items[0], 0, 1));
  check_markup(viz::render_image_svg(dump.items[1], 0, 0));

  viz::RunCurves run{s[15], {{0, 2.5}, {10, 1.5}}, {{10, {{s[16], 0.5}, {"loss", 1.7}}}}, s[16], 10};
  viz::RunCurves other{s[17], {{0, 3.0}, {10, 2.0}}, {{10, {{s[16], 0.25}}}}, "", -1};
  check_markup(viz::render_learning_curves_svg({run, other}, {s[16]}));
  return 0;
}
