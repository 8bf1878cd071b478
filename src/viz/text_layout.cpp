#include "viz/text_layout.h"

#include <array>
#include <cstdint>

namespace attn::viz {
namespace {

// DejaVu Sans advance widths of ' ' (0x20) .. '~' (0x7E) in hundredths of an em, as measured
// by Chromium's canvas measureText.
constexpr std::array<uint8_t, 95> kAsciiAdvance = {
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79,
    60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63,
    63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84};

// U+00C0..U+00FF (accented Latin letters and the like) measured as the ASCII character of the
// nearest width: "naïve" as "naive".
constexpr std::string_view kLatin1Like = "AAAAAAWCEEEEIIIIDNOOOOO+OUUUUYPbaaaaaamceeeeiiiionooooo+ouuuuypy";

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

// The code point starting at `at` and its length in bytes; an invalid byte is U+FFFD of length 1.
std::pair<char32_t, size_t> decode(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(at);
  if (lead < 0x80) return {lead, 1};
  size_t length;
  char32_t value;
  if ((lead & 0xE0) == 0xC0) length = 2, value = lead & 0x1F;
  else if ((lead & 0xF0) == 0xE0) length = 3, value = lead & 0x0F;
  else if ((lead & 0xF8) == 0xF0) length = 4, value = lead & 0x07;
  else return {0xFFFD, 1};
  if (at + length > text.size()) return {0xFFFD, 1};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {0xFFFD, 1};
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  return {value, length};
}

bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

double advance_em(char32_t c) {
  if (c >= 0xC0 && c <= 0xFF) c = static_cast<unsigned char>(kLatin1Like[c - 0xC0]);
  if (c >= 0x20 && c <= 0x7E) return kAsciiAdvance[c - 0x20] / 100.0;
  return wide(c) ? 1.0 : 0.62;
}

constexpr const char* kHex = "0123456789abcdef";

}  // namespace

double sans_text_width(std::string_view text, double font_size) {
  double em = 0.0;
  for (size_t at = 0; at < text.size();) {
    const auto [c, length] = decode(text, at);
    em += advance_em(c);
    at += length;
  }
  return em * font_size;
}

std::string fit_text_width(std::string_view text, double font_size, double max_width) {
  if (sans_text_width(text, font_size) <= max_width) return std::string(text);
  const double budget = max_width - sans_text_width(kEllipsis, font_size);
  double used = 0.0;
  size_t end = 0;
  while (end < text.size()) {
    const auto [c, length] = decode(text, end);
    if (used + advance_em(c) * font_size > budget) break;
    used += advance_em(c) * font_size;
    end += length;
  }
  return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

std::string visible_token(std::string_view token) {
  if (token.empty()) return "\xE2\x88\x85";  // ∅
  std::string out;
  bool blank = true;
  for (const char c : token) {
    const auto byte = static_cast<uint8_t>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (byte < 0x20 || byte == 0x7F) out += "\\x" + std::string{kHex[byte >> 4], kHex[byte & 0xF]};
    else out += c;
    blank = blank && c == ' ';
  }
  if (!blank) return out;
  std::string boxes;
  for (size_t i = 0; i < token.size(); ++i) boxes += "\xE2\x90\xA3";  // ␣
  return boxes;
}

std::vector<WrappedBox> wrap_boxes(const std::vector<double>& widths, double gap, double line_width) {
  std::vector<WrappedBox> boxes;
  boxes.reserve(widths.size());
  size_t line = 0;
  double x = 0.0;
  for (const double width : widths) {
    if (x > 0.0 && x + width > line_width) ++line, x = 0.0;
    boxes.push_back({line, x});
    x += width + gap;
  }
  return boxes;
}

}  // namespace attn::viz
