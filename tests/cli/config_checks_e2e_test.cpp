// End-to-end: settings that cannot work, or that an architecture would ignore,
// and unknown keys, refused before a run directory exists.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::one_line;
using attn::testing::run_attn;
using attn::testing::temp_dir;
namespace fs = std::filesystem;

TEST_CASE("input: sequences beyond the Transformer's positions are refused before the run starts") {
  const std::string dir = temp_dir("input-positions");
  auto r = run_attn({"train", "--task", "copy", "--max-len", "500", "--eval-long-len", "600", "--synth-eval-size", "2",
                     "--synth-train-size", "64", "--batch-size", "8", "--max-steps", "1", "--out", dir + "/huge"});
  CHECK(r.exit_code == 3);
  CHECK(one_line(r.err));
  CHECK(r.err.find("eval_long_len=600") != std::string::npos);
  CHECK(r.err.find("max_positions 512") != std::string::npos);
  CHECK(!fs::exists(dir + "/huge"));
}

TEST_CASE("input: attention flags an architecture would ignore are refused, naming them") {
  const std::string dir = temp_dir("input-attention");
  auto rnn = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"train", "--task", "copy", "--arch", "rnn", "--attention", "additive",
                                     "--max-steps", "1", "--out", dir + "/never"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_attn(args);
  };
  for (const auto& [flags, named] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--heads", "2"}, "heads=2"}, {{"--window", "2"}, "window=2"}, {{"--attention", "linear"}, "attention=linear"}}) {
    auto r = rnn(flags);
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(one_line(r.err));
    CHECK(r.err.find(named) != std::string::npos);
  }
  CHECK(rnn({"--attention", "linear"}).err.find("only in the Transformer's multi-head attention") != std::string::npos);  // says why
  auto linear = run_attn({"train", "--task", "copy", "--attention", "linear", "--normalizer", "sparsemax", "--max-steps",
                          "1", "--out", dir + "/never"});
  CHECK(linear.exit_code == 3);
  CHECK(linear.err.find("normalizer=sparsemax has no effect with attention=linear") != std::string::npos);
  CHECK(!fs::exists(dir + "/never"));

  // attend on an RNN run describes the RNN, not Transformer defaults.
  auto trained = run_attn({"train", "--task", "copy", "--arch", "rnn", "--attention", "additive", "--rnn-hidden", "16",
                           "--embed-width", "8", "--max-len", "4", "--eval-long-len", "6", "--synth-train-size", "64",
                           "--synth-eval-size", "8", "--batch-size", "8", "--max-steps", "2", "--eval-every", "2",
                           "--threads", "1", "--quiet", "--out", dir + "/rnn"});
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  auto attend = run_attn({"attend", dir + "/rnn", "--input", "abc", "--out", "-"});
  REQUIRE(attend.exit_code == 0);
  const nlohmann::json model = nlohmann::json::parse(attend.out).at("model");
  CHECK(model.at("arch") == "rnn");
  CHECK(model.at("rnn_hidden") == 16);
  for (const char* transformer_only : {"heads", "width", "enc_layers", "dec_layers", "window"})
    CHECK(!model.contains(transformer_only));
}

TEST_CASE("input: unknown keys suggest the attn name for other tools' names, and nothing far-fetched") {
  auto learning_rate = run_attn({"train", "--set", "learning_rate=0.1"});
  CHECK(learning_rate.exit_code == 3);
  CHECK(learning_rate.err.find("did you mean 'lr'") != std::string::npos);
  auto version = run_attn({"train", "--version"});
  CHECK(version.exit_code == 2);
  CHECK(version.err.find("attn --version") != std::string::npos);
  CHECK(version.err.find("did you mean") == std::string::npos);
}
