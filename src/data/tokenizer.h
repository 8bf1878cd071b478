// Tokenizers that turn one line of text into tokens, and back:
//   chars  — one token per Unicode code point (UTF-8 aware; bytes that are not valid UTF-8
//            are a data error), detokenized by concatenation;
//   spaces — tokens are the space-separated fields (G2P phones), joined back with spaces;
//   words  — natural text split like sacreBLEU's "13a" tokenizer, extended to Unicode
//            punctuation (rule below), joined back with spaces.
// The words rule, applied after collapsing whitespace:
//   - each of the ASCII characters !"#$%&()*+/:;<=>?@[\]^_`{|}~ is a token of its own;
//   - '.' and ',' are tokens unless both neighbours are digits ("3.5", "1,000" stay whole);
//   - '-' is a token when it follows a digit ("1-2" -> "1 - 2"), else it stays in the word;
//   - the ASCII apostrophe stays in the word ("don't"), as in 13a;
//   - Unicode punctuation “ ” „ « » ¡ ¿ — – … ‘ are tokens of their own, and ’ is one unless
//     it sits between two letters (an apostrophe: "God’s" stays one token, "brothers’" splits).
// No lowercasing and no Unicode normalisation. Vocabularies live in vocab.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attn::data {

enum class TokenizerKind { chars, spaces, words };

const char* tokenizer_name(TokenizerKind kind);          // "char", "space", "word"
TokenizerKind tokenizer_from_name(std::string_view name);  // throws a config error naming the choices

std::vector<std::string> tokenize(TokenizerKind kind, std::string_view text);
// chars: concatenation; spaces and words: tokens joined with single spaces.
std::string detokenize(TokenizerKind kind, const std::vector<std::string>& tokens);

// The code points of text as UTF-8 strings; throws a data error at the first invalid byte.
std::vector<std::string> split_utf8(std::string_view text);

}  // namespace attn::data
