#include "viz/attention_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/attention_schema.h"
#include "base/error.h"

namespace attn::viz {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* key, const std::string& where) {
  ATTN_CHECK(object.is_object(), data, "attention JSON: ", where, " must be an object, got ", object.type_name());
  const auto it = object.find(key);
  ATTN_CHECK(it != object.end(), data, "attention JSON: ", where, " has no \"", key, "\"");
  return *it;
}

std::string string_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  ATTN_CHECK(value.is_string(), data, "attention JSON: ", where, ".", key, " must be a string, got ",
             value.type_name());
  return value.get<std::string>();
}

int64_t integer_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  ATTN_CHECK(value.is_number_integer(), data, "attention JSON: ", where, ".", key,
             " must be an integer, got ", value.dump());
  return value.get<int64_t>();
}

std::vector<std::string> tokens_field(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  ATTN_CHECK(value.is_array(), data, "attention JSON: ", where, ".", key, " must be an array of strings");
  std::vector<std::string> tokens;
  tokens.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    ATTN_CHECK(value[i].is_string(), data, "attention JSON: ", where, ".", key, "[", i,
               "] must be a string, got ", value[i].type_name());
    tokens.push_back(value[i].get<std::string>());
  }
  return tokens;
}

// The schema's version: 1 for attn.attention/1, and so on.
int schema_version(const std::string& schema) {
  const auto it = std::find(kAttentionSchemasRead.begin(), kAttentionSchemasRead.end(), schema);
  if (it != kAttentionSchemasRead.end()) return static_cast<int>(it - kAttentionSchemasRead.begin()) + 1;
  std::string readable;
  for (const std::string_view tag : kAttentionSchemasRead) readable += (readable.empty() ? "" : ", ") + std::string(tag);
  ATTN_FAIL(data, "attention JSON: schema is \"", schema, "\", this build reads ", readable);
}

// /1 named its four kinds; from /2 on any kind is read (and shown as a plain grid if unknown).
void check_kind(const AttentionLayer& layer, int version, const std::string& where) {
  ATTN_CHECK(!layer.kind.empty(), data, "attention JSON: ", where, ".kind must not be empty");
  if (version == 1) {
    const bool known = layer.kind == "encoder_self" || layer.kind == "decoder_self" ||
                       layer.kind == "decoder_cross" || layer.kind == "rnn";
    ATTN_CHECK(known, data, "attention JSON: ", where, ".kind is \"", layer.kind,
               "\", expected encoder_self, decoder_self, decoder_cross or rnn (attn.attention/1)");
  }
  ATTN_CHECK(layer.kind != kPoolingKind || layer.query_tokens.size() == 1, data, "attention JSON: ", where,
             ".query_tokens has ", layer.query_tokens.size(), " tokens, a pooling layer has exactly 1");
}

AttentionLayer parse_layer(const json& doc, int version, const std::string& where) {
  AttentionLayer layer;
  layer.name = string_field(doc, "name", where);
  layer.kind = string_field(doc, "kind", where);
  layer.layer = integer_field(doc, "layer", where);
  layer.query_tokens = tokens_field(doc, "query_tokens", where);
  layer.key_tokens = tokens_field(doc, "key_tokens", where);
  check_kind(layer, version, where);
  const size_t tq = layer.query_tokens.size(), tk = layer.key_tokens.size();
  if (doc.contains("query_predicts")) {
    layer.query_predicts = tokens_field(doc, "query_predicts", where);
    ATTN_CHECK(layer.query_predicts.size() == tq, data, "attention JSON: ", where, ".query_predicts has ",
               layer.query_predicts.size(), " tokens, expected Tq = ", tq, " (query_tokens)");
  }
  if (doc.contains("reduced")) {
    const json& reduced = doc["reduced"];
    layer.reduced = string_field(reduced, "op", where + ".reduced");
    layer.model_heads = integer_field(reduced, "heads", where + ".reduced");
  } else if (doc.contains("head_of")) {
    layer.kept_head = integer_field(doc["head_of"], "head", where + ".head_of");
    layer.model_heads = integer_field(doc["head_of"], "heads", where + ".head_of");
  }

  const json& heads = field(doc, "heads", where);
  ATTN_CHECK(heads.is_array() && !heads.empty(), data, "attention JSON: ", where,
             ".heads must be a non-empty [H][Tq][Tk] array");
  layer.heads = static_cast<int64_t>(heads.size());
  layer.weights.reserve(heads.size() * tq * tk);
  for (size_t h = 0; h < heads.size(); ++h) {
    const json& rows = heads[h];
    ATTN_CHECK(rows.is_array() && rows.size() == tq, data, "attention JSON: ", where, ".heads[", h, "] has ",
               rows.is_array() ? rows.size() : 0, " rows, expected Tq = ", tq, " (query_tokens)");
    for (size_t q = 0; q < tq; ++q) {
      const json& row = rows[q];
      ATTN_CHECK(row.is_array() && row.size() == tk, data, "attention JSON: ", where, ".heads[", h, "][", q,
                 "] has ", row.is_array() ? row.size() : 0, " columns, expected Tk = ", tk, " (key_tokens)");
      for (size_t k = 0; k < tk; ++k) {
        const json& value = row[k];
        ATTN_CHECK(value.is_number() || value.is_null(), data, "attention JSON: ", where, ".heads[", h, "][", q,
                   "][", k, "] must be a number or null, got ", value.dump());
        layer.weights.push_back(value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>());
      }
    }
  }
  return layer;
}

Prediction parse_prediction(const json& doc, const std::string& where) {
  Prediction prediction;
  prediction.label = string_field(doc, "label", where);
  const json& probability = field(doc, "probability", where);
  ATTN_CHECK(probability.is_number() && probability.get<double>() >= 0.0 && probability.get<double>() <= 1.0, data,
             "attention JSON: ", where, ".probability must be a number in [0, 1], got ", probability.dump());
  prediction.probability = probability.get<double>();
  if (const auto it = doc.find("reference"); it != doc.end() && !it->is_null()) {
    ATTN_CHECK(it->is_string(), data, "attention JSON: ", where, ".reference must be a string or null, got ",
               it->type_name());
    prediction.reference = it->get<std::string>();
  }
  return prediction;
}

ItemImage parse_image(const json& doc, const std::string& where) {
  ItemImage image;
  using Field = std::pair<const char*, int64_t*>;
  for (const auto& [key, value] : {Field{"height", &image.height}, Field{"width", &image.width},
                                   Field{"patch", &image.patch}, Field{"grid_rows", &image.grid_rows},
                                   Field{"grid_cols", &image.grid_cols}}) {
    *value = integer_field(doc, key, where);
    ATTN_CHECK(*value > 0 && *value <= 4096, data, "attention JSON: ", where, ".", key, " must be in [1, 4096], got ",
               *value);
  }
  ATTN_CHECK(image.grid_rows * image.patch == image.height && image.grid_cols * image.patch == image.width, data,
             "attention JSON: ", where, ": a ", image.grid_rows, "x", image.grid_cols, " grid of ", image.patch,
             "-pixel patches does not tile a ", image.height, "x", image.width, " image");
  const json& pixels = field(doc, "pixels", where);
  const size_t n = static_cast<size_t>(image.height * image.width);
  ATTN_CHECK(pixels.is_array() && pixels.size() == n, data, "attention JSON: ", where, ".pixels must be an array of ",
             n, " values (height x width), got ", pixels.is_array() ? pixels.size() : 0);
  image.pixels.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const json& p = pixels[i];
    ATTN_CHECK(p.is_number_integer() && p.get<int64_t>() >= 0 && p.get<int64_t>() <= 255, data, "attention JSON: ",
               where, ".pixels[", i, "] must be an integer in [0, 255], got ", p.dump());
    image.pixels.push_back(static_cast<uint8_t>(p.get<int64_t>()));
  }
  return image;
}

// Numbers of a series field, |expected| of them when given; null reads as NaN only where allowed.
std::vector<double> numbers_field(const json& object, const char* key, const std::string& where, size_t expected,
                                  bool nulls) {
  const json& value = field(object, key, where);
  ATTN_CHECK(value.is_array() && value.size() == expected, data, "attention JSON: ", where, ".", key,
             " must be an array of ", expected, " numbers, got ", value.is_array() ? value.size() : 0);
  std::vector<double> out;
  for (size_t i = 0; i < value.size(); ++i) {
    const json& v = value[i];
    ATTN_CHECK(v.is_number() || (nulls && v.is_null()), data, "attention JSON: ", where, ".", key, "[", i,
               "] must be a number", nulls ? " or null" : "", ", got ", v.dump());
    out.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
  }
  return out;
}

ItemSeries parse_series(const json& doc, const std::string& where) {
  ItemSeries series;
  series.times = tokens_field(doc, "times", where);
  series.target_times = tokens_field(doc, "target_times", where);
  ATTN_CHECK(!series.times.empty() && !series.target_times.empty(), data, "attention JSON: ", where,
             " needs at least one time and one target time");
  series.values = numbers_field(doc, "values", where, series.times.size(), false);
  series.forecast = numbers_field(doc, "forecast", where, series.target_times.size(), false);
  series.truth = numbers_field(doc, "truth", where, series.target_times.size(), true);
  return series;
}

}  // namespace

std::string AttentionItem::input_text() const {
  if (!source.empty()) return source;
  std::string text;
  for (const std::string& t : source_tokens) text += (text.empty() ? "" : " ") + t;
  return text;
}

std::string format_weight(double v) {
  if (std::isnan(v)) return "missing";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

std::string AttentionLayer::head_label(int64_t h) const {
  const std::string n = std::to_string(model_heads);
  if (!reduced.empty()) return reduced + " of " + n + (model_heads == 1 ? " head" : " heads");
  if (kept_head >= 0) return "head " + std::to_string(kept_head) + " of " + n;
  return "head " + std::to_string(h) + " / " + std::to_string(heads);
}

std::string AttentionLayer::row_label(int64_t q) const {
  const std::string& token = query_tokens[static_cast<size_t>(q)];
  if (query_predicts.empty()) return token;
  return token + " \xE2\x86\x92 " + query_predicts[static_cast<size_t>(q)];  // U+2192
}

bool AttentionItem::is_classifier() const {
  return prediction.has_value() ||
         std::any_of(layers.begin(), layers.end(), [](const AttentionLayer& l) { return l.kind == kPoolingKind; });
}

AttentionDump parse_attention(const json& doc) {
  const int version = schema_version(string_field(doc, "schema", "document"));
  AttentionDump dump;
  dump.task = string_field(doc, "task", "document");
  const json& model = field(doc, "model", "document");
  ATTN_CHECK(model.is_object(), data, "attention JSON: model must be an object, got ", model.type_name());
  for (const auto& [key, value] : model.items())
    dump.model.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());

  const json& items = field(doc, "items", "document");
  ATTN_CHECK(items.is_array(), data, "attention JSON: items must be an array, got ", items.type_name());
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "]";
    const json& source = items[i];
    AttentionItem item;
    item.index = integer_field(source, "index", where);
    item.source_tokens = tokens_field(source, "source_tokens", where);
    if (source.contains("source") && source["source"].is_string()) item.source = source["source"].get<std::string>();
    item.output_tokens = tokens_field(source, "output_tokens", where);
    item.output = string_field(source, "output", where);
    if (version >= 2 && source.contains("prediction"))
      item.prediction = parse_prediction(source["prediction"], where + ".prediction");
    if (version >= 2 && source.contains("image")) item.image = parse_image(source["image"], where + ".image");
    if (version >= 2 && source.contains("series")) item.series = parse_series(source["series"], where + ".series");
    const json& layers = field(source, "layers", where);
    ATTN_CHECK(layers.is_array(), data, "attention JSON: ", where, ".layers must be an array");
    for (size_t l = 0; l < layers.size(); ++l)
      item.layers.push_back(parse_layer(layers[l], version, where + ".layers[" + std::to_string(l) + "]"));
    dump.items.push_back(std::move(item));
  }
  return dump;
}

}  // namespace attn::viz
