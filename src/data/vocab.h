// Vocab: token strings <-> integer ids, built from the training split of a dataset and saved
// with a run (to_json / from_json). Ids 0..3 are the specials <pad>, <unk>, <bos>, <eos>;
// every other token gets the next id in order of falling frequency (ties: byte order), so the
// same training data always gives the same vocabulary. Unknown tokens map to <unk>.
// Tokenization lives in tokenizer.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attn::data {

class Vocab {
 public:
  static constexpr int32_t pad = 0;
  static constexpr int32_t unk = 1;
  static constexpr int32_t bos = 2;
  static constexpr int32_t eos = 3;
  static constexpr int32_t num_specials = 4;

  Vocab();  // the four specials only

  // Tokens that occur at least min_freq times in sentences; max_size > 0 caps the size
  // (specials included) by dropping the rarest.
  static Vocab build(const std::vector<std::vector<std::string>>& sentences, int64_t min_freq = 1,
                     int64_t max_size = 0);

  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  int32_t id(std::string_view token) const;  // unk when absent
  bool contains(std::string_view token) const;
  const std::string& token(int32_t id) const;  // throws a data error for ids out of range

  std::vector<int32_t> encode(const std::vector<std::string>& tokens) const;
  // Stops at the first <eos>; drops <pad> and <bos>; keeps <unk> as its string.
  std::vector<std::string> decode(const std::vector<int32_t>& ids) const;

  // {"tokens": [every token in id order, specials first]}
  nlohmann::json to_json() const;
  // Throws a data error unless the JSON holds a token list that starts with the four specials
  // and has no duplicates.
  static Vocab from_json(const nlohmann::json& json);

  bool operator==(const Vocab& other) const { return tokens_ == other.tokens_; }

 private:
  explicit Vocab(std::vector<std::string> tokens);

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> ids_;
};

}  // namespace attn::data
