#include "data/tokenizer.h"

#include <cstdint>
#include <cstring>

#include "base/error.h"

namespace attn::data {

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8
// (bad lead byte, truncated, bad continuation, overlong form, surrogate or > U+10FFFF).
size_t utf8_length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const uint8_t lead = b(0);
  size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(k) & 0xC0) != 0x80) return 0;
  if (n == 2 && lead < 0xC2) return 0;
  if (n == 3) {
    uint32_t cp = ((lead & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  }
  if (n == 4) {
    uint32_t cp = ((lead & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
  }
  return n;
}

bool is_space(std::string_view ch) { return ch == " " || ch == "\t" || ch == "\n" || ch == "\r"; }
bool is_digit(std::string_view ch) { return ch.size() == 1 && ch[0] >= '0' && ch[0] <= '9'; }

// A letter for the apostrophe rule: ASCII letters and any non-ASCII code point that is not
// one of the punctuation marks below (accented Latin letters are all multi-byte).
bool is_unicode_punct(std::string_view ch) {
  static const char* const marks[] = {"“", "”", "„", "«", "»", "¡", "¿", "—", "–", "…", "‘", "’"};
  for (const char* m : marks)
    if (ch == m) return true;
  return false;
}
bool is_letter(std::string_view ch) {
  if (ch.size() == 1) return (ch[0] >= 'a' && ch[0] <= 'z') || (ch[0] >= 'A' && ch[0] <= 'Z');
  return !is_unicode_punct(ch);
}

bool is_ascii_split(std::string_view ch) {
  return ch.size() == 1 && ch[0] != '\0' && std::strchr("!\"#$%&()*+/:;<=>?@[\\]^_`{|}~", ch[0]) != nullptr;
}

std::vector<std::string> tokenize_spaces(std::string_view text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text.substr(i, 1))) ++i;
    size_t start = i;
    while (i < text.size() && !is_space(text.substr(i, 1))) ++i;
    if (i > start) tokens.emplace_back(text.substr(start, i - start));
  }
  return tokens;
}

std::vector<std::string> tokenize_words(std::string_view text) {
  const std::vector<std::string> chars = split_utf8(text);
  const auto at = [&](size_t k) -> std::string_view { return k < chars.size() ? std::string_view(chars[k]) : ""; };
  std::vector<std::string> tokens;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) tokens.push_back(std::move(word));
    word.clear();
  };
  for (size_t k = 0; k < chars.size(); ++k) {
    std::string_view ch = chars[k];
    const std::string_view prev = k > 0 ? at(k - 1) : "", next = at(k + 1);
    bool alone = false;
    if (is_space(ch)) {
      flush();
      continue;
    } else if (ch == "." || ch == ",") {
      alone = !(is_digit(prev) && is_digit(next));
    } else if (ch == "-") {
      alone = is_digit(prev);
    } else if (ch == "’") {
      alone = !(is_letter(prev) && is_letter(next));
    } else {
      alone = is_ascii_split(ch) || is_unicode_punct(ch);
    }
    if (alone) {
      flush();
      tokens.emplace_back(ch);
    } else {
      word += ch;
    }
  }
  flush();
  return tokens;
}

std::string join(const std::vector<std::string>& tokens, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += separator;
    out += tokens[i];
  }
  return out;
}

}  // namespace

const char* tokenizer_name(TokenizerKind kind) {
  switch (kind) {
    case TokenizerKind::chars: return "char";
    case TokenizerKind::spaces: return "space";
    case TokenizerKind::words: return "word";
  }
  return "char";
}

TokenizerKind tokenizer_from_name(std::string_view name) {
  for (TokenizerKind kind : {TokenizerKind::chars, TokenizerKind::spaces, TokenizerKind::words})
    if (name == tokenizer_name(kind)) return kind;
  ATTN_FAIL(config, "unknown tokenizer '", name, "' (choices: char, space, word)");
}

std::vector<std::string> split_utf8(std::string_view text) {
  std::vector<std::string> chars;
  chars.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_length(text, i);
    ATTN_CHECK(n > 0, data, "invalid UTF-8 byte 0x", std::hex, static_cast<int>(static_cast<uint8_t>(text[i])),
               std::dec, " at byte ", i, " of \"", text.substr(0, 60), "\"");
    chars.emplace_back(text.substr(i, n));
    i += n;
  }
  return chars;
}

std::vector<std::string> tokenize(TokenizerKind kind, std::string_view text) {
  switch (kind) {
    case TokenizerKind::chars: return split_utf8(text);
    case TokenizerKind::spaces: return tokenize_spaces(text);
    case TokenizerKind::words: return tokenize_words(text);
  }
  return {};
}

std::string detokenize(TokenizerKind kind, const std::vector<std::string>& tokens) {
  return join(tokens, kind == TokenizerKind::chars ? "" : " ");
}

}  // namespace attn::data
