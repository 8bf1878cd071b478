// Edit distance, G2P PER/WER and synthetic-task accuracies on hand-counted examples.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/error.h"
#include "metrics/edit_distance.h"
#include "metrics/g2p_metrics.h"
#include "metrics/sequence_accuracy.h"

using namespace attn::metrics;
using Catch::Matchers::WithinAbs;
using Phones = std::vector<std::string>;
using Ids = std::vector<int>;

TEST_CASE("edit distance counts substitutions, insertions and deletions") {
  CHECK(edit_distance(std::string("kitten"), std::string("sitting")) == 3);
  CHECK(edit_distance(std::string(""), std::string("abc")) == 3);
  CHECK(edit_distance(std::string("abc"), std::string("")) == 3);
  CHECK(edit_distance(std::string(""), std::string("")) == 0);
  CHECK(edit_distance(std::string("abc"), std::string("abc")) == 0);
  CHECK(edit_distance(std::string("ab"), std::string("ba")) == 2);  // no transpositions
  CHECK(edit_distance(Phones{"HH", "AH", "L", "OW"}, Phones{"HH", "EH", "L", "OW"}) == 1);
  CHECK(edit_distance(Ids{1, 2, 3, 4, 5}, Ids{2, 3, 4, 5, 6}) == 2);
}

TEST_CASE("G2P PER is phone edits over reference phones, WER the share of wrong words") {
  // cat: right; dog: AO->AA and an inserted Z (2 edits); bird: ER deleted (1 edit).
  const std::vector<Phones> refs = {{"K", "AE", "T"}, {"D", "AO", "G"}, {"B", "ER", "D"}};
  const std::vector<Phones> hyps = {{"K", "AE", "T"}, {"D", "AA", "G", "Z"}, {"B", "D"}};
  const G2pScore s = g2p_score(hyps, refs);
  CHECK(s.phone_errors == 3);
  CHECK(s.reference_phones == 9);
  CHECK(s.word_errors == 2);
  CHECK(s.words == 3);
  CHECK_THAT(s.per, WithinAbs(1.0 / 3.0, 1e-15));
  CHECK_THAT(s.wer, WithinAbs(2.0 / 3.0, 1e-15));

  const G2pScore perfect = g2p_score(refs, refs);
  CHECK(perfect.per == 0.0);
  CHECK(perfect.wer == 0.0);
}

TEST_CASE("G2P PER exceeds 1 when hypotheses insert many phones, and empty inputs") {
  const G2pScore s = g2p_score(std::vector<Ids>{{1, 2, 3, 4}}, std::vector<Ids>{{1}});
  CHECK_THAT(s.per, WithinAbs(3.0, 1e-15));
  CHECK(s.wer == 1.0);
  const G2pScore empty_hyp = g2p_score(std::vector<Ids>{{}}, std::vector<Ids>{{1, 2}});
  CHECK(empty_hyp.per == 1.0);
  const G2pScore empty = g2p_score(std::vector<Ids>{}, std::vector<Ids>{});
  CHECK(empty.per == 0.0);
  CHECK(empty.words == 0);
  CHECK_THROWS_AS(g2p_score(std::vector<Ids>{{1}}, std::vector<Ids>{{}}), attn::Error);
  CHECK_THROWS_AS(g2p_score(std::vector<Ids>{{1}}, std::vector<Ids>{}), attn::Error);
}

TEST_CASE("sequence accuracy: exact match and position-wise token accuracy") {
  // Sequence 1 right; sequence 2 right but one token too long (not exact, 2/2 positions);
  // sequence 3 wrong at position 1 and one token short (2 of 4 positions).
  const std::vector<Ids> refs = {{1, 2, 3}, {4, 5}, {6, 7, 8, 9}};
  const std::vector<Ids> hyps = {{1, 2, 3}, {4, 5, 0}, {6, 0, 8}};
  const SequenceAccuracy s = sequence_accuracy(hyps, refs);
  CHECK(s.exact_sequences == 1);
  CHECK(s.sequences == 3);
  CHECK(s.correct_tokens == 7);
  CHECK(s.reference_tokens == 9);
  CHECK_THAT(s.exact_match, WithinAbs(1.0 / 3.0, 1e-15));
  CHECK_THAT(s.token_accuracy, WithinAbs(7.0 / 9.0, 1e-15));

  const SequenceAccuracy perfect = sequence_accuracy(refs, refs);
  CHECK(perfect.exact_match == 1.0);
  CHECK(perfect.token_accuracy == 1.0);

  const SequenceAccuracy empty_hyps = sequence_accuracy(std::vector<Ids>{{}, {}}, std::vector<Ids>{{1}, {}});
  CHECK(empty_hyps.exact_sequences == 1);  // empty equals empty
  CHECK(empty_hyps.token_accuracy == 0.0);
  CHECK_THROWS_AS(sequence_accuracy(hyps, std::vector<Ids>{{1}}), attn::Error);
}
