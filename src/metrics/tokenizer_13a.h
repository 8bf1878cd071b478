// sacreBLEU's default BLEU tokenizer "13a" (mteval-v13a.pl, as in sacreBLEU 2.x), reproduced
// step by step so that corpus_bleu scores match sacreBLEU's. Not the "intl", "zh" or
// "char" tokenizers, and no lowercasing.
#pragma once

#include <string>
#include <string_view>

namespace attn::metrics {

// Tokens of `line` joined by single spaces. Like sacreBLEU's BLEU preprocessing, trailing
// whitespace is stripped first (so a final "-\n" is kept as a dash, not a line join).
// Steps: drop "<skipped>", join "-\n" hyphenations, "\n" -> " ", unescape &quot; &amp; &lt;
// &gt;; split off ASCII punctuation and symbols except ' , - . ; split off . and , unless
// between digits; split a dash off a preceding digit; collapse whitespace.
std::string tokenize_13a(std::string_view line);

}  // namespace attn::metrics
