#include <catch2/catch.hpp>
#include <cstring>

#include "base/error.h"
#include "experiment/atomic_file.h"
#include "experiment/safetensors.h"
#include "experiment/temp_dir.h"

using attn::Error;
using attn::ErrorKind;
using attn::Tensor;
using attn::test::TempDir;
namespace ex = attn::experiment;

namespace {

std::string u64_le(uint64_t v) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  return out;
}

// A file assembled by hand from a header text and raw data bytes.
std::string file_of(const std::string& header, const std::string& data) {
  return u64_le(header.size()) + header + data;
}

std::string float_bytes(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) out.append(reinterpret_cast<const char*>(&v), 4);
  return out;
}

// Decoding must fail with a one-line checkpoint error naming the source and `part`.
void require_corrupt(const std::string& bytes, const std::string& part) {
  try {
    ex::decode_safetensors(bytes, "ckpt.safetensors");
    FAIL("decoded without error: " << part);
  } catch (const Error& e) {
    INFO(e.what());
    CHECK(e.kind() == ErrorKind::checkpoint);
    const std::string what = e.what();
    CHECK(what.rfind("ckpt.safetensors: ", 0) == 0);
    CHECK(what.find(part) != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
}

}  // namespace

TEST_CASE("safetensors byte layout matches the format, checked by hand", "[experiment]") {
  ex::NamedTensors tensors = {{"w", Tensor::from({2}, {1.0f, -2.0f})}, {"s", Tensor::from({}, {0.5f})}};
  const std::string bytes = ex::encode_safetensors(tensors, {{"k", "v"}});
  const std::string header =
      R"({"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("s":{"dtype":"F32","shape":[],"data_offsets":[8,12]}})";
  const size_t padded = (header.size() + 7) / 8 * 8;
  REQUIRE(bytes.size() == 8 + padded + 12);
  CHECK(bytes.substr(0, 8) == u64_le(padded));
  CHECK(bytes.substr(8, padded) == header + std::string(padded - header.size(), ' '));
  // 1.0f = 0x3f800000, -2.0f = 0xc0000000, 0.5f = 0x3f000000, little-endian
  const std::string data("\x00\x00\x80\x3f\x00\x00\x00\xc0\x00\x00\x00\x3f", 12);
  CHECK(bytes.substr(8 + padded) == data);
}

TEST_CASE("safetensors save and load round trip", "[experiment]") {
  TempDir dir;
  Tensor big = Tensor::empty({3, 5, 7});
  for (int64_t i = 0; i < big.numel(); ++i) big[i] = 0.001f * static_cast<float>(i * i) - 3.0f;
  ex::NamedTensors tensors = {{"encoder.layers.0.q_proj.weight", big},
                              {"bias", Tensor::from({4}, {1, 2, 3, 4})},
                              {"empty", Tensor::zeros({0, 3})}};
  ex::Metadata meta = {{"attn.trainer_state", R"({"step":12})"}, {"note", "ü ∑ \"quoted\"\n"}};
  ex::save_safetensors(dir / "m.safetensors", tensors, meta);
  CHECK(dir.entries() == std::vector<std::string>{"m.safetensors"});

  ex::SafetensorsFile file = ex::load_safetensors(dir / "m.safetensors");
  CHECK(file.metadata == meta);
  REQUIRE(file.tensors.size() == 3);
  for (size_t i = 0; i < tensors.size(); ++i) {
    CHECK(file.tensors[i].first == tensors[i].first);
    CHECK(file.tensors[i].second.shape() == tensors[i].second.shape());
    CHECK(file.tensors[i].second.to_vector() == tensors[i].second.to_vector());
  }
}

TEST_CASE("safetensors reads files laid out as other writers do", "[experiment]") {
  // Entries out of offset order, metadata last, whitespace padding, no metadata needed.
  const std::string header =
      R"({"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"a":{"shape":[2],"dtype":"F32","data_offsets":[0,8]},"__metadata__":{"format":"pt"}}   )";
  ex::SafetensorsFile file = ex::decode_safetensors(file_of(header, float_bytes({1, 2, 3})), "x");
  REQUIRE(file.tensors.size() == 2);
  CHECK(file.tensors[0].first == "a");
  CHECK(file.tensors[0].second.to_vector() == std::vector<float>{1, 2});
  CHECK(file.tensors[1].first == "b");
  CHECK(file.tensors[1].second.to_vector() == std::vector<float>{3});
  CHECK(file.metadata.at("format") == "pt");
  CHECK(ex::decode_safetensors(file_of("{}", ""), "x").tensors.empty());
}

TEST_CASE("safetensors rejects corrupt, truncated and garbage files with a checkpoint error", "[experiment]") {
  const std::string good = ex::encode_safetensors({{"w", Tensor::from({2, 2}, {1, 2, 3, 4})}}, {{"k", "v"}});
  const auto entry = [](const std::string& fields) { return R"({"w":{)" + fields + "}}"; };
  const std::string data8 = float_bytes({1, 2});

  SECTION("truncated anywhere") {
    for (size_t n : {size_t(0), size_t(5), size_t(8), size_t(20), good.size() - 1})
      require_corrupt(good.substr(0, n), n < 8 ? "shorter than" : "truncated");
  }
  SECTION("trailing bytes") { require_corrupt(good + "xx", "data section is"); }
  SECTION("garbage") {
    require_corrupt(std::string(64, '\xff'), "exceeds the 100000000-byte limit");
    require_corrupt(u64_le(4) + "abcd", "does not start with '{'");
    require_corrupt(file_of("{\"w\": [1,", ""), "header: parse error at line 1");
    require_corrupt(file_of("[1,2]", ""), "does not start with '{'");
    require_corrupt(file_of("{\"w\": 3}", ""), "not an object");
    require_corrupt(file_of("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", ""), "lacks \"data_offsets\"");
  }
  SECTION("dtype, shape and offsets") {
    require_corrupt(file_of(entry(R"("dtype":"F16","shape":[4],"data_offsets":[0,8])"), data8), "F16 is not supported");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[3],"data_offsets":[0,8])"), data8), "needs 12");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[-2],"data_offsets":[0,8])"), data8), "negative");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":"2","data_offsets":[0,8])"), data8), "shape is not an array");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[2],"data_offsets":[8,0])"), data8), "end before begin");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[2],"data_offsets":[0])"), data8), "[begin, end]");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[2],"data_offsets":[8,16])"), data8), "gap");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8])"), data8),
                    "overflows");
    require_corrupt(file_of(entry(R"("dtype":"F32","shape":[4],"data_offsets":[0,16])"), data8), "truncated");
  }
  SECTION("overlapping tensors") {
    const std::string header =
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
    require_corrupt(file_of(header, float_bytes({1, 2, 3})), "overlap");
  }
  SECTION("metadata must map strings to strings") {
    require_corrupt(file_of(R"({"__metadata__":{"step":3}})", ""), "not a string");
    require_corrupt(file_of(R"({"__metadata__":[1]})", ""), "__metadata__ is not an object");
  }
  SECTION("every single-byte corruption of the header is caught or harmless") {
    // Flip each header byte: decoding either fails with a checkpoint error or yields
    // a well-formed file; it never crashes or reads out of bounds.
    const uint64_t header_size = good.size() - 8 - 16;
    for (size_t i = 0; i < 8 + header_size; ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x5a);
      try {
        ex::SafetensorsFile f = ex::decode_safetensors(bad, "ckpt");
        size_t total = 0;
        for (const auto& [name, t] : f.tensors) total += static_cast<size_t>(t.numel()) * 4;
        CHECK(total <= bad.size());
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::checkpoint);
      }
    }
  }
}

TEST_CASE("safetensors refuses to write duplicate or reserved names", "[experiment]") {
  Tensor t = Tensor::zeros({1});
  CHECK_THROWS_AS(ex::encode_safetensors({{"a", t}, {"a", t}}, {}), Error);
  CHECK_THROWS_AS(ex::encode_safetensors({{"__metadata__", t}}, {}), Error);
  CHECK_THROWS_AS(ex::encode_safetensors({{"", t}}, {}), Error);
  TempDir dir;
  try {
    ex::load_safetensors(dir / "absent.safetensors");
    FAIL("loaded a missing file");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
  }
}
