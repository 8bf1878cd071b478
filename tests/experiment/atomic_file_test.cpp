#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "base/error.h"
#include "experiment/atomic_file.h"
#include "experiment/json_file.h"
#include "experiment/temp_dir.h"

using attn::Error;
using attn::ErrorKind;
using attn::test::TempDir;
namespace ex = attn::experiment;

namespace {
void write_raw(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Runs `f`, expecting an attn::Error of `kind` whose message contains `part`.
template <typename F>
void require_error(F&& f, ErrorKind kind, const std::string& part) {
  try {
    f();
    FAIL("no error thrown");
  } catch (const Error& e) {
    INFO(e.what());
    CHECK(e.kind() == kind);
    CHECK(std::string(e.what()).find(part) != std::string::npos);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
}
}  // namespace

TEST_CASE("write_file_atomic writes, replaces and leaves no temporary file", "[experiment]") {
  TempDir dir;
  const auto target = dir / "record.json";
  ex::write_file_atomic(target, "first");
  CHECK(ex::read_file(target) == "first");
  const std::string big(300000, 'x');
  ex::write_file_atomic(target, big);
  CHECK(ex::read_file(target) == big);
  ex::write_file_atomic(target, "");
  CHECK(ex::read_file(target).empty());
  CHECK(dir.entries() == std::vector<std::string>{"record.json"});
}

TEST_CASE("write_file_atomic failing at rename removes its temporary file", "[experiment]") {
  TempDir dir;
  std::filesystem::create_directory(dir / "taken");  // rename onto a directory fails
  require_error([&] { ex::write_file_atomic(dir / "taken", "data"); }, ErrorKind::io, "taken");
  CHECK(dir.entries() == std::vector<std::string>{"taken"});
  CHECK(std::filesystem::is_directory(dir / "taken"));
  require_error([&] { ex::write_file_atomic(dir / "missing" / "x.json", "data"); }, ErrorKind::io, "x.json");
}

TEST_CASE("write_file_atomic failing mid-write keeps the old target intact", "[experiment]") {
  TempDir dir;
  const auto target = dir / "last.safetensors";
  ex::write_file_atomic(target, "old contents");
  // A file-size limit makes write() fail with EFBIG part-way, like a full disk.
  struct rlimit saved {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
  struct rlimit small = saved;
  small.rlim_cur = 4096;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  bool threw = false;
  try {
    ex::write_file_atomic(target, std::string(1 << 20, 'n'));
  } catch (const Error& e) {
    threw = e.kind() == ErrorKind::io && std::string(e.what()).find("last.safetensors") != std::string::npos;
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  CHECK(threw);
  CHECK(ex::read_file(target) == "old contents");
  CHECK(dir.entries() == std::vector<std::string>{"last.safetensors"});
}

TEST_CASE("read_file errors name the path", "[experiment]") {
  TempDir dir;
  require_error([&] { ex::read_file(dir / "nope.json"); }, ErrorKind::io, "nope.json");
  require_error([&] { ex::read_file(dir.path()); }, ErrorKind::io, "is a directory");
}

TEST_CASE("append_line appends whole lines and cuts a torn last line first", "[experiment]") {
  TempDir dir;
  const auto log = dir / "metrics.jsonl";
  ex::append_line(log, R"({"step":1})");
  ex::append_line(log, R"({"step":2})");
  CHECK(ex::read_file(log) == "{\"step\":1}\n{\"step\":2}\n");

  write_raw(log, "{\"step\":1}\n{\"step\":2,\"lo");  // a crash mid-line
  CHECK(ex::read_json_lines(log).size() == 1);    // readers ignore the torn line
  ex::append_json_line(log, ex::Json{{"step", 3}});
  CHECK(ex::read_file(log) == "{\"step\":1}\n{\"step\":3}\n");

  write_raw(log, "{\"step\":");  // torn with no complete line at all
  ex::append_line(log, "{}");
  CHECK(ex::read_file(log) == "{}\n");
  require_error([&] { ex::append_line(log, "a\nb"); }, ErrorKind::internal, "newline");
}

TEST_CASE("read_json_lines reports a malformed complete line with its number", "[experiment]") {
  TempDir dir;
  const auto log = dir / "metrics.jsonl";
  write_raw(log, "{\"step\":1}\n{oops}\n{\"step\":3}\n");
  require_error([&] { ex::read_json_lines(log); }, ErrorKind::data, "metrics.jsonl:2");
  write_raw(log, "{\"step\":1}\n{\"step\":2}\n");
  auto lines = ex::read_json_lines(log);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["step"] == 2);
}
