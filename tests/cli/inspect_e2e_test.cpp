// End-to-end: attn eval, attend and visualize on a tiny trained run.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
// One small G2P run on the embedded sample, trained once for all inspection tests.
const std::string& g2p_run() {
  static const std::string run = [] {
    const std::string dir = temp_dir("inspect") + "/g2p";
    auto r = run_attn({"train", "--out", dir, "--max-steps", "60", "--eval-every", "60", "--width", "32",
                       "--heads", "2", "--ff-width", "64", "--enc-layers", "1", "--dec-layers", "1", "--quiet",
                       "--threads", "1"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return dir;
  }();
  return run;
}
}  // namespace

TEST_CASE("eval: metrics as JSON, predictions TSV, record entry, --fail-under gate") {
  const std::string& run = g2p_run();
  auto r = run_attn({"eval", run, "--split", "test", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json metrics = json::parse(r.out);  // nothing but the metrics object on stdout
  CHECK(metrics.contains("per"));
  CHECK(metrics.contains("wer"));
  CHECK(fs::exists(run + "/eval/test-best.tsv"));
  CHECK(json::parse(read_text(run + "/record.json")).at("eval").contains("test-best"));
  CHECK(run_attn({"eval", run, "--fail-under", "per=0"}).exit_code == 9);
  CHECK(run_attn({"eval", run, "--fail-under", "per=1e9"}).exit_code == 0);
  CHECK(run_attn({"eval", run + "/missing"}).exit_code == 4);
}

TEST_CASE("attend: every layer and head as JSON, filters, errors") {
  const std::string& run = g2p_run();
  auto r = run_attn({"attend", run, "--input", "hello", "--out", "-"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json doc = json::parse(r.out);
  CHECK(doc.at("schema") == "attn.attention/2");
  const json& item = doc.at("items").at(0);
  CHECK(item.at("source_tokens").size() == 5);
  CHECK(item.at("layers").size() == 3);  // encoder self, decoder self, decoder cross
  for (const json& layer : item.at("layers")) {
    CHECK(layer.at("heads").size() == 2);
    for (const json& row : layer.at("heads").at(0)) {
      double sum = 0;
      for (const json& w : row) sum += w.get<double>();
      CHECK(sum == Approx(1.0).margin(1e-4));
    }
  }
  auto narrowed = run_attn({"attend", run, "--split", "test", "--index", "0,2", "--layer", "cross_attn", "--reduce",
                            "mean", "--out", "-"});
  REQUIRE(narrowed.exit_code == 0);
  json n = json::parse(narrowed.out);
  CHECK(n.at("items").size() == 2);
  CHECK(n.at("items").at(0).at("layers").size() == 1);
  CHECK(n.at("items").at(0).at("layers").at(0).at("heads").size() == 1);
  CHECK(run_attn({"attend", run, "--input-file", "-", "--out", "-"}, "\n\n").exit_code == 5);
  CHECK(run_attn({"attend", run, "--input", "x", "--checkpoint", "/nonexistent.safetensors"}).exit_code == 4);
}

TEST_CASE("visualize: attention HTML and SVG, learning curves from a run") {
  const std::string& run = g2p_run();
  const std::string dir = temp_dir("visualize");
  REQUIRE(run_attn({"attend", run, "--input", "<script>alert(1)</script>", "--out", dir + "/a.json"}).exit_code == 0);
  auto html = run_attn({"visualize", dir + "/a.json"});
  INFO(html.err);
  REQUIRE(html.exit_code == 0);
  const std::string page = read_text(dir + "/a.html");
  CHECK(page.find("<script>alert(1)</script>") == std::string::npos);
  REQUIRE(run_attn({"visualize", dir + "/a.json", "--format", "svg", "--out", dir + "/svg"}).exit_code == 0);
  int svgs = 0;
  for (const auto& e : fs::directory_iterator(dir + "/svg")) svgs += e.path().extension() == ".svg";
  CHECK(svgs == 6);  // 3 layers x 2 heads
  auto curves = run_attn({"visualize", run, "--out", dir + "/curves.svg"});
  REQUIRE(curves.exit_code == 0);
  CHECK(read_text(dir + "/curves.svg").find("<svg") != std::string::npos);
  CHECK(run_attn({"visualize", dir + "/nothing-here"}).exit_code == 4);
}

TEST_CASE("attend: every layer has one row per query token and one column per key, whatever the model emits") {
  // Barely trained, the model emits any id, <pad> and <bos> included; each still
  // needs its own row label, or visualize rejects the file.
  const std::string dir = temp_dir("attend-untrained");
  const std::string run = dir + "/copy";
  auto trained = run_attn({"train", "--task", "copy", "--out", run, "--max-steps", "1", "--eval-every", "1",
                           "--width", "16", "--heads", "2", "--ff-width", "32", "--enc-layers", "1", "--dec-layers",
                           "1", "--max-len", "6", "--eval-long-len", "8", "--synth-eval-size", "32", "--quiet",
                           "--threads", "1"});
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  auto r = run_attn({"attend", run, "--split", "valid", "--index", "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", "--out",
                     dir + "/a.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json attention = json::parse(read_text(dir + "/a.json"));
  for (const json& item : attention.at("items"))
    for (const json& layer : item.at("layers")) {
      INFO(layer.at("name"));
      const size_t rows = layer.at("query_tokens").size(), cols = layer.at("key_tokens").size();
      for (const json& head : layer.at("heads")) {  // [Tq][Tk]
        REQUIRE(head.size() == rows);
        for (const json& row : head) REQUIRE(row.size() == cols);
      }
    }
  auto shown = run_attn({"visualize", dir + "/a.json", "--out", dir + "/a.html"});
  INFO(shown.err);
  CHECK(shown.exit_code == 0);
}
