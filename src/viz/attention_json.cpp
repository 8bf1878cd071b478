#include "viz/attention_json.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

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

bool known_kind(const std::string& kind) {
  return kind == "encoder_self" || kind == "decoder_self" || kind == "decoder_cross" || kind == "rnn";
}

AttentionLayer parse_layer(const json& doc, const std::string& where) {
  AttentionLayer layer;
  layer.name = string_field(doc, "name", where);
  layer.kind = string_field(doc, "kind", where);
  ATTN_CHECK(known_kind(layer.kind), data, "attention JSON: ", where, ".kind is \"", layer.kind,
             "\", expected encoder_self, decoder_self, decoder_cross or rnn");
  layer.layer = integer_field(doc, "layer", where);
  layer.query_tokens = tokens_field(doc, "query_tokens", where);
  layer.key_tokens = tokens_field(doc, "key_tokens", where);
  const size_t tq = layer.query_tokens.size(), tk = layer.key_tokens.size();

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

}  // namespace

AttentionDump parse_attention(const json& doc) {
  const std::string schema = string_field(doc, "schema", "document");
  ATTN_CHECK(schema == kAttentionSchema, data, "attention JSON: schema is \"", schema, "\", this build reads \"",
             kAttentionSchema, "\"");
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
    item.output_tokens = tokens_field(source, "output_tokens", where);
    item.output = string_field(source, "output", where);
    const json& layers = field(source, "layers", where);
    ATTN_CHECK(layers.is_array(), data, "attention JSON: ", where, ".layers must be an array");
    for (size_t l = 0; l < layers.size(); ++l)
      item.layers.push_back(parse_layer(layers[l], where + ".layers[" + std::to_string(l) + "]"));
    dump.items.push_back(std::move(item));
  }
  return dump;
}

}  // namespace attn::viz
