#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "base/error.h"
#include "data/idx.h"

using namespace attn;
using namespace attn::data;

namespace {

void put_word(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// A valid IDX images file of `count` rows x cols images whose pixel i is i mod 251.
std::string images_file(uint32_t count, uint32_t rows, uint32_t cols) {
  std::string out;
  for (uint32_t w : {0x803u, count, rows, cols}) put_word(out, w);
  for (uint64_t i = 0; i < uint64_t{count} * rows * cols; ++i) out += static_cast<char>(i % 251);
  return out;
}

std::string labels_file(const std::vector<uint8_t>& labels) {
  std::string out;
  put_word(out, 0x801);
  put_word(out, static_cast<uint32_t>(labels.size()));
  for (uint8_t l : labels) out += static_cast<char>(l);
  return out;
}

// The message of the data error `f` throws; fails the test if it throws nothing or another kind.
template <typename F>
std::string data_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("IDX images and labels parse back what was written") {
  IdxImages images = parse_idx_images(images_file(3, 4, 5), "img.idx");
  CHECK(images.count == 3);
  CHECK(images.rows == 4);
  CHECK(images.cols == 5);
  REQUIRE(images.pixels.size() == 60);
  for (size_t i = 0; i < 60; ++i) CHECK(images.pixels[i] == i % 251);
  CHECK(parse_idx_labels(labels_file({0, 9, 3}), "lab.idx", 10) == std::vector<uint8_t>{0, 9, 3});
}

TEST_CASE("IDX errors are data errors naming the file") {
  const std::string good = images_file(2, 3, 3);
  CHECK_THAT(data_error([&] { parse_idx_images(good.substr(0, 10), "a/train-images"); }),
             Catch::Contains("a/train-images") && Catch::Contains("truncated"));
  CHECK_THAT(data_error([&] { parse_idx_images(good.substr(0, good.size() - 1), "f"); }), Catch::Contains("f: "));
  CHECK_THAT(data_error([&] { parse_idx_images(good + "x", "f"); }), Catch::Contains("header says"));
  CHECK_THAT(data_error([&] { parse_idx_images(labels_file({1}), "lab"); }), Catch::Contains("magic 0x801"));
  CHECK_THAT(data_error([&] { parse_idx_labels(good, "img", 10); }), Catch::Contains("magic 0x803"));
  CHECK_THAT(data_error([&] { parse_idx_labels(labels_file({1, 10}), "lab", 10); }),
             Catch::Contains("label 1 is 10"));
  CHECK_THAT(data_error([&] { parse_idx_images(images_file(0, 3, 3), "f"); }), Catch::Contains("dimension of 0"));
  // A header promising 2^32-1 cubed bytes: rejected without overflow or allocation.
  std::string huge;
  for (uint32_t w : {0x803u, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}) put_word(huge, w);
  CHECK_THAT(data_error([&] { parse_idx_images(huge + "abcd", "f"); }), Catch::Contains("promises more bytes"));
}

// Fuzz: every prefix of a valid file and a few thousand byte corruptions (fixed seed). Each
// must either parse into exactly the file's own sizes or throw a data error; the parsers
// get a copy of exactly the bytes, so AddressSanitizer builds would catch any over-read.
TEST_CASE("IDX parsers survive truncated and byte-corrupted files") {
  const std::string images = images_file(4, 3, 2), labels = labels_file({1, 2, 3, 4, 5});
  for (size_t n = 0; n < images.size(); ++n) {
    const std::string cut = images.substr(0, n);
    CHECK_FALSE(data_error([&] { parse_idx_images(cut, "cut"); }).empty());
  }
  for (size_t n = 0; n < labels.size(); ++n) {
    const std::string cut = labels.substr(0, n);
    CHECK_FALSE(data_error([&] { parse_idx_labels(cut, "cut", 10); }).empty());
  }
  std::mt19937_64 rng(20261205);
  int parsed = 0, rejected = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string bytes = trial % 2 ? images : labels;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      // Header bytes most of the time: that is where a corruption can mislead a reader.
      const size_t header = trial % 2 ? 16 : 8;
      const size_t at = rng() % 4 ? rng() % header : rng() % bytes.size();
      bytes[at] = static_cast<char>(rng() & 0xFF);
    }
    if (rng() % 4 == 0) bytes.resize(rng() % bytes.size());
    try {
      if (trial % 2) {
        IdxImages out = parse_idx_images(bytes, "fuzz");
        CHECK(out.pixels.size() == static_cast<size_t>(out.count * out.rows * out.cols));
        CHECK(out.pixels.size() + 16 == bytes.size());
      } else {
        std::vector<uint8_t> out = parse_idx_labels(bytes, "fuzz", 10);
        CHECK(out.size() + 8 == bytes.size());
        for (uint8_t l : out) CHECK(l < 10);
      }
      ++parsed;
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("fuzz: "));
      ++rejected;
    }
  }
  // Both outcomes occur, so the fuzz exercises the accepting path as well as the checks.
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}
