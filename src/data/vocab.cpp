#include "data/vocab.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "base/error.h"

namespace attn::data {

namespace {
const char* const kSpecials[Vocab::num_specials] = {"<pad>", "<unk>", "<bos>", "<eos>"};
}

Vocab::Vocab() : Vocab(std::vector<std::string>(kSpecials, kSpecials + num_specials)) {}

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
  ATTN_CHECK(tokens_.size() >= static_cast<size_t>(num_specials), data, "a vocabulary needs the ",
             num_specials, " specials, got ", tokens_.size(), " tokens");
  for (int32_t i = 0; i < num_specials; ++i)
    ATTN_CHECK(tokens_[i] == kSpecials[i], data, "vocabulary id ", i, " must be ", kSpecials[i], ", got '",
               tokens_[i], "'");
  ids_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    bool inserted = ids_.emplace(tokens_[i], static_cast<int32_t>(i)).second;
    ATTN_CHECK(inserted, data, "vocabulary token '", tokens_[i], "' appears twice (ids ", ids_.at(tokens_[i]),
               " and ", i, ")");
  }
}

Vocab Vocab::build(const std::vector<std::vector<std::string>>& sentences, int64_t min_freq, int64_t max_size) {
  std::unordered_map<std::string, int64_t> counts;
  for (const auto& sentence : sentences)
    for (const auto& token : sentence) ++counts[token];
  std::vector<std::pair<std::string, int64_t>> ranked;
  for (auto& [token, count] : counts) {
    bool special = std::find(kSpecials, kSpecials + num_specials, token) != kSpecials + num_specials;
    if (count >= min_freq && !special) ranked.emplace_back(token, count);
  }
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  if (max_size > 0 && static_cast<int64_t>(ranked.size()) > max_size - num_specials)
    ranked.resize(static_cast<size_t>(std::max<int64_t>(0, max_size - num_specials)));
  std::vector<std::string> tokens(kSpecials, kSpecials + num_specials);
  for (auto& entry : ranked) tokens.push_back(std::move(entry.first));
  return Vocab(std::move(tokens));
}

int32_t Vocab::id(std::string_view token) const {
  auto it = ids_.find(std::string(token));
  return it == ids_.end() ? unk : it->second;
}

bool Vocab::contains(std::string_view token) const { return ids_.count(std::string(token)) > 0; }

const std::string& Vocab::token(int32_t id) const {
  ATTN_CHECK(id >= 0 && id < size(), data, "token id ", id, " is outside the vocabulary [0, ", size(), ")");
  return tokens_[id];
}

std::vector<int32_t> Vocab::encode(const std::vector<std::string>& tokens) const {
  std::vector<int32_t> ids;
  ids.reserve(tokens.size());
  for (const auto& t : tokens) ids.push_back(id(t));
  return ids;
}

std::vector<std::string> Vocab::decode(const std::vector<int32_t>& ids) const {
  std::vector<std::string> tokens;
  for (int32_t i : ids) {
    if (i == eos) break;
    if (i == pad || i == bos) continue;
    tokens.push_back(token(i));
  }
  return tokens;
}

nlohmann::json Vocab::to_json() const { return nlohmann::json{{"tokens", tokens_}}; }

Vocab Vocab::from_json(const nlohmann::json& json) {
  ATTN_CHECK(json.is_object() && json.contains("tokens") && json["tokens"].is_array(), data,
             "a vocabulary must be a JSON object with a \"tokens\" array, got: ", json.dump().substr(0, 80));
  std::vector<std::string> tokens;
  for (const auto& t : json["tokens"]) {
    ATTN_CHECK(t.is_string(), data, "vocabulary tokens must be strings, got: ", t.dump());
    tokens.push_back(t.get<std::string>());
  }
  return Vocab(std::move(tokens));
}

}  // namespace attn::data
