// Expected tokenizations worked out by hand from the mteval-v13a rules as sacreBLEU applies
// them (and checked against Python's re on the same regular expressions).
#include <catch2/catch.hpp>

#include "metrics/tokenizer_13a.h"
#include "metrics/unicode_text.h"

using attn::metrics::tokenize_13a;

TEST_CASE("13a tokenizer splits punctuation and symbols but not apostrophes") {
  CHECK(tokenize_13a("Hello, world!") == "Hello , world !");
  CHECK(tokenize_13a("It wasn't surprising.") == "It wasn't surprising .");
  CHECK(tokenize_13a("$5.00/hr (approx.)") == "$ 5.00 / hr ( approx . )");
  CHECK(tokenize_13a("a+b=c; x<y? @me #tag 50% [ok] {x} a|b ~ ^_^") ==
        "a + b = c ; x < y ? @ me # tag 50 % [ ok ] { x } a | b ~ ^ _ ^");
  CHECK(tokenize_13a("") == "");
  CHECK(tokenize_13a("   ") == "");
}

TEST_CASE("13a tokenizer splits quotes and unescapes the four XML entities") {
  CHECK(tokenize_13a("\"Hi,\" she said.") == "\" Hi , \" she said .");
  CHECK(tokenize_13a("&quot;x&quot; &amp; &lt;b&gt;") == "\" x \" & < b >");
  // Replacements run one after another in sacreBLEU's order (quot, amp, lt, gt), so
  // &amp;quot; ends as the text &quot; while &amp;lt; goes on to become <.
  CHECK(tokenize_13a("&amp;quot;") == "& quot ;");
  CHECK(tokenize_13a("&amp;lt;") == "<");
  CHECK(tokenize_13a("`single' quotes") == "` single' quotes");
}

TEST_CASE("13a tokenizer keeps numbers whole and splits periods and commas elsewhere") {
  CHECK(tokenize_13a("3.14 and 1,000.") == "3.14 and 1,000 .");
  CHECK(tokenize_13a("e.g. this") == "e . g . this");
  CHECK(tokenize_13a("x.5") == "x . 5");    // preceded by a non-digit
  CHECK(tokenize_13a("5.x") == "5 . x");    // followed by a non-digit
  CHECK(tokenize_13a("a..b") == "a . . b");  // non-overlapping matches, in two passes
  CHECK(tokenize_13a("1.2.3") == "1.2.3");
}

TEST_CASE("13a tokenizer splits a dash only after a digit") {
  CHECK(tokenize_13a("well-known 1990-2000 -5 x-") == "well-known 1990 - 2000 -5 x-");
  CHECK(tokenize_13a("a -- b") == "a -- b");
  CHECK(tokenize_13a("2-3-4") == "2 - 3 - 4");
}

TEST_CASE("13a tokenizer joins hyphenated line breaks and drops <skipped>") {
  CHECK(tokenize_13a("hyphen-\nated line\nbreak") == "hyphenated line break");
  CHECK(tokenize_13a("end-\n") == "end-");  // trailing whitespace is stripped first
  CHECK(tokenize_13a("a <skipped> b") == "a b");
}

TEST_CASE("13a tokenizer handles UTF-8 and Unicode whitespace like Python") {
  CHECK(tokenize_13a("caf\xC3\xA9, na\xC3\xAFve.") == "caf\xC3\xA9 , na\xC3\xAFve .");
  CHECK(tokenize_13a("\xE6\x97\xA5\xE6\x9C\xAC.") == "\xE6\x97\xA5\xE6\x9C\xAC .");
  CHECK(tokenize_13a("a\xC2\xA0" "b\xE3\x80\x80" "c\t\nd") == "a b c d");  // NBSP, ideographic space
}

TEST_CASE("UTF-8 decoding escapes invalid bytes like Python's surrogateescape") {
  using attn::metrics::decode_utf8;
  CHECK(decode_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == U"a\u00E9\u20AC\U0001F600");
  CHECK(decode_utf8("\xFF" "a") == std::u32string{char32_t{0xDCFF}, U'a'});
  CHECK(decode_utf8("\xE2\x82" "a") == std::u32string{char32_t{0xDCE2}, char32_t{0xDC82}, U'a'});
  CHECK(decode_utf8("\xC0\xAF") == std::u32string{char32_t{0xDCC0}, char32_t{0xDCAF}});  // overlong '/'
  CHECK(attn::metrics::rstrip_whitespace("ab \xC2\xA0\n") == "ab");
}
