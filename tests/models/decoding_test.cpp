#include <catch2/catch.hpp>

#include <vector>

#include "models/decoding.h"
#include "models/rnn_seq2seq.h"
#include "models/transformer.h"

using namespace attn;
using namespace attn::models;

namespace {
ModelOptions tiny(const std::string& arch) {
  ModelOptions o;
  o.arch = arch;
  o.src_vocab = o.tgt_vocab = 12;
  o.enc_layers = o.dec_layers = 1;
  o.width = 16, o.heads = 2, o.ff_width = 32;
  o.embed_width = 8, o.rnn_hidden = 8, o.attn_width = 8;
  return o;
}

// Two sources of `len` tokens, and an end-of-sequence id no model can emit, so
// decoding runs until max_len.
std::vector<Hypothesis> decode_without_eos(Seq2SeqModel& model, int64_t len, DecodeOptions o) {
  model.set_training(false);
  const Ids src{{2, len}, std::vector<int32_t>(2 * len, 5)};
  o.eos = -1;
  return decode(model, src, {static_cast<int32_t>(len), static_cast<int32_t>(len)}, o);
}
}  // namespace

TEST_CASE("decoding's automatic length grows with the source, beyond any fixed cap") {
  RnnSeq2Seq model(tiny("rnn"));
  for (int64_t beam : {1, 3}) {
    INFO("beam " << beam);
    const std::vector<Hypothesis> out = decode_without_eos(model, 40, {.max_len = 0, .beam = beam});
    REQUIRE(out.size() == 2);
    CHECK(out[0].size() == 2 * 40 + 10);
  }
  CHECK(decode_without_eos(model, 40, {.max_len = 7})[0].size() == 7);  // an explicit length is kept
}

TEST_CASE("decoding stays within a Transformer's positions") {
  ModelOptions o = tiny("transformer");
  o.max_positions = 16;
  Transformer model(o);
  const std::vector<Hypothesis> out = decode_without_eos(model, 12, {.max_len = 0});  // automatic: 34 > 16
  CHECK(out[0].size() == 16);
  CHECK(decode_without_eos(model, 12, {.max_len = 100})[0].size() == 16);
}
