// End-to-end: attn eval --mask-heads and attn analyze on tiny trained runs (reverse with a
// Transformer, reverse with an RNN, find with a Transformer encoder and attention pooling).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/run_attn.h"

using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
std::string train(const std::string& name, std::vector<std::string> extra) {
  const std::string dir = temp_dir("analyze-" + name) + "/run";
  std::vector<std::string> args{"train", "--out", dir, "--max-len", "5",
                                "--synth-train-size", "2000", "--synth-eval-size", "30", "--batch-size", "32",
                                "--threads", "1", "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_attn(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return dir;
}

// 1 + 1 layers, 2 heads: three gated layers, six heads.
const std::string& reverse_run() {
  static const std::string run =
      train("reverse", {"--task", "reverse", "--eval-long-len", "7", "--max-steps", "150", "--eval-every", "150", "--width", "32", "--heads",
                        "2", "--ff-width", "64", "--enc-layers", "1", "--dec-layers", "1", "--lr", "0.003"});
  return run;
}

bool one_line(const std::string& err) { return std::count(err.begin(), err.end(), '\n') == 1; }

const json& layer_named(const json& layers, const std::string& name) {
  for (const json& l : layers)
    if (l.at("name") == name) return l;
  FAIL("no layer " << name);
  return layers;
}
}  // namespace

TEST_CASE("eval --mask-heads: a masked evaluation gets its own record entry; bad heads are one-line usage errors") {
  const std::string& run = reverse_run();
  auto plain = run_attn({"eval", run, "--split", "valid", "--json"});
  REQUIRE(plain.exit_code == 0);
  auto masked = run_attn({"eval", run, "--split", "valid", "--json", "--mask-heads",
                          "decoder.layers.0.cross_attn:0,decoder.layers.0.cross_attn:1"});
  INFO(masked.err);
  REQUIRE(masked.exit_code == 0);
  const json record = json::parse(read_text(run + "/record.json")).at("eval");
  CHECK(record.contains("valid-best"));
  bool found = false;
  for (const auto& [key, entry] : record.items())
    if (key.rfind("valid-best-mask2-", 0) == 0) {
      found = true;
      CHECK(entry.at("mask_heads") == "decoder.layers.0.cross_attn:0,decoder.layers.0.cross_attn:1");
      CHECK(entry.at("metrics") == json::parse(masked.out));
    }
  CHECK(found);
  // With every cross-attention head masked the decoder cannot see the source: reverse fails.
  CHECK(json::parse(masked.out).at("exact_match").get<double>() <= 0.1);

  auto unknown = run_attn({"eval", run, "--mask-heads", "decoder.layers.3.cross_attn:0"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no attention layer 'decoder.layers.3.cross_attn'") != std::string::npos);
  CHECK(unknown.err.find("encoder.layers.0.self_attn") != std::string::npos);  // names the layers there are
  CHECK(one_line(unknown.err));
  auto head = run_attn({"eval", run, "--mask-heads", "encoder.layers.0.self_attn:2"});
  CHECK(head.exit_code == 2);
  CHECK(head.err.find("has heads 0..1, not 2") != std::string::npos);
  CHECK(one_line(head.err));
  auto malformed = run_attn({"eval", run, "--mask-heads", "encoder.layers.0.self_attn"});
  CHECK(malformed.exit_code == 2);
  CHECK(one_line(malformed.err));
}

TEST_CASE("analyze: statistics, importance, masked metrics, pruning curve and alignment of a reverse Transformer") {
  const std::string& run = reverse_run();
  auto r = run_attn({"analyze", run, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json a = json::parse(r.out);
  CHECK(a == json::parse(read_text(run + "/analysis.json")));
  CHECK(a.at("schema") == "attn.analysis/1");
  CHECK(a.at("examples") == 30);
  CHECK(a.at("metric").at("name") == "exact_match");
  const json& layers = a.at("layers");
  REQUIRE(layers.size() == 3);
  for (const json& layer : layers) {
    CHECK(layer.at("gated") == true);
    REQUIRE(layer.at("heads").size() == 2);
    double norm = 0;
    for (const json& h : layer.at("heads")) {
      CHECK(h.at("entropy").get<double>() >= 0.0);
      CHECK(h.at("entropy").get<double>() <= std::log(6.0) + 1e-6);  // at most 6 keys (<bos> + 5)
      for (const char* share : {"diagonal", "first", "last"}) {
        CHECK(h.at(share).get<double>() >= 0.0);
        CHECK(h.at(share).get<double>() <= 1.0 + 1e-6);
      }
      CHECK(h.at("importance_raw").get<double>() > 0.0);
      norm += std::pow(h.at("importance").get<double>(), 2);
      CHECK(h.contains("metric_masked"));
    }
    CHECK(norm == Approx(1.0));  // normalised per layer
  }
  // The masked metric of one head agrees with attn eval --mask-heads on the same split.
  const json& cross = layer_named(layers, "decoder.layers.0.cross_attn");
  auto eval = run_attn({"eval", run, "--split", "valid", "--json", "--mask-heads", "decoder.layers.0.cross_attn:1"});
  REQUIRE(eval.exit_code == 0);
  CHECK(cross.at("heads").at(1).at("metric_masked").get<double>() ==
        Approx(json::parse(eval.out).at("exact_match").get<double>()));
  // Pruning: every k from 0 to all six heads; k = 0 is the model as it is.
  const json& curve = a.at("pruning").at("curve");
  REQUIRE(curve.size() == 7);
  CHECK(a.at("pruning").at("order").size() == 6);
  CHECK(curve.at(0).at("metric") == a.at("metric").at("value"));
  CHECK(curve.at(6).at("k") == 6);
  // Alignment: reverse scores the cross-attention, per head and for the heads' mean.
  REQUIRE(a.at("alignment").size() == 1);
  const json& al = a.at("alignment").at(0);
  CHECK(al.at("name") == "decoder.layers.0.cross_attn");
  CHECK(al.at("heads").size() == 2);
  for (const json& h : al.at("heads")) {
    CHECK(h.at("aer").get<double>() >= 0.0);
    CHECK(h.at("aer").get<double>() <= 1.0);
    CHECK(h.at("rows").get<int>() > 30);  // every target character of every example
  }

  auto steps = run_attn({"analyze", run, "--json", "--prune-steps", "2", "--limit", "10", "--out", fs::path(run).parent_path().string() + "/a.json"});
  REQUIRE(steps.exit_code == 0);
  const json b = json::parse(steps.out);
  CHECK(b.at("examples") == 10);
  REQUIRE(b.at("pruning").at("curve").size() == 3);
  CHECK(b.at("pruning").at("curve").at(1).at("k") == 3);
  auto summary = run_attn({"analyze", run, "--no-pruning", "--limit", "5"});
  INFO(summary.err);
  REQUIRE(summary.exit_code == 0);
  CHECK(summary.out.find("decoder.layers.0.cross_attn") != std::string::npos);
  CHECK(summary.out.find("alignment decoder.layers.0.cross_attn") != std::string::npos);
  CHECK(run_attn({"analyze", run, "--mask-heads", "encoder.layers.0.self_attn:7"}).exit_code == 2);
}

TEST_CASE("analyze: an RNN's attention gets statistics and alignment, no importance; eval --mask-heads refuses it") {
  const std::string run = train("rnn", {"--task", "copy", "--eval-long-len", "7", "--arch", "rnn", "--attention", "additive", "--max-steps",
                                        "40", "--eval-every", "40", "--rnn-hidden", "16", "--embed-width", "8"});
  auto r = run_attn({"analyze", run, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json a = json::parse(r.out);
  REQUIRE(a.at("layers").size() == 1);
  CHECK(a.at("layers").at(0).at("name") == "decoder.attention");
  CHECK(a.at("layers").at(0).at("gated") == false);
  CHECK_FALSE(a.at("layers").at(0).at("heads").at(0).contains("importance"));
  CHECK(a.at("pruning").at("curve").empty());
  CHECK(a.at("alignment").at(0).at("kind") == "rnn");
  auto masked = run_attn({"eval", run, "--mask-heads", "decoder.attention:0"});
  CHECK(masked.exit_code == 2);
  CHECK(masked.err.find("no multi-head attention layers") != std::string::npos);
}

TEST_CASE("analyze: find with a Transformer encoder scores the pooling weights against the marker") {
  const std::string run =
      train("find", {"--task", "find", "--max-steps", "60", "--eval-every", "60", "--width", "32", "--heads", "2",
                     "--ff-width", "64", "--enc-layers", "1", "--pool", "attention"});
  auto r = run_attn({"analyze", run, "--json", "--prune-steps", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json a = json::parse(r.out);
  CHECK(a.at("metric").at("name") == "macro_f1");
  CHECK(layer_named(a.at("layers"), "encoder.layers.0.self_attn").at("gated") == true);
  CHECK(layer_named(a.at("layers"), "pool").at("gated") == false);
  REQUIRE(a.at("alignment").size() == 1);
  CHECK(a.at("alignment").at(0).at("kind") == "pooling");
  CHECK(a.at("alignment").at(0).at("heads").at(0).at("rows").get<int>() > 0);  // the "yes" examples
  CHECK(a.at("pruning").at("curve").size() == 2);
}
