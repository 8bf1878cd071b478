// Corpus BLEU against values worked out by hand (closed forms in the comments) and against the
// values sacreBLEU's own test suite asserts (test/test_bleu.py of sacreBLEU 2.x).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "metrics/bleu.h"

using namespace attn::metrics;
using Catch::Matchers::WithinAbs;
using Counts = std::vector<int64_t>;

TEST_CASE("BLEU of a perfect match is 100") {
  const BleuScore s = corpus_bleu({"The cat sat on the mat."}, {"The cat sat on the mat."});
  CHECK_THAT(s.score, WithinAbs(100.0, 1e-12));
  CHECK(s.bp == 1.0);
  CHECK(s.sys_len == 7);  // "." is a token
  CHECK(s.ref_len == 7);
  CHECK(s.counts == Counts{7, 6, 5, 4});
  CHECK(s.totals == Counts{7, 6, 5, 4});
  for (double p : s.precisions) CHECK_THAT(p, WithinAbs(100.0, 1e-12));
}

TEST_CASE("BLEU with no n-gram match is 0 with zero precisions") {
  const BleuScore s = corpus_bleu({"a b c d"}, {"e f g h"});
  CHECK(s.score == 0.0);
  CHECK(s.bp == 1.0);
  CHECK(s.counts == Counts{0, 0, 0, 0});
  CHECK(s.totals == Counts{4, 3, 2, 1});
  CHECK(s.precisions == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("BLEU of empty hypotheses is 0 with brevity penalty 0") {
  const BleuScore s = corpus_bleu({"", ""}, {"a b c", "d"});
  CHECK(s.score == 0.0);
  CHECK(s.bp == 0.0);
  CHECK(s.sys_len == 0);
  CHECK(s.ref_len == 4);
  CHECK(s.totals == Counts{0, 0, 0, 0});
}

TEST_CASE("BLEU of a hypothesis longer than its reference has no brevity penalty") {
  // Unigrams 6/7 (the x2, cat, sat, on, mat), bigrams 5/6, trigrams 4/5, 4-grams 3/4:
  // BLEU = (6/7 * 5/6 * 4/5 * 3/4)^(1/4) = (3/7)^(1/4).
  const BleuScore s = corpus_bleu({"the cat sat on the mat today"}, {"the cat sat on the mat"});
  CHECK(s.bp == 1.0);
  CHECK(s.sys_len == 7);
  CHECK(s.ref_len == 6);
  CHECK(s.counts == Counts{6, 5, 4, 3});
  CHECK(s.totals == Counts{7, 6, 5, 4});
  CHECK_THAT(s.precisions[0], WithinAbs(600.0 / 7.0, 1e-12));
  CHECK_THAT(s.score, WithinAbs(100.0 * std::pow(3.0 / 7.0, 0.25), 1e-10));
}

TEST_CASE("BLEU is 0 when the hypotheses are too short for the top order") {
  // No 4-gram exists: precision 4 stays 0 even with exp smoothing. BP = exp(1 - 6/3).
  const BleuScore s = corpus_bleu({"the cat sat"}, {"the cat sat on the mat"});
  CHECK(s.score == 0.0);
  CHECK_THAT(s.bp, WithinAbs(std::exp(-1.0), 1e-15));
  CHECK(s.totals == Counts{3, 2, 1, 0});
  CHECK(s.precisions == std::vector<double>{100, 100, 100, 0});
}

TEST_CASE("BLEU exp smoothing halves each further order without a match") {
  // "a b c d e" vs "a b x d e": unigrams 4/5, bigrams 2/4 (ab, de), trigrams 0/3, 4-grams 0/2.
  // exp smoothing: p3 = 1/(2*3), p4 = 1/(4*2). BLEU = (0.8 * 0.5 * 1/6 * 1/8)^(1/4).
  const BleuScore s = corpus_bleu({"a b c d e"}, {"a b x d e"});
  CHECK(s.counts == Counts{4, 2, 0, 0});
  CHECK(s.totals == Counts{5, 4, 3, 2});
  CHECK_THAT(s.precisions[2], WithinAbs(100.0 / 6.0, 1e-12));
  CHECK_THAT(s.precisions[3], WithinAbs(100.0 / 8.0, 1e-12));
  CHECK_THAT(s.score, WithinAbs(100.0 * std::pow(0.8 * 0.5 / 6.0 / 8.0, 0.25), 1e-10));

  // sacreBLEU's "this is a fest" case (its 0.2236 there is floor smoothing; exp gives p4 = 1/2).
  const BleuScore f = corpus_bleu({"this is a fest"}, {"this is a test"});
  CHECK_THAT(f.score, WithinAbs(100.0 * std::pow(0.75 * (2.0 / 3.0) * 0.5 * 0.5, 0.25), 1e-10));
}

TEST_CASE("BLEU sums statistics over the corpus before scoring") {
  // Segment 1 perfect (4 tokens), segment 2 "x" vs "y z": sys 5, ref 6, unigrams 4/5,
  // higher orders all from segment 1: 3/3, 2/2, 1/1. BLEU = exp(1 - 6/5) * 0.8^(1/4).
  const BleuScore s = corpus_bleu({"a b c d", "x"}, {"a b c d", "y z"});
  CHECK(s.sys_len == 5);
  CHECK(s.ref_len == 6);
  CHECK(s.counts == Counts{4, 3, 2, 1});
  CHECK(s.totals == Counts{5, 3, 2, 1});
  CHECK_THAT(s.score, WithinAbs(100.0 * std::exp(-0.2) * std::pow(0.8, 0.25), 1e-10));
}

TEST_CASE("BLEU clips counts by the reference and picks the closest reference length") {
  // sacreBLEU test_statistics: clipped counts [4, 2, 1, 0] of totals [6, 5, 4, 3].
  const BleuScore s = corpus_bleu({"am I am a character sequence"}, {"I am a symbol string sequence a a"});
  CHECK(s.counts == Counts{4, 2, 1, 0});
  CHECK(s.totals == Counts{6, 5, 4, 3});
  // Hypothesis of 3 tokens, references of 2 and 4: equally close, the shorter one wins.
  const BleuScore t = corpus_bleu_multi({"a b c"}, {{"a b c d"}, {"a b"}});
  CHECK(t.ref_len == 2);
}

TEST_CASE("BLEU matches the values sacreBLEU's test suite asserts") {
  const std::vector<std::string> hyps = {"The dog bit the man.", "It wasn't surprising.",
                                         "The man had just bitten him."};
  const std::vector<std::vector<std::string>> refs = {
      {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
      {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};
  CHECK_THAT(corpus_bleu_multi(hyps, refs).score, WithinAbs(48.530827, 1e-6));
  CHECK(corpus_bleu_multi({"", "", ""}, refs).score == 0.0);
  // test_max_ngram_order, compared as sacreBLEU formats them (two decimals).
  const char* by_order[] = {"77.65", "60.50", "53.93", "48.53", "46.14", "43.28"};
  for (int order = 1; order <= 6; ++order) {
    char text[16];
    std::snprintf(text, sizeof text, "%.2f", corpus_bleu_multi(hyps, refs, {.max_order = order}).score);
    CHECK(std::string(text) == by_order[order - 1]);
  }
  // test_scoring: from sufficient statistics.
  CHECK_THAT(bleu_from_counts({9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11).score, WithinAbs(83.75922397, 1e-7));
}

TEST_CASE("BLEU rejects mismatched corpora") {
  CHECK_THROWS_AS(corpus_bleu({"a", "b"}, {"a"}), attn::Error);
  CHECK_THROWS_AS(corpus_bleu({"a"}, {"a"}, {.max_order = 0}), attn::Error);
}
