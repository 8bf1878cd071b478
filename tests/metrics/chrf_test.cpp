// chrF against values worked out by hand and against the values sacreBLEU's own test suite
// asserts (test/test_chrf.py of sacreBLEU 2.x, which mostly uses beta = 3).
#include <catch2/catch.hpp>

#include "base/error.h"
#include "metrics/chrf.h"

using namespace attn::metrics;
using Catch::Matchers::WithinAbs;

TEST_CASE("chrF of a perfect match is 100 and ignores whitespace") {
  CHECK_THAT(corpus_chrf({"Niemand hat die Absicht"}, {"Niemand hat die Absicht"}).score,
             WithinAbs(100.0, 1e-12));
  CHECK_THAT(corpus_chrf({"a b c"}, {"abc"}).score, WithinAbs(100.0, 1e-12));
}

TEST_CASE("chrF averages precision and recall over the orders both sides have") {
  // "ab" vs "abc": order 1 P = 2/2, R = 2/3; order 2 P = 1/1, R = 1/2; order 3 has no
  // hypothesis n-gram and orders 4-6 neither side: avg P = 1, avg R = 7/12.
  // F2 = 5 P R / (4 P + R) = (35/12) / (55/12) = 7/11.
  const ChrfScore s = corpus_chrf({"ab"}, {"abc"});
  CHECK_THAT(s.score, WithinAbs(100.0 * 7.0 / 11.0, 1e-10));
  REQUIRE(s.orders.size() == 6);
  CHECK(s.orders[0].hyp == 2);
  CHECK(s.orders[0].ref == 3);
  CHECK(s.orders[0].match == 2);
  CHECK(s.orders[2].hyp == 0);
  CHECK(s.orders[2].ref == 1);

  // "abcd" vs "ab": order 1 P = 2/4, R = 1; order 2 P = 1/3, R = 1; order 3+ no reference.
  // avg P = 5/12, R = 1: F2 = (25/12) / (32/12) = 25/32.
  CHECK_THAT(corpus_chrf({"abcd"}, {"ab"}).score, WithinAbs(100.0 * 25.0 / 32.0, 1e-10));
}

TEST_CASE("chrF does not count hypothesis n-grams of an order the reference lacks") {
  // Segment 1 "abc" vs "ab" has no reference trigram, so its hypothesis trigram is not
  // counted. Sums: order 1 hyp 6 ref 5 match 5; order 2 hyp 4 ref 3 match 3; order 3 1/1/1.
  // avg P = (5/6 + 3/4 + 1) / 3 = 31/36, avg R = 1: F2 = (155/36) / (160/36) = 31/32.
  const ChrfScore s = corpus_chrf({"abc", "xyz"}, {"ab", "xyz"});
  CHECK(s.orders[2].hyp == 1);
  CHECK(s.orders[2].ref == 1);
  CHECK_THAT(s.score, WithinAbs(100.0 * 31.0 / 32.0, 1e-10));
}

TEST_CASE("chrF edge cases: empty hypothesis, no match, non-ASCII characters") {
  CHECK(corpus_chrf({""}, {"reference"}).score == 0.0);
  CHECK(corpus_chrf({"abcdefg"}, {"hijklmnop"}).score == 0.0);
  CHECK(corpus_chrf({""}, {""}).score == 0.0);
  // Characters are code points: "né" vs "ne" shares one of two unigrams, no bigram.
  // P = R = (1/2 + 0) / 2 = 1/4 at any beta.
  CHECK_THAT(corpus_chrf({"né"}, {"ne"}).score, WithinAbs(25.0, 1e-10));
}

TEST_CASE("chrF matches the values sacreBLEU's test suite asserts") {
  const ChrfOptions beta3{.beta = 3.0};
  // test_chrf_eff_order (the sacreBLEU default smoothing), beta = 3.
  CHECK_THAT(corpus_chrf({"a"}, {"a"}, beta3).score, WithinAbs(100.0, 1e-4));
  CHECK_THAT(corpus_chrf({"a b c"}, {"abc"}, beta3).score, WithinAbs(100.0, 1e-4));
  CHECK_THAT(corpus_chrf({""}, {"c"}, beta3).score, WithinAbs(0.0, 1e-4));
  CHECK_THAT(corpus_chrf({"a", "b"}, {"a", "c"}, beta3).score, WithinAbs(50.0, 1e-4));
  CHECK_THAT(corpus_chrf({"aa"}, {"ab"}, beta3).score, WithinAbs(25.0, 1e-4));

  // test_chrf_keep_whitespace: beta = 3, whitespace kept.
  const ChrfOptions keep3{.beta = 3.0, .whitespace = true};
  CHECK_THAT(corpus_chrf({"Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."},
                         {"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."}, keep3)
                 .score,
             WithinAbs(67.3481606, 1e-4));

  // test_chrf with eps_smoothing, beta = 3.
  const ChrfOptions eps3{.beta = 3.0, .eps_smoothing = true};
  CHECK_THAT(corpus_chrf({"aa"}, {"ab"}, eps3).score, WithinAbs(8.3333, 1e-4));
  CHECK_THAT(corpus_chrf({"a", "b"}, {"a", "c"}, eps3).score, WithinAbs(8.3333, 1e-4));
  CHECK_THAT(corpus_chrf({"a"}, {"a"}, eps3).score, WithinAbs(16.6667, 1e-4));
  CHECK_THAT(corpus_chrf({"a b c"}, {"a b c"}, eps3).score, WithinAbs(50.0, 1e-4));
  CHECK_THAT(corpus_chrf({" risk assessment must be made of those who are qualified and expertise in the "
                          "sector - these are the scientists ."},
                         {"risk assessment has to be undertaken by those who are qualified and expert in "
                          "that area - that is the scientists ."},
                         eps3)
                 .score,
             WithinAbs(63.361730, 1e-4));
  CHECK_THAT(corpus_chrf({" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "},
                         {"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."},
                         eps3)
                 .score,
             WithinAbs(64.1302698, 1e-4));

  // test_chrf_sentence_level: Czech, beta = 2, eps smoothing.
  const ChrfOptions eps2{.eps_smoothing = true};
  CHECK_THAT(corpus_chrf({"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře."},
                         {"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."},
                         eps2)
                 .score,
             WithinAbs(39.14078509, 1e-4));
  CHECK_THAT(corpus_chrf({"Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři."},
                         {"A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."}, eps2)
                 .score,
             WithinAbs(31.22557079, 1e-4));
  CHECK_THAT(corpus_chrf({"Lapali po dechu, jejich životy skončily dřív, než skutečně začaly."},
                         {"Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."},
                         eps2)
                 .score,
             WithinAbs(57.15704367, 1e-4));
}

TEST_CASE("chrF rejects mismatched corpora") {
  CHECK_THROWS_AS(corpus_chrf({"a"}, {}), attn::Error);
  CHECK_THROWS_AS(corpus_chrf({"a"}, {"a"}, {.char_order = 0}), attn::Error);
}
