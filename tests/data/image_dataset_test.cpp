#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "base/error.h"
#include "data/embedded_samples.h"
#include "data/image_dataset.h"

using namespace attn;
using namespace attn::data;
namespace fs = std::filesystem;

namespace {
// A data root holding the embedded sample written out as dataset "fashion-mnist".
struct FakeRoot {
  fs::path root = fs::temp_directory_path() / ("attn_image_dataset_test_" + std::to_string(::getpid()));
  FakeRoot() {
    fs::remove_all(root);
    fs::create_directories(root / "fashion-mnist");
    for (const EmbeddedFile& f : embedded_sample("fashion-mnist-sample").files) {
      std::string bytes(f.bytes);
      if (f.name == "manifest.json") {
        nlohmann::json m = nlohmann::json::parse(bytes);
        m["name"] = "fashion-mnist";
        bytes = m.dump();
      }
      write(std::string(f.name), bytes);
    }
  }
  ~FakeRoot() { fs::remove_all(root); }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(root / "fashion-mnist" / name, std::ios::binary) << bytes;
  }
};

std::string load_error(const std::string& root) {
  try {
    load_image_dataset("fashion-mnist", root);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    return e.what();
  }
  FAIL("no error");
  return "";
}
}  // namespace

TEST_CASE("the embedded fashion-mnist sample loads, stratified, with its class names") {
  const ImageDataset d = load_image_dataset("fashion-mnist-sample", "/nonexistent");
  REQUIRE(d.classes.size() == 10);
  CHECK(d.classes.front() == "T-shirt/top");
  CHECK(d.classes.back() == "Ankle boot");
  const std::array<int64_t, 3> per_class{300, 50, 50};
  for (Split s : kSplits) {
    const ImageSplit& split = d.split(s);
    CHECK(split.images.rows == 28);
    CHECK(split.images.cols == 28);
    std::vector<int64_t> counts(10);
    for (uint8_t l : split.labels) ++counts[l];
    for (int64_t c : counts) CHECK(c == per_class[static_cast<int>(s)]);
  }
}

TEST_CASE("a prepared image dataset: missing, corrupt and truncated files are data errors naming them") {
  CHECK_THAT(load_error("/nonexistent/root"), Catch::Contains("is not prepared") &&
                                                   Catch::Contains("prepare_fashion_mnist.sh"));
  FakeRoot fake;
  CHECK(load_image_dataset("fashion-mnist", fake.root.string()).split(Split::test).labels.size() == 500);
  std::string images(embedded_sample("fashion-mnist-sample").file("valid-images.idx"));
  images[100] ^= 1;
  fake.write("valid-images.idx", images);
  CHECK_THAT(load_error(fake.root.string()), Catch::Contains("valid-images.idx has sha256"));
  fs::remove(fake.root / "fashion-mnist" / "valid-images.idx");
  CHECK_THAT(load_error(fake.root.string()), Catch::Contains("is incomplete") && Catch::Contains("valid-images.idx"));
}
