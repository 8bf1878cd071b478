#include <catch2/catch.hpp>
#include <algorithm>

#include "support/run_attn.h"

using attn::testing::run_attn;

namespace {
int line_count(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("attn --help lists the subcommands with descriptions") {
  auto r = run_attn({"--help"});
  CHECK(r.exit_code == 0);
  for (const char* sub : {"train", "eval", "attend", "visualize"}) CHECK(r.out.find(sub) != std::string::npos);
}

TEST_CASE("attn --version names version, commit, build type, SIMD level and oneDNN") {
  auto r = run_attn({"--version"});
  CHECK(r.exit_code == 0);
  for (const char* field : {"attn ", "commit ", "build ", "simd ", "onednn 2."})
    CHECK(r.out.find(field) != std::string::npos);
}

TEST_CASE("unknown subcommands and flags give one line on stderr and exit 2") {
  auto sub = run_attn({"frobnicate"});
  CHECK(sub.exit_code == 2);
  CHECK(line_count(sub.err) == 1);
  CHECK(sub.err.find("frobnicate") != std::string::npos);
  auto flag = run_attn({"--no-such-flag"});
  CHECK(flag.exit_code == 2);
  CHECK(line_count(flag.err) == 1);
  CHECK(flag.err.find("--no-such-flag") != std::string::npos);
  auto none = run_attn({});
  CHECK(none.exit_code == 2);
  CHECK(line_count(none.err) == 1);
}
