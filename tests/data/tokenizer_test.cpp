#include <catch2/catch.hpp>

#include "base/error.h"
#include "data/tokenizer.h"

using namespace attn;
using namespace attn::data;
using Tokens = std::vector<std::string>;

TEST_CASE("char tokenizer splits UTF-8 code points and rejects invalid bytes") {
  CHECK(tokenize(TokenizerKind::chars, "abc") == Tokens{"a", "b", "c"});
  CHECK(tokenize(TokenizerKind::chars, "año€😀") == Tokens{"a", "ñ", "o", "€", "😀"});
  CHECK(tokenize(TokenizerKind::chars, "") == Tokens{});
  CHECK(detokenize(TokenizerKind::chars, {"a", "ñ", "o"}) == "año");
  for (std::string bad : {std::string("a\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
                          std::string("\xed\xa0\x80"), std::string("\xe2\x82")}) {
    try {
      tokenize(TokenizerKind::chars, bad);
      FAIL("accepted invalid UTF-8");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      CHECK(std::string(e.what()).find("invalid UTF-8") != std::string::npos);
    }
  }
}

TEST_CASE("space tokenizer splits phones on any whitespace") {
  CHECK(tokenize(TokenizerKind::spaces, "HH AH  L\tOW ") == Tokens{"HH", "AH", "L", "OW"});
  CHECK(detokenize(TokenizerKind::spaces, {"HH", "AH"}) == "HH AH");
}

TEST_CASE("word tokenizer separates punctuation like sacreBLEU 13a") {
  const auto words = [](std::string_view s) { return tokenize(TokenizerKind::words, s); };
  CHECK(words("Hello, world. (Yes!)") == Tokens{"Hello", ",", "world", ".", "(", "Yes", "!", ")"});
  // Numbers keep their inner period and comma; a dash after a digit is split; apostrophes stay.
  CHECK(words("3.5 and 1,000 items, 10-20 don't e-mail") ==
        Tokens{"3.5", "and", "1,000", "items", ",", "10", "-", "20", "don't", "e-mail"});
  CHECK(words("end 3.") == Tokens{"end", "3", "."});
  CHECK(words("a:b;c?d\"e/f") == Tokens{"a", ":", "b", ";", "c", "?", "d", "\"", "e", "/", "f"});
}

TEST_CASE("word tokenizer handles Unicode quotes, inverted marks and apostrophes") {
  const auto words = [](std::string_view s) { return tokenize(TokenizerKind::words, s); };
  CHECK(words("God said, “Let there be light,” and God’s Spirit") ==
        Tokens{"God", "said", ",", "“", "Let", "there", "be", "light", ",", "”", "and", "God’s", "Spirit"});
  CHECK(words("¡OH Jehová, cuánto! ¿Por qué?") ==
        Tokens{"¡", "OH", "Jehová", ",", "cuánto", "!", "¿", "Por", "qué", "?"});
  CHECK(words("‘Man shall not live by bread alone’—") ==
        Tokens{"‘", "Man", "shall", "not", "live", "by", "bread", "alone", "’", "—"});
  CHECK(words("brothers’ houses") == Tokens{"brothers", "’", "houses"});
  CHECK(detokenize(TokenizerKind::words, words("Hello, world.")) == "Hello , world .");
}

TEST_CASE("tokenizer names round-trip and unknown names are config errors") {
  for (auto kind : {TokenizerKind::chars, TokenizerKind::spaces, TokenizerKind::words})
    CHECK(tokenizer_from_name(tokenizer_name(kind)) == kind);
  try {
    tokenizer_from_name("bpe");
    FAIL("accepted an unknown tokenizer");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
  }
}
