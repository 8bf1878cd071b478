#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "experiment/config.h"
#include "experiment/config_schema.h"
#include "experiment/temp_dir.h"

using attn::Error;
using attn::ErrorKind;
using attn::test::TempDir;
namespace ex = attn::experiment;

namespace {

// The config error message of `f`, which must throw one of `kind`, on one line.
template <typename F>
std::string error_of(F&& f, ErrorKind kind = ErrorKind::config) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    return e.what();
  }
  FAIL("no error thrown");
  return "";
}

std::filesystem::path write_config(const TempDir& dir, const std::string& text) {
  auto path = dir / "x.json";
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("config defaults come from the schema, validate, and cover every key", "[experiment][config]") {
  const ex::TrainConfig c;
  CHECK(c.task == ex::Task::translate);
  CHECK(c.dataset == ex::Dataset::automatic);
  CHECK(c.arch == ex::Arch::transformer);
  CHECK(c.optimizer == ex::OptimizerKind::adam);
  CHECK(c.lr == 2e-3);
  CHECK(c.schedule == ex::Schedule::cosine);
  CHECK_NOTHROW(ex::validate(c));

  const ex::Json j = ex::to_json(c);
  REQUIRE(j.size() == ex::config_schema().size());
  for (const ex::ConfigKey& k : ex::config_schema()) {
    INFO(k.key);
    CHECK(j.contains(k.key));
    CHECK(ex::format_value(k.get(c)) == ex::format_value(k.default_value));
    CHECK(!k.help.empty());
  }
  CHECK(j["dataset"] == "auto");
  CHECK(j["tie_embeddings"] == false);
  for (const char* key : {"task", "dataset", "max_len", "eval_long_len", "synth_vocab", "arch", "enc_layers",
                          "dec_layers", "width", "heads", "ff_width", "dropout", "norm", "positions",
                          "tie_embeddings", "rnn_cell", "rnn_hidden", "embed_width", "attention", "normalizer",
                          "window", "optimizer", "lr", "momentum", "nesterov", "beta1", "beta2", "eps",
                          "weight_decay", "schedule", "warmup_steps", "max_steps", "epochs", "batch_size",
                          "clip_norm", "label_smoothing", "eval_every", "early_stop_metric", "patience", "seed",
                          "threads", "log_every"})
    CHECK(ex::find_config_key(key) != nullptr);
}

TEST_CASE("config JSON round trip restores every field", "[experiment][config]") {
  ex::TrainConfig c;
  c.task = ex::Task::classify;
  c.dataset = ex::Dataset::spam;
  c.pool = ex::Pool::max;
  c.max_src_len = 77;
  c.src_tokenizer = ex::Tokenizer::spaces;
  c.arch = ex::Arch::rnn;
  c.attention = ex::AttentionKind::none;
  c.normalizer = ex::Normalizer::sparsemax;
  c.lr = 0.1234567890123;
  c.tie_embeddings = true;
  c.seed = 9007199254740993;  // not representable as a double
  c.early_stop_metric = "per";
  ex::TrainConfig back;
  ex::apply_json(back, ex::to_json(c), "round trip");
  CHECK(back == c);
  CHECK(ex::to_json(c)["src_tokenizer"] == "space");
}

TEST_CASE("config file: values, malformed JSON with line and column, missing file", "[experiment][config]") {
  TempDir dir;
  auto path = write_config(dir, R"({"arch": "rnn", "lr": 0.5, "batch_size": 32.0, "nesterov": false})");
  ex::TrainConfig c = ex::load_config_file(path);
  CHECK(c.arch == ex::Arch::rnn);
  CHECK(c.lr == 0.5);
  CHECK(c.batch_size == 32);
  CHECK(c.heads == ex::TrainConfig().heads);

  path = write_config(dir, "{\n  \"lr\": 0.5,\n  \"arch\": rnn\n}\n");
  std::string msg = error_of([&] { ex::load_config_file(path); });
  CHECK(msg.rfind(path.string() + ": parse error at line 3, column", 0) == 0);

  path = write_config(dir, "{\"lr\": 0.5,}");
  CHECK_THAT(error_of([&] { ex::load_config_file(path); }), Catch::Contains("line 1, column 12"));
  path = write_config(dir, "[1, 2]");
  CHECK_THAT(error_of([&] { ex::load_config_file(path); }), Catch::Contains("must be a JSON object"));
  CHECK_THAT(error_of([&] { ex::load_config_file(dir / "absent.json"); }, ErrorKind::io),
             Catch::Contains("absent.json"));
}

TEST_CASE("config file: unknown keys get a suggestion", "[experiment][config]") {
  TempDir dir;
  auto path = write_config(dir, R"({"lrate": 0.1})");
  CHECK(error_of([&] { ex::load_config_file(path); }) ==
        path.string() + ": unknown key 'lrate' (did you mean 'lr'?)");
  path = write_config(dir, R"({"batchsize": 8})");
  CHECK_THAT(error_of([&] { ex::load_config_file(path); }),
             Catch::EndsWith("unknown key 'batchsize' (did you mean 'batch_size'?)"));
  path = write_config(dir, R"({"zzzzzzzz": 8})");
  CHECK_THAT(error_of([&] { ex::load_config_file(path); }), Catch::EndsWith("unknown key 'zzzzzzzz'"));
  CHECK(ex::suggest_config_key("enc-layers") == "enc_layers");
  CHECK(ex::suggest_config_key("optimiser") == "optimizer");
  CHECK(ex::typo_distance("kitten", "sitting") == 3);
  CHECK(ex::typo_distance("", "abc") == 3);
  CHECK(ex::typo_distance("hedas", "heads") == 1);
}

TEST_CASE("config file: wrong types and out-of-range values name key and value", "[experiment][config]") {
  TempDir dir;
  auto message = [&](const std::string& text) {
    auto path = write_config(dir, text);
    return error_of([&] { ex::load_config_file(path); });
  };
  CHECK_THAT(message(R"({"lr": "fast"})"), Catch::EndsWith("key 'lr' expects a float, got \"fast\""));
  CHECK_THAT(message(R"({"batch_size": 32.5})"), Catch::EndsWith("key 'batch_size' expects an integer, got 32.5"));
  CHECK_THAT(message(R"({"batch_size": "32"})"), Catch::EndsWith("key 'batch_size' expects an integer, got \"32\""));
  CHECK_THAT(message(R"({"tie_embeddings": 1})"), Catch::Contains("key 'tie_embeddings' expects a bool"));
  CHECK_THAT(message(R"({"dropout": 1.5})"), Catch::EndsWith("key 'dropout' must be in [0, 1), got 1.5"));
  CHECK_THAT(message(R"({"lr": 0})"), Catch::EndsWith("key 'lr' must be in (0, 10], got 0"));
  CHECK_THAT(message(R"({"batch_size": 0})"), Catch::EndsWith("key 'batch_size' must be in [1, 1048576], got 0"));
  CHECK_THAT(message(R"({"seed": -1})"), Catch::EndsWith("key 'seed' must be >= 0, got -1"));
  CHECK_THAT(message(R"({"optimizer": "adamm"})"),
             Catch::EndsWith("key 'optimizer' must be one of sgd|adam|adamw, got \"adamm\" (did you mean 'adam'?)"));
  CHECK_THAT(message(R"({"seed": 18446744073709551615})"), Catch::Contains("key 'seed' expects an integer"));
}

TEST_CASE("apply_set parses key=value by the key's type", "[experiment][config]") {
  ex::TrainConfig c;
  ex::apply_set(c, "lr=2e-4");
  ex::apply_set(c, "tie_embeddings=true");
  ex::apply_set(c, "dataset=bible-es-en");
  ex::apply_set(c, "early_stop_metric=bleu=4");  // only the first '=' splits
  ex::apply_set(c, "heads=8");
  CHECK(c.lr == 2e-4);
  CHECK(c.tie_embeddings);
  CHECK(c.dataset == ex::Dataset::bible_es_en);
  CHECK(c.early_stop_metric == "bleu=4");
  CHECK(c.heads == 8);

  CHECK(error_of([&] { ex::apply_set(c, "lrate=0.1"); }) == "--set lrate=0.1: unknown key 'lrate' (did you mean 'lr'?)");
  CHECK(error_of([&] { ex::apply_set(c, "lr"); }) == "--set lr: expected key=value");
  CHECK(error_of([&] { ex::apply_set(c, "lr=fast"); }) == "--set lr=fast: key 'lr' expects a float, got 'fast'");
  CHECK_THAT(error_of([&] { ex::apply_set(c, "heads=4x"); }), Catch::EndsWith("expects an integer, got '4x'"));
  CHECK_THAT(error_of([&] { ex::apply_set(c, "lr=nan"); }), Catch::EndsWith("expects a float, got 'nan'"));
  CHECK_THAT(error_of([&] { ex::apply_set(c, "nesterov=maybe"); }), Catch::Contains("expects a bool"));
  CHECK_THAT(error_of([&] { ex::apply_set(c, "arch=lstm"); }), Catch::Contains("one of transformer|rnn"));
  CHECK(c.heads == 8);  // failed sets change nothing
}

TEST_CASE("validate rejects inconsistent combinations", "[experiment][config]") {
  auto invalid = [](auto mutate) {
    ex::TrainConfig c;
    mutate(c);
    return error_of([&] { ex::validate(c); });
  };
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.width = 66; }), Catch::Contains("width=66 is not divisible by heads=4"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.attention = ex::AttentionKind::none; }), Catch::Contains("needs arch=rnn"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.nesterov = true; }), Catch::Contains("nesterov=true needs optimizer=sgd"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.max_steps = 0; c.epochs = 0; }), Catch::Contains("never stop"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.task = ex::Task::copy; c.eval_long_len = 10; }),
             Catch::Contains("eval_long_len=10 must exceed max_len=10"));
  ex::TrainConfig rnn;
  rnn.arch = ex::Arch::rnn;
  rnn.attention = ex::AttentionKind::none;
  CHECK_NOTHROW(ex::validate(rnn));
  // A key of the other architecture would be silently ignored: refused, naming it.
  rnn.width = 66;
  CHECK_THAT(error_of([&] { ex::validate(rnn); }), Catch::Contains("width=66 has no effect with arch=rnn"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.rnn_hidden = 32; }),
             Catch::Contains("rnn_hidden=32 has no effect with arch=transformer"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.attn_width = 8; }),
             Catch::Contains("attn_width=8 has no effect with attention=scaled_dot"));
  CHECK_NOTHROW(ex::validate([] {
    ex::TrainConfig c;
    c.attention = ex::AttentionKind::additive;
    c.attn_width = 8;
    return c;
  }()));
}

TEST_CASE("validate refuses a key set where its task or architecture ignores it", "[experiment][config]") {
  auto invalid = [](auto mutate) {
    ex::TrainConfig c;
    mutate(c);
    return error_of([&] { ex::validate(c); });
  };
  auto classifier = [](ex::TrainConfig& c) { c.task = ex::Task::classify; };
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { classifier(c); c.dec_layers = 3; }),
             Catch::Contains("dec_layers=3 has no effect with task=classify (it applies to task=translate|copy|"));
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { classifier(c); c.max_decode_len = 9; }),
             Catch::Contains("max_decode_len=9 has no effect with task=classify"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.pool = ex::Pool::mean; }),
             Catch::Contains("pool=mean has no effect with task=translate"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.task = ex::Task::copy; c.dataset = ex::Dataset::g2p; }),
             Catch::Contains("dataset=g2p has no effect with task=copy"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.task = ex::Task::find; c.eval_long_len = 30; }),
             Catch::Contains("eval_long_len=30 has no effect with task=find"));
  // Attention pooling needs weights; the no-attention baseline pools by mean, max or cls.
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { classifier(c); c.arch = ex::Arch::rnn; c.attention = ex::AttentionKind::none; }),
             Catch::Contains("pool=attention needs an attention score that gives weights"));
  CHECK_NOTHROW(ex::validate([] {
    ex::TrainConfig c;
    c.task = ex::Task::classify;
    c.arch = ex::Arch::rnn;
    c.attention = ex::AttentionKind::none;
    c.pool = ex::Pool::mean;
    c.dataset = ex::Dataset::spam;
    c.max_src_len = 100;
    return c;
  }()));
  // A classifier's input must fit the Transformer's positions, its <cls> slot included.
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { classifier(c); c.max_src_len = 512; c.pool = ex::Pool::cls; }),
             Catch::Contains("max_src_len=512 plus the <cls> token exceeds the Transformer's max_positions 512"));
  CHECK_NOTHROW(ex::validate([] {
    ex::TrainConfig c;
    c.task = ex::Task::classify;
    c.max_src_len = 512;
    return c;
  }()));
}

TEST_CASE("validate refuses synthetic lengths beyond the Transformer's positions, naming the keys", "[experiment][config]") {
  auto check = [](ex::Task task, int64_t max_len, int64_t eval_long_len, ex::Arch arch = ex::Arch::transformer) {
    ex::TrainConfig c;
    c.task = task;
    c.arch = arch;
    c.max_len = max_len;
    c.eval_long_len = eval_long_len;
    ex::validate(c);
  };
  // copy: a decoder input of <bos> + 511 tokens fills the 512 positions exactly.
  CHECK_NOTHROW(check(ex::Task::copy, 10, 511));
  CHECK_THAT(error_of([&] { check(ex::Task::copy, 10, 512); }),
             Catch::Contains("eval_long_len=512") && Catch::Contains("max_positions 512") &&
                 Catch::Contains("at most 511"));
  CHECK_THAT(error_of([&] { check(ex::Task::copy, 500, 600); }), Catch::StartsWith("invalid config: eval_long_len=600:"));
  CHECK_THAT(error_of([&] { check(ex::Task::copy, 600, 700); }), Catch::Contains("max_len=600 and eval_long_len=700"));
  // add: "a+b" with 255-digit operands is 511 tokens; 256 digits make 513.
  CHECK_NOTHROW(check(ex::Task::add, 10, 255));
  CHECK_THAT(error_of([&] { check(ex::Task::add, 10, 256); }), Catch::Contains("up to 513 positions"));
  CHECK_NOTHROW(check(ex::Task::copy, 500, 600, ex::Arch::rnn));  // an RNN has no position limit
  ex::TrainConfig c;
  c.max_decode_len = 600;
  CHECK_THAT(error_of([&] { ex::validate(c); }), Catch::Contains("max_decode_len=600 exceeds"));
}

TEST_CASE("validate refuses attention settings the architecture would ignore", "[experiment][config]") {
  auto invalid = [](auto mutate) {
    ex::TrainConfig c;
    mutate(c);
    return error_of([&] { ex::validate(c); });
  };
  auto rnn = [](ex::TrainConfig& c) {
    c.arch = ex::Arch::rnn;
    c.attention = ex::AttentionKind::additive;
  };
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { rnn(c); c.heads = 2; }),
             Catch::Contains("heads=2 has no effect with arch=rnn"));
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { rnn(c); c.window = 2; }),
             Catch::Contains("window=2 has no effect with arch=rnn"));
  CHECK_THAT(invalid([&](ex::TrainConfig& c) { rnn(c); c.attention = ex::AttentionKind::linear; }),
             Catch::Contains("attention=linear needs arch=transformer, got arch=rnn: attn implements"));
  for (ex::Normalizer n : {ex::Normalizer::sparsemax, ex::Normalizer::hard})
    CHECK_THAT(invalid([&](ex::TrainConfig& c) { c.attention = ex::AttentionKind::linear; c.normalizer = n; }),
               Catch::Contains("normalizer=" + std::string(ex::enum_name(n)) + " has no effect with attention=linear"));
  CHECK_THAT(invalid([](ex::TrainConfig& c) { c.attention = ex::AttentionKind::linear; c.window = 3; }),
             Catch::Contains("window=3 has no effect with attention=linear"));
  ex::TrainConfig ok;
  rnn(ok);
  ok.normalizer = ex::Normalizer::sparsemax;  // the RNN's attention does use its normalizer
  CHECK_NOTHROW(ex::validate(ok));
}

TEST_CASE("unknown keys: synonyms from other tools, and no far-fetched suggestion", "[experiment][config]") {
  CHECK(ex::suggest_config_key("learning_rate") == "lr");
  CHECK(ex::suggest_config_key("learning-rate") == "lr");
  CHECK(ex::suggest_config_key("Learning_Rate") == "lr");
  CHECK(ex::suggest_config_key("num_heads") == "heads");
  CHECK(ex::suggest_config_key("d_model") == "width");
  CHECK(ex::suggest_config_key("hedas") == "heads");  // a transposition is one typo
  CHECK(ex::suggest_config_key("lrr") == "lr");
  CHECK(ex::suggest_config_key("foo") == "");
  CHECK(ex::suggest_config_key("version") == "");
  CHECK(ex::suggest_config_key("colour") == "");
}

TEST_CASE("README's config key table is generated from the schema", "[experiment][config]") {
  // After changing a key, regenerate with: ATTN_UPDATE_DOCS=1 ./build/tests/attn_tests "README*"
  const std::filesystem::path readme = std::filesystem::path(ATTN_SOURCE_DIR) / "README.md";
  const std::string begin = "<!-- config-keys:begin -->\n", end = "<!-- config-keys:end -->";
  std::ifstream in(readme);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t from = text.find(begin), to = text.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  const std::string generated = ex::config_keys_markdown();
  if (std::getenv("ATTN_UPDATE_DOCS")) {
    text.replace(from + begin.size(), to - from - begin.size(), generated);
    std::ofstream(readme) << text;
  }
  CHECK(text.substr(from + begin.size(), to - from - begin.size()) == generated);
}

TEST_CASE("the reference configs in experiments/ load and validate", "[experiment][config]") {
  const std::filesystem::path dir = std::filesystem::path(ATTN_SOURCE_DIR) / "experiments";
  int configs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path());
    ++configs;
    CHECK_NOTHROW(ex::validate(ex::load_config_file(entry.path())));
  }
  CHECK(configs >= 3);  // g2p, bible, fashion-mnist
  const ex::TrainConfig vit = ex::load_config_file(dir / "fashion_mnist_vit.json");
  CHECK(vit.task == ex::Task::image);
  CHECK(vit.patch == 4);
}
