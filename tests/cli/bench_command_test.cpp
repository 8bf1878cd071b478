#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace {
struct Result {
  int code;
  std::string out;
};

// Runs the real attn binary the way a script would; stderr is discarded.
Result run_attn(const std::string& args) {
  std::string cmd = std::string(ATTN_BINARY) + " " + args + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}
}  // namespace

TEST_CASE("attn bench attention --json prints one row per case") {
  Result r = run_attn("bench attention --T 16,33 --repeats 1 --min-seconds 0 --sgemm-n 64 --threads 1 --json");
  REQUIRE(r.code == 0);
  nlohmann::json rows = nlohmann::json::parse(r.out);
  REQUIRE(rows.is_array());
  REQUIRE(rows.size() == 2 * 2 * 2 * 2);  // T × mask × impl × pass
  std::set<std::string> cases;
  for (const auto& row : rows) {
    for (const char* key : {"impl", "causal", "T", "pass", "ms_median", "gflops", "sgemm_share", "peak_extra_mib"})
      REQUIRE(row.contains(key));
    CHECK(row["ms_median"].get<double>() > 0.0);
    CHECK(row["gflops"].get<double>() > 0.0);
    CHECK(row["threads"].get<int>() == 1);
    cases.insert(row["impl"].get<std::string>() + (row["causal"].get<bool>() ? "c" : "n") +
                 std::to_string(row["T"].get<int>()) + row["pass"].get<std::string>());
  }
  CHECK(cases.size() == rows.size());
}

TEST_CASE("attn bench attention rejects bad values with the usage exit code") {
  CHECK(run_attn("bench attention --T 0").code == 2);
  CHECK(run_attn("bench attention --T 16 --mask diagonal --sgemm-n 64").code == 2);
  CHECK(run_attn("bench attention --T 16 --pass sideways --sgemm-n 64").code == 2);
  CHECK(run_attn("bench").code == 2);
}
