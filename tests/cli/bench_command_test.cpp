#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/run_attn.h"

using attn::testing::run_attn;

TEST_CASE("attn bench attention --json prints one row per case") {
  auto r = run_attn({"bench", "attention", "--T", "16,33", "--repeats", "1", "--min-seconds", "0", "--sgemm-n", "64",
                     "--threads", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.is_array());
  REQUIRE(rows.size() == 2 * 2 * 2 * 2);  // T × mask × impl × pass
  std::set<std::string> cases;
  for (const auto& row : rows) {
    for (const char* key : {"impl", "mask", "T", "pass", "ms_median", "gflops", "sgemm_share", "peak_extra_mib"})
      REQUIRE(row.contains(key));
    CHECK(row["ms_median"].get<double>() > 0.0);
    CHECK(row["gflops"].get<double>() > 0.0);
    CHECK(row["threads"].get<int>() == 1);
    cases.insert(row["impl"].get<std::string>() + row["mask"].get<std::string>() +
                 std::to_string(row["T"].get<int>()) + row["pass"].get<std::string>());
  }
  CHECK(cases.size() == rows.size());
}

TEST_CASE("attn bench attention --mask grid times the image patch window at a chosen shape") {
  // T 17: a 4 x 4 grid after <cls>; radius 1 leaves 17 + 16 + 4·4 + 8·6 + 4·9 = 133 of 289 pairs.
  auto r = run_attn({"bench", "attention", "--T", "17", "--mask", "grid", "--grid-window", "1", "--batch", "2",
                     "--heads", "3", "--head-width", "16", "--repeats", "1", "--sgemm-n", "64", "--threads", "1",
                     "--json"});
  REQUIRE(r.exit_code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 2 * 2);  // impl × pass
  for (const auto& row : rows) {
    CHECK(row["mask"] == "grid");
    CHECK(row["T"] == 17);
    CHECK(row["gflops"].get<double>() > 0.0);
  }
}

TEST_CASE("attn bench attention rejects bad values with the usage exit code") {
  CHECK(run_attn({"bench", "attention", "--T", "0"}).exit_code == 2);
  CHECK(run_attn({"bench", "attention", "--T", "16", "--mask", "diagonal", "--sgemm-n", "64"}).exit_code == 2);
  auto not_square = run_attn({"bench", "attention", "--T", "16", "--mask", "grid", "--sgemm-n", "64"});
  CHECK(not_square.exit_code == 2);
  CHECK(not_square.err.find("T = n^2 + 1") != std::string::npos);
  CHECK(run_attn({"bench", "attention", "--T", "16", "--pass", "sideways", "--sgemm-n", "64"}).exit_code == 2);
  CHECK(run_attn({"bench"}).exit_code == 2);
}

TEST_CASE("attn bench train --json times whole training steps") {
  auto r = run_attn({"bench", "train", "--configs", "lstm_attn", "--steps", "1", "--warmup", "0", "--threads", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["config"] == "lstm_attn");
  CHECK(rows[0]["unit"] == "target tokens/s");
  CHECK(rows[0]["throughput_median"].get<double>() > 0.0);
  CHECK(rows[0]["parameters"].get<int64_t>() > 1000000);
  CHECK(run_attn({"bench", "train", "--configs", "gpt5"}).exit_code == 2);
}

TEST_CASE("attn bench train classifier trains the classify task's encoder model on the spam sample") {
  auto r = run_attn({"bench", "train", "--configs", "classifier", "--steps", "1", "--warmup", "0", "--threads", "1",
                     "--json"});
  REQUIRE(r.exit_code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["unit"] == "examples/s");
  CHECK(rows[0]["throughput_median"].get<double>() > 0.0);
  CHECK(rows[0]["parameters"].get<int64_t>() > 1000000);
}

TEST_CASE("attn bench train vit trains the reference image model on the Fashion-MNIST sample") {
  auto r = run_attn({"bench", "train", "--configs", "vit", "--steps", "1", "--warmup", "0", "--threads", "1", "--json"});
  REQUIRE(r.exit_code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["unit"] == "examples/s");
  CHECK(rows[0]["throughput_median"].get<double>() > 0.0);
  // patch 16 -> 64: 1,088; <cls> and 50 positions: 3,264; 6 layers of 49,984; head: 650.
  CHECK(rows[0]["parameters"].get<int64_t>() == 1088 + 64 + 50 * 64 + 6 * 49984 + 128 + 650);
}
