#include "metrics/tokenizer_13a.h"

#include "metrics/unicode_text.h"

namespace attn::metrics {
namespace {

// Python's str.replace: non-overlapping, left to right.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  for (size_t hit; (hit = text.find(from, at)) != std::string_view::npos; at = hit + from.size()) {
    out.append(text, at, hit - at);
    out.append(to);
  }
  out.append(text, at);
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_period_or_comma(char c) { return c == '.' || c == ','; }

// The character class [\{-\~\[-\` -\&\(-\+\:-\@\/] of mteval-v13a: ASCII punctuation and
// symbols (and space) except ' , - . which the later rules handle.
bool is_split_symbol(char c) {
  return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
         (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
}

// re.sub of a two-character pattern (first)(second): matches are taken leftmost first and
// never overlap, so a character consumed as `second` cannot start the next match. Working on
// bytes is exact here because every class involved either is ASCII or is the complement of
// one, and the bytes of a multi-byte character all fall in such a complement.
template <typename First, typename Second, typename Emit>
std::string substitute_pairs(const std::string& text, First first, Second second, Emit emit) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t i = 0;
  while (i < text.size()) {
    if (i + 1 < text.size() && first(text[i]) && second(text[i + 1])) {
      emit(out, text[i], text[i + 1]);
      i += 2;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

}  // namespace

std::string tokenize_13a(std::string_view line) {
  // Language-independent part.
  std::string text = replace_all(rstrip_whitespace(line), "<skipped>", "");
  text = replace_all(text, "-\n", "");
  text = replace_all(text, "\n", " ");
  text = replace_all(text, "&quot;", "\"");
  text = replace_all(text, "&amp;", "&");
  text = replace_all(text, "&lt;", "<");
  text = replace_all(text, "&gt;", ">");
  text = " " + text + " ";

  // Language-dependent part (Western languages).
  std::string spaced;
  spaced.reserve(text.size() * 2);
  for (char c : text) {
    if (is_split_symbol(c)) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  const auto not_digit = [](char c) { return !is_digit(c); };
  // Period and comma unless preceded by a digit.
  text = substitute_pairs(spaced, not_digit, is_period_or_comma, [](std::string& out, char a, char b) {
    out += a, out += ' ', out += b, out += ' ';
  });
  // Period and comma unless followed by a digit.
  text = substitute_pairs(text, is_period_or_comma, not_digit, [](std::string& out, char a, char b) {
    out += ' ', out += a, out += ' ', out += b;
  });
  // Dash when preceded by a digit.
  text = substitute_pairs(text, is_digit, [](char c) { return c == '-'; },
                          [](std::string& out, char a, char b) { out += a, out += ' ', out += b, out += ' '; });

  std::string tokens;
  tokens.reserve(text.size());
  for (std::string_view word : split_whitespace(text)) {
    if (!tokens.empty()) tokens += ' ';
    tokens.append(word);
  }
  return tokens;
}

}  // namespace attn::metrics
