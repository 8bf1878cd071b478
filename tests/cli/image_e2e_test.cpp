// The image task end to end through the real binary, on the bundled Fashion-MNIST sample:
// train, eval --json, attend, visualize (the picture page and figures), resume after SIGKILL,
// and a corrupt IDX file.

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
// A tiny ViT (7x7 patches, 16 of them) on 300 training images: seconds.
std::vector<std::string> image_args(const std::string& out, int steps, const std::string& pool = "cls") {
  return {"train", "--task", "image", "--patch", "7", "--pool", pool, "--out", out, "--max-steps",
          std::to_string(steps), "--eval-every", "30", "--checkpoint-every", "10", "--train-limit", "300", "--width",
          "16", "--heads", "2", "--ff-width", "32", "--enc-layers", "2", "--batch-size", "32", "--warmup-steps", "5",
          "--threads", "1", "--quiet", "--json"};
}

json strip_timing(json record) {
  for (const char* key : {"id", "wall_time_s", "throughput", "peak_memory_mib", "command_line"}) record.erase(key);
  return record;
}

const std::vector<std::string> kClasses{"Ankle boot", "Bag",    "Coat",    "Dress",       "Pullover",
                                        "Sandal",     "Shirt",  "Sneaker", "T-shirt/top", "Trouser"};
}  // namespace

TEST_CASE("image: train, eval --json with class names, attend with pixels, patch maps and rollout") {
  const std::string dir = temp_dir("image-train"), run = dir + "/run";
  auto train = run_attn(image_args(run, 60));
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  const json record = json::parse(train.out);
  CHECK(record.at("task") == "image");
  CHECK(record.at("dataset").at("name") == "fashion-mnist-sample");
  CHECK(record.at("best").at("metric") == "macro_f1");

  auto eval = run_attn({"eval", run, "--json"});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  const json metrics = json::parse(eval.out);
  const json& confusion = metrics.at("confusion_matrix");
  CHECK(confusion.at("labels") == json(kClasses));
  int64_t total = 0;
  for (const json& row : confusion.at("counts"))
    for (const json& count : row) total += count.get<int64_t>();
  CHECK(total == 500);  // the sample's test split
  CHECK(metrics.at("accuracy").get<double>() > 0.2);  // 10 balanced classes: chance is 0.1
  CHECK(metrics.contains("f1_Ankle boot"));

  auto attend = run_attn({"attend", run, "--split", "test", "--index", "2", "--out", dir + "/a.json"});
  INFO(attend.err);
  REQUIRE(attend.exit_code == 0);
  const json item = json::parse(read_text(dir + "/a.json")).at("items").at(0);
  CHECK(item.at("source") == "test:2");
  const json& image = item.at("image");
  CHECK(image.at("height") == 28);
  CHECK(image.at("grid_rows") == 4);
  REQUIRE(image.at("pixels").size() == 784);
  for (const json& p : image.at("pixels")) CHECK((p.get<int>() >= 0 && p.get<int>() <= 255));
  CHECK(item.at("source_tokens").size() == 16);
  CHECK(item.at("source_tokens").at(5) == "r1c1");
  std::map<std::string, int> kinds;
  for (const json& layer : item.at("layers")) {
    ++kinds[layer.at("kind").get<std::string>()];
    if (layer.at("kind") == "encoder_self") {
      CHECK(layer.at("heads").size() == 2);
      CHECK(layer.at("key_tokens").size() == 17);  // <cls> + 16 patches
    }
  }
  CHECK(kinds["encoder_self"] == 2);
  CHECK(kinds["rollout"] == 1);
  CHECK(kinds["pooling"] == 0);  // pool cls: the <cls> row of each map is the pooling

  // Attention pooling adds its map and that map carried back through the rollout to the patches.
  auto pooled = run_attn(image_args(dir + "/pooled", 10, "attention"));
  REQUIRE(pooled.exit_code == 0);
  auto attend_pooled = run_attn({"attend", dir + "/pooled", "--split", "valid", "--index", "0", "--out", "-"});
  REQUIRE(attend_pooled.exit_code == 0);
  const json pooled_item = json::parse(attend_pooled.out).at("items").at(0);
  double carried_sum = 0;
  for (const json& layer : pooled_item.at("layers"))
    if (layer.at("kind") == "pooling_rollout")
      for (const json& w : layer.at("heads").at(0).at(0)) carried_sum += w.get<double>();
  CHECK(carried_sum == Approx(1.0).margin(1e-3));  // a distribution over the 16 patches
  // Attention pooling: the pooling map and its rollout laid over the picture too.
  auto pooled_figures = run_attn({"visualize", "-", "--format", "svg", "--out", dir + "/pooled-figures"}, attend_pooled.out);
  INFO(pooled_figures.err);
  REQUIRE(pooled_figures.exit_code == 0);
  CHECK(fs::exists(dir + "/pooled-figures/valid-0-0-pool_rollout-head0-image.svg"));
  CHECK(fs::exists(dir + "/pooled-figures/valid-0-0-pool-head0-image.svg"));

  auto bad = run_attn({"attend", run, "--input", "test:500", "--out", "-"});
  CHECK(bad.exit_code == 5);
  CHECK_THAT(bad.err, Catch::Contains("'test:500' is not <split>:<index>"));

  // Several test pictures (an index range) as one page, which opens on their gallery, and as figures.
  auto six = run_attn({"attend", run, "--split", "test", "--index", "0-4,9", "--out", dir + "/six.json"});
  INFO(six.err);
  REQUIRE(six.exit_code == 0);
  const json items = json::parse(read_text(dir + "/six.json")).at("items");
  REQUIRE(items.size() == 6);
  CHECK(items.at(5).at("source") == "test:9");
  auto page = run_attn({"visualize", dir + "/six.json", "--out", dir + "/six.html"});
  INFO(page.err);
  REQUIRE(page.exit_code == 0);
  const std::string html = read_text(dir + "/six.html");
  CHECK(html.find("id=\"gallery-view\"") != std::string::npos);
  CHECK(html.find("\"image_layer\":") != std::string::npos);
  CHECK(html.find("\"overlays\":") != std::string::npos);

  auto figures = run_attn({"visualize", dir + "/six.json", "--format", "svg", "--out", dir + "/figures/"});
  INFO(figures.err);
  REQUIRE(figures.exit_code == 0);
  // Per picture: 2 layers x 2 heads and the rollout, each as a heatmap and laid over the picture.
  CHECK_THAT(figures.err, Catch::Contains("wrote 30 SVG heatmaps and 30 image overlays"));
  const std::string rollout = read_text(dir + "/figures/test-9-9-rollout-head0-image.svg");
  CHECK(rollout.find("&lt;cls&gt; row over 4\xC3\x97" "4 patches of 7\xC3\x97" "7 px") != std::string::npos);
  CHECK(fs::exists(dir + "/figures/test-0-0-encoder_layers_1_self_attn-head1-image.svg"));
  CHECK_FALSE(fs::exists(dir + "/figures/test-0-0-rollout-head0-text.svg"));

  auto backwards = run_attn({"attend", run, "--split", "test", "--index", "4-2", "--out", "-"});
  CHECK(backwards.exit_code == 2);
  CHECK_THAT(backwards.err, Catch::Contains("--index 4-2: expected an index or a range FIRST-LAST"));
  auto beyond = run_attn({"attend", run, "--split", "test", "--index", "498-500", "--out", "-"});
  CHECK(beyond.exit_code == 2);
  CHECK_THAT(beyond.err, Catch::Contains("--index 500 is outside the test split (500 examples)"));
}

// --window on images is 2-D: a patch attends to the patches within that Chebyshev distance on
// the patch grid; <cls> attends to every position and every position to it.
TEST_CASE("image: --window 1 restricts each patch to its 3x3 neighbourhood, <cls> global") {
  const std::string dir = temp_dir("image-window"), run = dir + "/run";
  std::vector<std::string> args = image_args(run, 10);
  args.insert(args.end(), {"--window", "1"});
  auto train = run_attn(args);
  INFO(train.err);
  REQUIRE(train.exit_code == 0);
  CHECK(json::parse(train.out).at("config").at("window") == 1);
  auto attend = run_attn({"attend", run, "--input", "test:4", "--out", "-"});
  INFO(attend.err);
  REQUIRE(attend.exit_code == 0);
  const json item = json::parse(attend.out).at("items").at(0);
  int layers = 0;
  for (const json& layer : item.at("layers")) {
    if (layer.at("kind") != "encoder_self") continue;
    ++layers;
    for (const json& head : layer.at("heads")) {
      REQUIRE(head.size() == 17);  // <cls> + a 4x4 grid of 7x7 patches
      for (int i = 0; i < 17; ++i) {
        double sum = 0;
        for (int j = 0; j < 17; ++j) {
          const double w = head.at(i).at(j).get<double>();
          sum += w;
          const int pi = i - 1, pj = j - 1;  // patch numbers, row by row
          const bool near = i == 0 || j == 0 || (std::abs(pi / 4 - pj / 4) <= 1 && std::abs(pi % 4 - pj % 4) <= 1);
          INFO("query " << i << " key " << j);
          if (near)
            CHECK(w > 0.0);  // softmax: every visible key has weight
          else
            CHECK(w == 0.0);
        }
        CHECK(sum == Approx(1.0).margin(1e-4));
      }
    }
  }
  CHECK(layers == 2);
}

// With augmentation on: its draws come from the step's stream, so the resumed run draws the same.
TEST_CASE("image: a run killed with SIGKILL and resumed ends with the uninterrupted record (augmented)") {
  const std::string dir = temp_dir("image-resume");
  auto augmented = [&](const std::string& out) {
    std::vector<std::string> args = image_args(out, 60, "attention");
    args.push_back("--augment");
    return args;
  };
  auto whole = run_attn(augmented(dir + "/whole"));
  REQUIRE(whole.exit_code == 0);
  // Augmentation changes what the model sees: the same run without it ends elsewhere.
  auto plain = run_attn(image_args(dir + "/plain", 60, "attention"));
  REQUIRE(plain.exit_code == 0);
  CHECK(json::parse(whole.out).at("evaluations").dump() != json::parse(plain.out).at("evaluations").dump());
  auto resumed = kill_at_checkpoint_then_resume(augmented(dir + "/killed"), dir + "/killed");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(strip_timing(json::parse(whole.out)).dump() == strip_timing(json::parse(resumed.out)).dump());
}

TEST_CASE("image: bad input is a one-line error with the documented exit code") {
  const std::string dir = temp_dir("image-bad"), root = dir + "/data", ds = root + "/fashion-mnist";
  fs::create_directories(ds);
  for (const auto& f : fs::directory_iterator(fs::path(ATTN_SOURCE_DIR) / "datasets/fashion-mnist-sample"))
    fs::copy_file(f.path(), ds + "/" + f.path().filename().string());
  json manifest = json::parse(read_text(ds + "/manifest.json"));
  manifest["name"] = "fashion-mnist";
  // A wrong magic number in a file whose checksum the manifest agrees with: the IDX check catches it.
  std::string labels = read_text(ds + "/valid-labels.idx");
  labels[3] = 0x03;
  std::ofstream(ds + "/valid-labels.idx", std::ios::binary) << labels;
  manifest["files"]["valid"]["labels"]["sha256"] = attn::data::sha256_hex(labels);
  std::ofstream(ds + "/manifest.json") << manifest.dump();
  // --warmup-steps 0: one step is shorter than the default warmup, which warns on a line of its own.
  auto r = run_attn({"train", "--task", "image", "--dataset", "fashion-mnist", "--data-dir", root, "--max-steps",
                     "1", "--warmup-steps", "0", "--out", dir + "/run"});  // no warmup warning beside the error
  CHECK(r.exit_code == 5);
  CHECK_THAT(r.err, Catch::Contains(ds + "/valid-labels.idx: not an IDX labels file"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  auto unprepared = run_attn({"train", "--task", "image", "--dataset", "fashion-mnist", "--data-dir",
                              dir + "/nothing", "--max-steps", "1", "--out", dir + "/run2"});
  CHECK(unprepared.exit_code == 5);
  CHECK_THAT(unprepared.err, Catch::Contains("is not prepared") && Catch::Contains("prepare_fashion_mnist.sh"));

  auto patch = run_attn({"train", "--task", "image", "--patch", "5", "--max-steps", "1", "--out", dir + "/run3"});
  CHECK(patch.exit_code == 3);
  CHECK_THAT(patch.err, Catch::Contains("patch=5 does not divide the 28x28 images"));

  auto linear_window = run_attn({"train", "--task", "image", "--attention", "linear", "--pool", "mean", "--window",
                                 "1", "--max-steps", "1", "--out", dir + "/run4"});
  CHECK(linear_window.exit_code == 3);
  CHECK_THAT(linear_window.err, Catch::Contains("window=1 has no effect with attention=linear"));

  auto vocab = run_attn({"train", "--task", "image", "--max-vocab", "10", "--max-steps", "1", "--out", dir + "/run5"});
  CHECK(vocab.exit_code == 3);  // a text key on the image task
  CHECK_THAT(vocab.err, Catch::Contains("max_vocab=10 has no effect with task=image"));
}
