#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "data/sha256.h"
#include "data/vocab.h"

using namespace attn;
using namespace attn::data;

TEST_CASE("vocab has the specials first and orders tokens by frequency, then bytes") {
  Vocab v = Vocab::build({{"b", "a", "c", "b"}, {"c", "b", "d"}});
  REQUIRE(v.size() == 8);
  CHECK(v.token(Vocab::pad) == "<pad>");
  CHECK(v.token(Vocab::unk) == "<unk>");
  CHECK(v.token(Vocab::bos) == "<bos>");
  CHECK(v.token(Vocab::eos) == "<eos>");
  CHECK(v.id("b") == 4);  // 3 times
  CHECK(v.id("c") == 5);  // 2 times
  CHECK(v.id("a") == 6);  // 1 time, before "d" in byte order
  CHECK(v.id("d") == 7);
}

TEST_CASE("vocab maps unknown tokens to <unk> and honours min_freq and max_size") {
  Vocab v = Vocab::build({{"x", "x", "y"}}, 2);
  CHECK(v.size() == 5);
  CHECK(v.id("x") == 4);
  CHECK(v.id("y") == Vocab::unk);
  CHECK(v.id("never") == Vocab::unk);
  CHECK_FALSE(v.contains("y"));
  CHECK(v.encode({"x", "y", "x"}) == std::vector<int32_t>{4, Vocab::unk, 4});
  CHECK(Vocab::build({{"p", "p", "q", "r"}}, 1, 5).size() == 5);
  CHECK(Vocab::build({{"<unk>", "z"}}).size() == 5);  // a literal special is not added twice
}

TEST_CASE("vocab decode stops at <eos> and skips <pad> and <bos>") {
  Vocab v = Vocab::build({{"a", "b"}});
  CHECK(v.decode({Vocab::bos, v.id("a"), Vocab::pad, v.id("b"), Vocab::eos, v.id("a")}) ==
        std::vector<std::string>{"a", "b"});
  CHECK_THROWS_AS(v.token(99), Error);
}

TEST_CASE("vocab round-trips through JSON and rejects malformed JSON") {
  Vocab v = Vocab::build({{"ñ", "HH", "“", "a"}});
  nlohmann::json j = nlohmann::json::parse(v.to_json().dump());
  Vocab back = Vocab::from_json(j);
  CHECK(back == v);
  CHECK(back.id("ñ") == v.id("ñ"));
  for (const char* bad : {R"({"tokens": ["<pad>", "<unk>", "<bos>"]})",
                          R"({"tokens": ["<pad>", "<unk>", "<eos>", "<bos>"]})",
                          R"({"tokens": ["<pad>", "<unk>", "<bos>", "<eos>", "a", "a"]})",
                          R"({"tokens": ["<pad>", "<unk>", "<bos>", "<eos>", 7]})", R"([1, 2])"}) {
    try {
      Vocab::from_json(nlohmann::json::parse(bad));
      FAIL("accepted " << bad);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
    }
  }
}

TEST_CASE("sha256 matches the FIPS 180-4 test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
