#include <catch2/catch.hpp>
#include <memory>

#include "base/error.h"
#include "experiment/atomic_file.h"
#include "experiment/checkpoint.h"
#include "experiment/temp_dir.h"
#include "nn/module.h"
#include "tensor/rng.h"

using attn::Error;
using attn::ErrorKind;
using attn::Rng;
using attn::Tensor;
using attn::test::TempDir;
namespace ex = attn::experiment;
namespace nn = attn::nn;

namespace {

// Parameters registered directly: the test needs names and shapes, not layers' maths.
class Affine : public nn::Module {
 public:
  Affine(int64_t in, int64_t out, Rng& rng) {
    Tensor w = Tensor::empty({out, in});
    rng.fill_normal(w.data(), w.numel());
    register_parameter("weight", w);
    register_parameter("bias", Tensor::full({out}, rng.uniform()));
  }
};

class TinyModel : public nn::Module {
 public:
  TinyModel(int64_t width, uint64_t seed) {
    Rng rng(seed, 0);
    register_module("proj", std::make_shared<Affine>(3, width, rng));
    register_module("out", std::make_shared<Affine>(width, 2, rng));
  }
};

// Adam-style state: two moments per parameter, filled with recognisable values.
ex::NamedTensors optimizer_state(const ex::NamedTensors& params, float base) {
  ex::NamedTensors out;
  for (const char* moment : {"m", "v"})
    for (const auto& [name, t] : params) {
      Tensor s = Tensor::full(t.shape(), base);
      s[0] = base + static_cast<float>(out.size());
      out.emplace_back(std::string("adam.") + moment + "." + name, s);
    }
  return out;
}

std::vector<std::vector<float>> values(const ex::NamedTensors& tensors) {
  std::vector<std::vector<float>> out;
  for (const auto& [name, t] : tensors) out.push_back(t.to_vector());
  return out;
}

std::string checkpoint_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::checkpoint);
    CHECK(std::string(e.what()).find('\n') == std::string::npos);
    return e.what();
  }
  FAIL("no checkpoint error");
  return "";
}

}  // namespace

TEST_CASE("checkpoint round trip restores model, optimizer and trainer state", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel saved(4, 1);
  const ex::NamedTensors saved_params = ex::parameter_tensors(saved);
  const ex::NamedTensors saved_optim = optimizer_state(saved_params, 0.5f);
  const ex::Json state = {{"step", 120}, {"epoch", 3}, {"rng", {{"seed", 7}, {"position", 18446744073709551615ull}}}};
  ex::save_checkpoint(run.path(), "last", saved_params, saved_optim, state);

  TinyModel restored(4, 2);
  const ex::NamedTensors params = ex::parameter_tensors(restored);
  const ex::NamedTensors optim = optimizer_state(params, 0.0f);
  REQUIRE(values(params) != values(saved_params));
  const ex::Json got = ex::load_checkpoint(run.path(), "last", params, optim);
  CHECK(got == state);
  CHECK(values(params) == values(saved_params));
  CHECK(values(ex::parameter_tensors(restored)) == values(saved_params));  // written into the module itself
  CHECK(values(optim) == values(saved_optim));

  // The weights file holds exactly the model's parameters, as other tools expect.
  ex::SafetensorsFile weights = ex::load_safetensors(ex::checkpoint_path(run.path(), "last"));
  REQUIRE(weights.tensors.size() == saved_params.size());
  for (size_t i = 0; i < weights.tensors.size(); ++i) CHECK(weights.tensors[i].first == saved_params[i].first);
}

TEST_CASE("checkpoint saves replace older optimizer files and leave no temporaries", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel model(4, 1);
  const ex::NamedTensors params = ex::parameter_tensors(model);
  ex::save_checkpoint(run.path(), "last", params, optimizer_state(params, 1.0f), {{"step", 1}});
  ex::save_checkpoint(run.path(), "best", params, {}, {{"step", 1}});
  ex::save_checkpoint(run.path(), "last", params, optimizer_state(params, 2.0f), {{"step", 2}});
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(run / "checkpoints")) files.push_back(e.path().filename());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 3);
  CHECK(files[0] == "best.safetensors");
  CHECK(files[1].rfind("last.optim-", 0) == 0);
  CHECK(files[2] == "last.safetensors");

  ex::NamedTensors optim = optimizer_state(params, 0.0f);
  CHECK(ex::load_checkpoint(run.path(), "last", params, optim)["step"] == 2);
  CHECK(optim[0].second[1] == 2.0f);

  // A crash after writing a new optimizer file but before the weights file: the
  // weights file still names the old, complete optimizer file.
  ex::write_file_atomic(run / "checkpoints" / "last.optim-0123456789abcdef.safetensors", "garbage");
  CHECK(ex::load_checkpoint(run.path(), "last", params, optim)["step"] == 2);

  // best holds no optimizer state: fine for evaluation, an error for resuming.
  CHECK(ex::load_model_weights(run.path(), "best", params)["step"] == 1);
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "best", params, optim); }),
             Catch::Contains("holds no optimizer state"));
}

TEST_CASE("checkpoint load names the first mismatch and copies nothing", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel model(4, 1);
  const ex::NamedTensors params = ex::parameter_tensors(model);
  ex::save_checkpoint(run.path(), "last", params, optimizer_state(params, 1.0f), {{"step", 5}});

  TinyModel wider(5, 2);
  const ex::NamedTensors wide = ex::parameter_tensors(wider);
  const auto before = values(wide);
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", wide, optimizer_state(wide, 0)); }),
             Catch::Contains("parameter '" + wide[0].first + "' has shape [4, 3] but this model expects [5, 3]"));
  CHECK(values(wide) == before);

  ex::NamedTensors extra = params;
  extra.emplace_back("head.weight", Tensor::zeros({2}));
  CHECK_THAT(checkpoint_error([&] { ex::load_model_weights(run.path(), "last", extra); }),
             Catch::Contains("missing parameter 'head.weight' (expected shape [2])"));
  ex::NamedTensors fewer(params.begin(), params.end() - 1);
  CHECK_THAT(checkpoint_error([&] { ex::load_model_weights(run.path(), "last", fewer); }),
             Catch::Contains("unexpected parameter '" + params.back().first + "'"));
  ex::NamedTensors optim = optimizer_state(params, 0);
  optim.pop_back();
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", params, optim); }),
             Catch::Contains("unexpected optimizer tensor"));
}

TEST_CASE("corrupt or foreign checkpoint files give checkpoint errors", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel model(4, 1);
  const ex::NamedTensors params = ex::parameter_tensors(model);
  const ex::NamedTensors optim = optimizer_state(params, 1.0f);
  ex::save_checkpoint(run.path(), "last", params, optim, {{"step", 5}});
  const auto path = ex::checkpoint_path(run.path(), "last");
  const std::string good = ex::read_file(path);

  ex::write_file_atomic(path, good.substr(0, good.size() / 2));
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", params, optim); }),
             Catch::Contains("last.safetensors: truncated"));

  ex::save_safetensors(path, params);  // a plain safetensors file, not written by attn
  CHECK_THAT(checkpoint_error([&] { ex::load_model_weights(run.path(), "last", params); }),
             Catch::Contains("not an attn checkpoint"));

  ex::save_safetensors(path, params,
                       {{"attn.checkpoint_version", "1"}, {"attn.trainer_state", "{bad"}, {"attn.optimizer_file", ""}});
  CHECK_THAT(checkpoint_error([&] { ex::load_model_weights(run.path(), "last", params); }),
             Catch::Contains("trainer state: parse error"));

  ex::save_checkpoint(run.path(), "last", params, optim, {{"step", 5}});
  for (const auto& e : std::filesystem::directory_iterator(run / "checkpoints"))
    if (e.path().filename().string().rfind("last.optim-", 0) == 0) std::filesystem::remove(e.path());
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", params, optim); }),
             Catch::Contains("is missing"));

  try {
    ex::load_checkpoint(run.path(), "nonexistent", params, optim);
    FAIL("loaded a missing checkpoint");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
  }
}

TEST_CASE("checkpoint load detects flipped tensor bytes in weights and optimizer files", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel model(4, 1);
  const ex::NamedTensors params = ex::parameter_tensors(model);
  const ex::NamedTensors optim = optimizer_state(params, 1.0f);
  ex::save_checkpoint(run.path(), "last", params, optim, {{"step", 5}});
  const auto path = ex::checkpoint_path(run.path(), "last");
  std::filesystem::path optim_path;
  for (const auto& e : std::filesystem::directory_iterator(run / "checkpoints"))
    if (e.path().filename().string().rfind("last.optim-", 0) == 0) optim_path = e.path();
  REQUIRE(!optim_path.empty());
  const std::string good = ex::read_file(path), good_optim = ex::read_file(optim_path);

  // The last byte is tensor data: the file still parses, only the values changed.
  std::string flipped = good;
  flipped.back() ^= 0x01;
  ex::write_file_atomic(path, flipped);
  CHECK_THAT(checkpoint_error([&] { ex::load_model_weights(run.path(), "last", params); }),
             Catch::Contains(path.string() + ": corrupt tensor data"));
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", params, optim); }),
             Catch::Contains(path.string() + ": corrupt tensor data"));

  ex::write_file_atomic(path, good);
  flipped = good_optim;
  flipped.back() ^= 0x01;
  ex::write_file_atomic(optim_path, flipped);
  CHECK_THAT(checkpoint_error([&] { ex::load_checkpoint(run.path(), "last", params, optim); }),
             Catch::Contains(optim_path.string() + ": corrupt optimizer state"));
  ex::write_file_atomic(optim_path, good_optim);
  CHECK(ex::load_checkpoint(run.path(), "last", params, optim)["step"] == 5);
}

TEST_CASE("checkpoints saved before the data checksum existed still load", "[experiment][checkpoint]") {
  TempDir run;
  TinyModel saved(4, 1), restored(4, 2);
  const ex::NamedTensors saved_params = ex::parameter_tensors(saved);
  std::filesystem::create_directories(run / "checkpoints");
  ex::save_safetensors(ex::checkpoint_path(run.path(), "best"), saved_params,
                       {{"attn.checkpoint_version", "1"}, {"attn.trainer_state", "{\"step\":3}"},
                        {"attn.optimizer_file", ""}});
  const ex::NamedTensors params = ex::parameter_tensors(restored);
  CHECK(ex::load_model_weights(run.path(), "best", params)["step"] == 3);
  CHECK(values(params) == values(saved_params));
}
