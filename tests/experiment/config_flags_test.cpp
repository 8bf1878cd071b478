#include <catch2/catch.hpp>
#include <fstream>

#include "base/error.h"
#include "cli/config_flags.h"
#include "experiment/config_schema.h"
#include "experiment/temp_dir.h"

using attn::Error;
using attn::ErrorKind;
using attn::cli::ConfigFlags;
using attn::test::TempDir;
namespace ex = attn::experiment;

namespace {

// Parses `args` (without the program name) with the config flags of a fresh app.
ex::TrainConfig parse(std::vector<std::string> args, bool* any_given = nullptr) {
  CLI::App app{"test"};
  ConfigFlags flags(app);
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector in reverse order
  app.parse(args);
  if (any_given) *any_given = flags.any_given();
  return flags.resolve();
}

}  // namespace

TEST_CASE("config precedence: defaults < file < flags < --set", "[experiment][config]") {
  TempDir dir;
  const auto file = dir / "x.json";
  std::ofstream(file) << R"({"lr": 0.5, "batch_size": 8, "heads": 2, "positions": "learned"})";
  ex::TrainConfig c = parse({"--config", file.string(), "--lr", "0.25", "--batch-size", "16", "--set",
                             "lr=0.125", "--set", "positions=sinusoidal"});
  CHECK(c.lr == 0.125);                         // --set beats flag and file
  CHECK(c.batch_size == 16);                    // flag beats file
  CHECK(c.heads == 2);                          // file beats default
  CHECK(c.positions == ex::Positions::sinusoidal);  // --set beats file
  CHECK(c.width == ex::TrainConfig().width);    // default

  // Order on the command line does not matter, only the kind of source.
  ex::TrainConfig d = parse({"--set", "lr=0.125", "--lr", "0.25", "--config", file.string()});
  CHECK(d.lr == 0.125);
  bool given = true;
  CHECK(parse({}, &given) == ex::TrainConfig());
  CHECK(!given);
}

TEST_CASE("config flags: every key is a flag, bools have --no-, last one wins", "[experiment][config]") {
  ex::TrainConfig c = parse({"--optimizer", "adamw", "--tie-embeddings", "--no-scale-embeddings", "--early-stop-metric",
                             "per", "--lr", "1", "--lr", "0.01", "--dataset", "g2p", "--warmup-steps=10"});
  CHECK(c.optimizer == ex::OptimizerKind::adamw);
  CHECK(c.tie_embeddings);
  CHECK(!c.scale_embeddings);
  CHECK(c.early_stop_metric == "per");
  CHECK(c.lr == 0.01);
  CHECK(c.dataset == ex::Dataset::g2p);
  CHECK(c.warmup_steps == 10);
  CHECK(!parse({"--tie-embeddings=false"}).tie_embeddings);

  CLI::App app{"test"};
  ConfigFlags flags(app);
  for (const ex::ConfigKey& k : ex::config_schema()) {
    std::string name = "--" + k.key;
    std::replace(name.begin(), name.end(), '_', '-');
    CHECK(app.get_option_no_throw(name) != nullptr);
  }
}

TEST_CASE("config flags: bad values and unknown flags fail while parsing", "[experiment][config]") {
  auto parse_error = [](std::vector<std::string> args) -> std::string {
    try {
      parse(std::move(args));
    } catch (const CLI::ParseError& e) {
      return e.what();
    }
    FAIL("parsed without error");
    return "";
  };
  CHECK_THAT(parse_error({"--lr", "fast"}), Catch::Contains("key 'lr' expects a float, got 'fast'"));
  CHECK_THAT(parse_error({"--dropout", "2"}), Catch::Contains("key 'dropout' must be in [0, 1), got '2'"));
  CHECK_THAT(parse_error({"--optimizer", "adamm"}), Catch::Contains("(did you mean 'adam'?)"));

  auto usage_error = [](std::vector<std::string> args) -> std::string {
    try {
      parse(std::move(args));
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      return e.what();
    }
    FAIL("parsed without error");
    return "";
  };
  CHECK(usage_error({"--lrate", "0.1"}) == "unknown option '--lrate' (did you mean '--lr'?)");
  CHECK(usage_error({"--batchsize=3"}) == "unknown option '--batchsize' (did you mean '--batch-size'?)");
  CHECK(usage_error({"--zzzzzzzzz"}) == "unknown option '--zzzzzzzzz'");
  CHECK(usage_error({"stray"}) == "unexpected argument 'stray'");
  CHECK(usage_error({"--learning-rate", "0.1"}) == "unknown option '--learning-rate' (did you mean '--lr'?)");
  CHECK(usage_error({"--version"}) == "unknown option '--version' here (the version: attn --version)");
  // Bool flags take no separate value; the error says which forms they do take.
  CHECK_THAT(usage_error({"--tie-embeddings", "true"}), Catch::Contains("--key, --no-key or --key=true"));
  CHECK_THAT(usage_error({"--config", "a.json", "--config", "b.json"}),
             Catch::Contains("--config given 2 times ('a.json', 'b.json')"));

  try {
    parse({"--set", "lrate=0.1"});
    FAIL("unknown --set key accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    CHECK(std::string(e.what()) == "--set lrate=0.1: unknown key 'lrate' (did you mean 'lr'?)");
  }
  try {
    parse({"--width", "66"});
    FAIL("invalid combination accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    CHECK_THAT(e.what(), Catch::Contains("not divisible by heads"));
  }
}
