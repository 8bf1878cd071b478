// End-to-end: the classification family through the real binary, on tiny data:
// train, eval --json, attend, visualize, resume after SIGKILL, a sweep, and bad input.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/sha256.h"
#include "support/resume_after_kill.h"
#include "support/run_attn.h"

using attn::testing::kill_at_checkpoint_then_resume;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// A small Transformer classifier on the bundled spam sample: seconds, not minutes.
std::vector<std::string> spam_args(const std::string& out, int steps) {
  return {"train", "--task", "classify", "--out", out, "--max-steps", std::to_string(steps), "--eval-every", "20",
          "--train-limit", "320", "--max-src-len", "24", "--width", "32", "--heads", "2", "--ff-width", "64",
          "--enc-layers", "2", "--batch-size", "32", "--warmup-steps", "5", "--threads", "1", "--quiet", "--json"};
}

// The synthetic evidence task with an RNN and additive attention pooling.
std::vector<std::string> find_args(const std::string& out, int steps) {
  return {"train", "--task", "find", "--arch", "rnn", "--attention", "additive", "--out", out,
          "--max-steps", std::to_string(steps), "--eval-every", "50", "--rnn-hidden", "32", "--embed-width", "16",
          "--synth-train-size", "2000", "--synth-eval-size", "200", "--batch-size", "32", "--lr", "0.005",
          "--warmup-steps", "20", "--dropout", "0", "--label-smoothing", "0", "--threads", "1", "--quiet", "--json"};
}

json strip_timing(json record) {
  for (const char* key : {"id", "wall_time_s", "throughput", "peak_memory_mib", "command_line"}) record.erase(key);
  return record;
}

bool one_line(const std::string& err) { return std::count(err.begin(), err.end(), '\n') == 1; }
}  // namespace

TEST_CASE("classify: train, eval --json, attend and visualize on the bundled spam sample") {
  const std::string dir = temp_dir("classify-spam"), run = dir + "/run";
  auto train = run_attn(spam_args(run, 40));
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  const json record = json::parse(train.out);
  CHECK(record.at("task") == "classify");
  CHECK(record.at("dataset").at("name") == "spam-sample");
  CHECK(record.at("best").at("metric") == "macro_f1");
  CHECK(record.at("throughput").at("unit") == "examples/s");
  CHECK(record.at("lower_is_better").at("loss") == true);
  CHECK(record.at("lower_is_better").at("macro_f1") == false);
  const json state = json::parse(read_text(run + "/task_state.json"));
  CHECK(state.at("labels") == json({"ham", "spam"}));

  auto eval = run_attn({"eval", run, "--json"});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  const json metrics = json::parse(eval.out);
  for (const char* m : {"accuracy", "macro_f1", "precision_spam", "recall_spam", "f1_spam", "f1_ham"}) {
    INFO(m);
    CHECK(metrics.at(m).get<double>() >= 0.0);
    CHECK(metrics.at(m).get<double>() <= 1.0);
  }
  const json confusion = metrics.at("confusion_matrix");
  CHECK(confusion.at("labels") == json({"ham", "spam"}));
  int64_t total = 0, correct = 0;
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) total += confusion.at("counts")[r][c].get<int64_t>(), correct += r == c ? confusion.at("counts")[r][c].get<int64_t>() : 0;
  CHECK(total == 200);  // the sample's test split
  CHECK(metrics.at("accuracy").get<double>() == Approx(static_cast<double>(correct) / total));
  const std::string tsv = read_text(run + "/eval/test-best.tsv");
  CHECK(tsv.rfind("text\treference\tprediction\tprobability\n", 0) == 0);
  CHECK(std::count(tsv.begin(), tsv.end(), '\n') == 201);
  // Nothing is decoded: decoding flags are refused, and the record holds no beam.
  auto beam = run_attn({"eval", run, "--beam", "4"});
  CHECK(beam.exit_code == 2);
  CHECK(one_line(beam.err));
  CHECK(beam.err.find("decodes nothing") != std::string::npos);
  CHECK_FALSE(json::parse(read_text(run + "/record.json")).at("eval").at("test-best").contains("beam"));
  // The gate reads the task's directions: macro_f1 above 1 is impossible, so it fails.
  CHECK(run_attn({"eval", run, "--fail-under", "macro_f1=1.01"}).exit_code == 9);
  CHECK(run_attn({"eval", run, "--fail-under", "macro_f1=0"}).exit_code == 0);

  auto attend = run_attn({"attend", run, "--split", "test", "--index", "0,3", "--out", dir + "/a.json"});
  INFO(attend.err);
  REQUIRE(attend.exit_code == 0);
  const json doc = json::parse(read_text(dir + "/a.json"));
  CHECK(doc.at("schema") == "attn.attention/2");
  CHECK(doc.at("model").at("pool") == "attention");
  CHECK_FALSE(doc.at("model").contains("dec_layers"));
  REQUIRE(doc.at("items").size() == 2);
  for (const json& item : doc.at("items")) {
    const json& prediction = item.at("prediction");
    CHECK((prediction.at("label") == "spam" || prediction.at("label") == "ham"));
    CHECK(prediction.at("probability").get<double>() >= 0.5);
    CHECK(prediction.at("reference").is_string());
    const size_t tokens = item.at("source_tokens").size();
    CHECK(tokens <= 24);
    int self = 0, pooling = 0;
    for (const json& layer : item.at("layers")) {
      const json& heads = layer.at("heads");
      if (layer.at("kind") == "pooling") {
        ++pooling;
        CHECK(layer.at("query_tokens") == json({"<pool>"}));
        REQUIRE(heads.size() == 1);
        double sum = 0;
        for (const json& w : heads[0][0]) sum += w.get<double>();
        CHECK(sum == Approx(1.0).margin(1e-4));
        CHECK(heads[0][0].size() == tokens);
      } else {
        ++self;
        CHECK(layer.at("kind") == "encoder_self");
        CHECK(heads.size() == 2);
        CHECK(heads[0].size() == tokens);
      }
    }
    CHECK(self == 2);
    CHECK(pooling == 1);
  }
  auto typed = run_attn({"attend", run, "--input", "free money , click now !", "--out", "-"});
  INFO(typed.err);
  REQUIRE(typed.exit_code == 0);
  CHECK(json::parse(typed.out).at("items")[0].at("prediction").at("reference").is_null());

  for (const char* format : {"html", "svg"}) {
    auto viz = run_attn({"visualize", dir + "/a.json", "--format", format, "--out", dir + "/viz-" + format});
    INFO(viz.err);
    CHECK(viz.exit_code == 0);
  }
}

TEST_CASE("classify: find with attention pooling learns and puts its attention on the evidence") {
  const std::string run = temp_dir("classify-find") + "/run";
  auto r = run_attn(find_args(run, 300));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json last = json::parse(r.out).at("evaluations").back().at("metrics");
  INFO(last.dump());
  CHECK(last.at("accuracy").get<double>() >= 0.97);
  CHECK(last.at("evidence_mass").get<double>() >= 0.8);
}

TEST_CASE("classify: a run killed with SIGKILL and resumed ends with the uninterrupted record") {
  const std::string dir = temp_dir("classify-resume");
  auto whole = run_attn(find_args(dir + "/whole", 150));
  REQUIRE(whole.exit_code == 0);
  auto resumed = kill_at_checkpoint_then_resume(find_args(dir + "/killed", 150), dir + "/killed");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(strip_timing(json::parse(whole.out)).dump() == strip_timing(json::parse(resumed.out)).dump());
}

TEST_CASE("classify: a sweep of two trials and its report") {
  const std::string dir = temp_dir("classify-sweep") + "/sweep";
  std::vector<std::string> args = find_args("unused", 60);
  args[0] = "sweep";
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i] == "--out") args.erase(args.begin() + i, args.begin() + i + 2);
  args.erase(std::remove(args.begin(), args.end(), "--json"), args.end());
  args.insert(args.end(), {"--grid", "pool=attention,mean", "-j", "2", "--out", dir});
  auto sweep = run_attn(args);
  INFO(sweep.err);
  REQUIRE(sweep.exit_code == 0);
  const json index = json::parse(read_text(dir + "/sweep.json"));
  REQUIRE(index.at("trials").size() == 2);
  for (const json& t : index.at("trials")) CHECK(t.at("status") == "completed");
  auto report = run_attn({"report", dir, "--format", "json", "--sort", "accuracy"});
  INFO(report.err);
  REQUIRE(report.exit_code == 0);
  CHECK(json::parse(report.out).size() == 2);
}

TEST_CASE("classify: bad input gets one clear line and the documented exit code") {
  const std::string dir = temp_dir("classify-errors");
  // The full corpus, not prepared under this data root.
  auto unprepared = run_attn({"train", "--task", "classify", "--dataset", "spam", "--data-dir", dir + "/none",
                              "--out", dir + "/a"});
  CHECK(unprepared.exit_code == 5);
  CHECK(one_line(unprepared.err));
  CHECK(unprepared.err.find("dataset spam is not prepared") != std::string::npos);
  CHECK(unprepared.err.find("prepare_spam.sh") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/a"));

  // A dataset of the other family, and keys that mean nothing to a classifier.
  auto wrong = run_attn({"train", "--task", "classify", "--dataset", "g2p-sample", "--out", dir + "/b"});
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.err.find("is a translate dataset") != std::string::npos);
  auto decoder = run_attn({"train", "--task", "classify", "--dec-layers", "3", "--out", dir + "/c"});
  CHECK(decoder.exit_code == 3);
  CHECK(one_line(decoder.err));
  CHECK(decoder.err.find("dec_layers=3 has no effect with task=classify") != std::string::npos);
  auto pool = run_attn({"train", "--task", "copy", "--pool", "mean", "--out", dir + "/d"});
  CHECK(pool.exit_code == 3);
  CHECK(pool.err.find("pool=mean has no effect with task=copy") != std::string::npos);

  // A prepared dataset whose valid split is empty.
  const fs::path root = fs::path(dir) / "data", spam = root / "spam";
  fs::create_directories(spam);
  std::ofstream(spam / "train.tsv") << "cheap pills\tspam\nlunch today ?\tham\n";
  std::ofstream(spam / "valid.tsv") << "";
  std::ofstream(spam / "test.tsv") << "cheap lunch\tham\n";
  const std::string manifest = R"({"name": "spam", "files": {
    "train": {"path": "train.tsv", "lines": 2, "sha256": "SHA_TRAIN"},
    "valid": {"path": "valid.tsv", "lines": 0, "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    "test": {"path": "test.tsv", "lines": 1, "sha256": "SHA_TEST"}}})";
  auto sha = [](const fs::path& p) { return attn::data::sha256_hex(read_text(p.string())); };
  std::string m = manifest;
  m.replace(m.find("SHA_TRAIN"), 9, sha(spam / "train.tsv"));
  m.replace(m.find("SHA_TEST"), 8, sha(spam / "test.tsv"));
  std::ofstream(spam / "manifest.json") << m;
  auto empty = run_attn({"train", "--task", "classify", "--dataset", "spam", "--data-dir", root.string(),
                         "--out", dir + "/e"});
  INFO(empty.err);
  CHECK(empty.exit_code == 5);
  CHECK(one_line(empty.err));
  CHECK(empty.err.find("has an empty valid split") != std::string::npos);

  // Input that is not text: bytes that are not UTF-8.
  const std::string run = dir + "/tiny";
  REQUIRE(run_attn(spam_args(run, 2)).exit_code == 0);
  auto binary = run_attn({"attend", run, "--input", std::string("caf\xE9 \xFF\xFE"), "--out", "-"});
  CHECK(binary.exit_code == 5);
  CHECK(one_line(binary.err));
  CHECK(binary.err.find("UTF-8") != std::string::npos);
}
