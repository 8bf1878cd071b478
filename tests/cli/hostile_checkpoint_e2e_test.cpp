// End-to-end: checkpoints edited by hand or by an attacker. The trainer state in a
// checkpoint's metadata is checked field by field (and covered by the checksum), the
// optimizer file it names must be one of its own folder, and no checkpoint makes
// attn read a special file or parse without bound. Each case exits with the
// documented code and one line naming the checkpoint; none hangs (the timeout and
// memory limit in front of each command turn a hang or a runaway read into a failure).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "experiment/checkpoint.h"
#include "experiment/json_file.h"
#include "support/refusal_check.h"
#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::check_refused;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
namespace ex = attn::experiment;
namespace fs = std::filesystem;

namespace {

// A runaway read or endless loop ends in a failure here, not in a stuck suite.
const std::string kGuard = "ulimit -v 4000000; timeout 60";

// Rewrites <run>/checkpoints/last.safetensors with its metadata changed by `edit`.
template <typename Edit>
void edit_metadata(const std::string& run, Edit edit) {
  const fs::path file = ex::checkpoint_path(run, "last");
  ex::SafetensorsFile f = ex::load_safetensors(file);
  edit(f.metadata);
  ex::save_safetensors(file, f.tensors, f.metadata);
}

// What an editor of a version-1 file (whose checksum, if any, covered tensor data only)
// can do: drop the checksum and change the trainer state at will.
template <typename Edit>
void forge_trainer_state(const std::string& run, Edit edit) {
  edit_metadata(run, [&](ex::Metadata& meta) {
    meta["attn.checkpoint_version"] = "1";
    meta.erase("attn.data_checksum");
    ex::Json state = ex::Json::parse(meta["attn.trainer_state"]);
    edit(state);
    meta["attn.trainer_state"] = state.dump();
  });
}

attn::testing::RunResult resume(const std::string& run) {
  return run_attn({"train", "--resume", run, "--max-steps", "4", "--quiet"}, "", kGuard);
}

}  // namespace

TEST_CASE("hostile checkpoint: every trainer-state field is range-checked before a resume trusts it") {
  const std::string dir = temp_dir("hostile-state");
  struct Case {
    const char* name;
    std::function<void(ex::Json&)> edit;
    const char* needle;
  };
  const std::vector<Case> cases = {
      {"step 2^63-1", [](ex::Json& s) { s["step"] = uint64_t{9223372036854775807ull}; }, "trainer state step"},
      {"step 2^63", [](ex::Json& s) { s["step"] = uint64_t{9223372036854775808ull}; }, "trainer state step"},
      {"step 1e300", [](ex::Json& s) { s["step"] = 1e300; }, "trainer state step"},
      {"negative step", [](ex::Json& s) { s["step"] = -5; }, "trainer state step -5 is outside [0, 4]"},
      {"step a string", [](ex::Json& s) { s["step"] = "two"; }, "trainer state step \"two\" is not an integer"},
      {"step missing", [](ex::Json& s) { s.erase("step"); }, "trainer state step is missing"},
      {"evaluations out of order",
       [](ex::Json& s) { s["evaluations"].push_back(s["evaluations"][0]); }, "evaluations[1] step"},
      {"best at no evaluation", [](ex::Json& s) { s["best"]["step"] = 1; }, "best step 1 is not the step of an evaluation"},
      {"bad_evals beyond the evaluations", [](ex::Json& s) { s["bad_evals"] = 7; }, "bad_evals 7 is outside [0, 1]"},
      {"negative time", [](ex::Json& s) { s["train_time_s"] = -1.0; }, "train_time_s -1.0 is not a finite number >= 0"},
      {"batch past the epoch", [](ex::Json& s) { s["batch"] = 1000000; }, "trainer state batch 1000000 is outside"},
  };
  for (const Case& c : cases) {
    const std::string run = tiny_run(dir + "/" + std::to_string(&c - cases.data()));
    forge_trainer_state(run, c.edit);
    auto r = resume(run);
    INFO(c.name);
    check_refused(r, 6, c.needle);
    CHECK(r.err.find(run + "/checkpoints/last.safetensors") != std::string::npos);
  }
}

TEST_CASE("hostile checkpoint: the checksum of version 2 covers the metadata, so an edited state is corrupt") {
  const std::string run = tiny_run(temp_dir("hostile-checksum") + "/run");
  edit_metadata(run, [](ex::Metadata& meta) {
    ex::Json state = ex::Json::parse(meta["attn.trainer_state"]);
    state["train_time_s"] = 12345.0;  // a valid value: only the checksum can tell
    meta["attn.trainer_state"] = state.dump();
  });
  check_refused(resume(run), 6, "last.safetensors: corrupt tensor data or metadata (checksum ");
  check_refused(run_attn({"eval", run, "--checkpoint", "last"}, "", kGuard), 6, "corrupt tensor data or metadata (checksum ");
}

TEST_CASE("hostile checkpoint: the optimizer file must be a file of its own folder") {
  const std::string dir = temp_dir("hostile-optimizer");
  for (const std::string name : {"../../../../../../../../dev/zero", "/dev/zero", "../record.json",
                                 "last.optim-x/../../../../../../dev/zero"}) {
    const std::string run = tiny_run(dir + "/" + std::to_string(std::hash<std::string>{}(name)));
    forge_trainer_state(run, [](ex::Json&) {});
    edit_metadata(run, [&](ex::Metadata& meta) { meta["attn.optimizer_file"] = name; });
    INFO(name);
    check_refused(resume(run), 6, "last.safetensors: optimizer file");
  }
  // A directory under a well-formed name: refused naming the checkpoint that points at it.
  const std::string run = tiny_run(dir + "/directory");
  forge_trainer_state(run, [](ex::Json&) {});
  edit_metadata(run, [](ex::Metadata& meta) { meta["attn.optimizer_file"] = "last.optim-0.safetensors"; });
  fs::create_directories(run + "/checkpoints/last.optim-0.safetensors");
  check_refused(resume(run), 6, "last.safetensors: its optimizer file");
}

TEST_CASE("hostile files: special files given as checkpoint, record or input are refused, not read") {
  const std::string dir = temp_dir("hostile-special");
  const std::string run = tiny_run(dir + "/run");
  check_refused(run_attn({"eval", run, "--checkpoint", "/dev/zero"}, "", kGuard), 4, "/dev/zero': not a regular file");
  check_refused(run_attn({"attend", run, "--input-file", "/dev/zero", "--out", "-"}, "", kGuard), 4,
                "/dev/zero': not a regular file");
  // A FIFO nobody writes to would block a reader forever.
  const std::string fifo = dir + "/fifo";
  REQUIRE(std::system(("mkfifo '" + fifo + "'").c_str()) == 0);
  check_refused(run_attn({"attend", run, "--input-file", fifo, "--out", "-"}, "", kGuard), 4, "not a regular file");

  const std::string record = run + "/record.json";
  fs::remove(record);
  fs::create_symlink("/dev/zero", record);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"eval", run}, {"report", run}, {"train", "--resume", run}, {"visualize", run, "--out", dir + "/c.svg"}}) {
    INFO(args.front());
    check_refused(run_attn(args, "", kGuard), 4, "not a regular file");
  }
}

TEST_CASE("hostile checkpoint: deep nesting and duplicate tensor names in the header are refused") {
  const std::string dir = temp_dir("hostile-header");
  const std::string run = tiny_run(dir + "/run");
  auto file_with_header = [](std::string header) {
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string bytes;
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    return bytes + header;
  };
  // 1 MB of '[' closed again: valid JSON, nested 500,000 deep.
  const std::string deep = dir + "/deep.safetensors";
  std::ofstream(deep, std::ios::binary) << file_with_header("{\"a\":" + std::string(500000, '[') +
                                                            std::string(500000, ']') + "}");
  check_refused(run_attn({"eval", run, "--checkpoint", deep}, "", kGuard), 6, "nested deeper than 64 levels");

  // The first tensor's entry twice, identical: the JSON library would keep one silently.
  const fs::path best = ex::checkpoint_path(run, "best");
  std::ifstream in(best, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  uint64_t size = 0;
  for (int i = 7; i >= 0; --i) size = (size << 8) | static_cast<unsigned char>(bytes[i]);
  const ex::Json header = ex::Json::parse(bytes.substr(8, size));
  auto first = header.begin();
  if (first.key() == "__metadata__") ++first;
  const std::string entry = "\"" + first.key() + "\":" + first.value().dump() + ",";
  std::string text = header.dump();
  text.insert(1, entry);
  const std::string twice = dir + "/twice.safetensors";
  std::ofstream(twice, std::ios::binary) << file_with_header(text) << bytes.substr(8 + size);
  check_refused(run_attn({"eval", run, "--checkpoint", twice}, "", kGuard), 6,
                "duplicate key '" + first.key() + "'");
}
