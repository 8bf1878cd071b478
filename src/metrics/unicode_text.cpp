#include "metrics/unicode_text.h"

#include <cstdint>

namespace attn::metrics {
namespace {

struct Decoded {
  char32_t code_point;
  size_t length;  // bytes consumed, >= 1
};

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF); anything else escapes
// its first byte and resumes at the next one, which is how surrogateescape ends up too.
Decoded decode_one(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(at);
  const Decoded escaped{static_cast<char32_t>(0xDC00 + lead), 1};
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t value = 0;
  char32_t min_value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, min_value = 0x10000;
  } else {
    return escaped;
  }
  if (at + length > text.size()) return escaped;
  for (size_t i = 1; i < length; ++i) {
    const uint8_t next = byte(at + i);
    if ((next & 0xC0) != 0x80) return escaped;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return escaped;
  return {value, length};
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const Decoded d = decode_one(text, at);
    out.push_back(d.code_point);
    at += d.length;
  }
  return out;
}

bool is_python_space(char32_t c) {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> words;
  size_t word_start = text.size();  // text.size() means "not inside a word"
  for (size_t at = 0; at < text.size();) {
    const Decoded d = decode_one(text, at);
    if (is_python_space(d.code_point)) {
      if (word_start != text.size()) words.push_back(text.substr(word_start, at - word_start));
      word_start = text.size();
    } else if (word_start == text.size()) {
      word_start = at;
    }
    at += d.length;
  }
  if (word_start != text.size()) words.push_back(text.substr(word_start));
  return words;
}

std::string_view rstrip_whitespace(std::string_view text) {
  size_t end = 0;  // end of the last non-space code point seen
  for (size_t at = 0; at < text.size();) {
    const Decoded d = decode_one(text, at);
    at += d.length;
    if (!is_python_space(d.code_point)) end = at;
  }
  return text.substr(0, end);
}

}  // namespace attn::metrics
