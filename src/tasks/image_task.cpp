// `image`: image classification on an IDX dataset of the registry (data/image_dataset.h),
// e.g. Fashion-MNIST, with the encoder model over patches (models/patch_embedding.h).
// Examples refer to their image as "<split>:<index>" (the source of a prediction, and what
// `attn attend --input` takes); the model's input row is the image's pixel values.
// Pixels are scaled to [0, 1] and normalised with the mean 0.2860 and standard deviation
// 0.3530 of the Fashion-MNIST training images (all 60,000, the usual constants).
// `attn attend` adds two derived maps (tasks/attention_rollout.h): "rollout" [1, 1, T, T]
// over the encoder's positions, and, with a pooling map, "pool.rollout" [1, 1, 1, T]: the
// pooling weights carried back through the rollout to the input patches.
// Augmentation (augment): each training image is a random crop of itself padded by 2 black
// pixels (a shift of -2..2 in each direction) and flipped left-right with probability 1/2,
// drawn from the step's stream (nn/step_rng.h), so a resumed run draws the same.
#include <charconv>

#include "base/error.h"
#include "data/image_dataset.h"
#include "data/sha256.h"
#include "nn/step_rng.h"
#include "tasks/attention_rollout.h"
#include "tasks/classification_task.h"
#include "tasks/task_registry.h"

namespace attn::tasks {

namespace {
constexpr float kPixelMean = 0.2860f, kPixelStd = 0.3530f;

class ImageTask : public ClassificationTask {
 public:
  explicit ImageTask(const TaskOptions& o) : patch_(o.patch), augment_(o.augment) {
    const std::string name = o.dataset == "auto" ? "fashion-mnist-sample" : o.dataset;
    images_ = data::load_image_dataset(name, o.data_root);
    const data::IdxImages& first = images_.split(data::Split::train).images;
    ATTN_CHECK(first.rows == first.cols, data, "dataset ", name, " has ", first.rows, "x", first.cols,
               " images; the image task needs square ones");
    side_ = first.rows;
    Data d;
    d.name = "image";
    d.dataset = name;
    d.text = false;
    d.pool = o.pool;
    std::string all;  // what the run trains on: every split's pixels and labels
    for (data::Split s : data::kSplits) {
      const data::ImageSplit& split = images_.split(s);
      ATTN_CHECK(split.images.rows == side_ && split.images.cols == side_, data, "dataset ", name, ": the ",
                 data::split_name(s), " images are ", split.images.rows, "x", split.images.cols, ", train's ",
                 side_, "x", side_);
      int64_t n = static_cast<int64_t>(split.labels.size());
      if (s == data::Split::train && o.train_limit > 0) n = std::min(n, o.train_limit);
      std::vector<data::TextPair> pairs;
      for (int64_t i = 0; i < n; ++i)
        pairs.push_back({std::string(data::split_name(s)) + ":" + std::to_string(i), images_.classes[split.labels[i]]});
      d.splits.push_back(std::move(pairs));
      all.append(reinterpret_cast<const char*>(split.images.pixels.data()), n * side_ * side_);
      all.append(reinterpret_cast<const char*>(split.labels.data()), n);
    }
    d.checksum = data::sha256_hex(all);
    set_data(std::move(d));
  }

  std::vector<EvalSet> eval_sets(data::Split s) const override { return {{"", split(s)}}; }

  Var loss(models::Model& model, const data::Batch& batch, float label_smoothing) const override {
    if (!augment_ || !model.training()) return ClassificationTask::loss(model, batch, label_smoothing);
    data::Batch shifted = batch;
    for (int64_t b = 0; b < batch.size(); ++b) augment(batch.src.values.data() + b * side_ * side_,
                                                        shifted.src.values.data() + b * side_ * side_);
    return ClassificationTask::loss(model, shifted, label_smoothing);
  }

  std::unique_ptr<models::Model> build_model(models::ModelOptions o) const override {
    o.input = "patches";
    o.image_side = side_;
    o.patch = patch_;
    o.pixel_mean = kPixelMean;
    o.pixel_std = kPixelStd;
    return ClassificationTask::build_model(o);
  }

 protected:
  // One image: out(r, c) = in(r + dy, c + dx) (0 outside), columns mirrored when flipped.
  void augment(const int32_t* in, int32_t* out) const {
    Rng& rng = nn::step_rng();
    const int64_t dy = static_cast<int64_t>(rng.below(5)) - 2, dx = static_cast<int64_t>(rng.below(5)) - 2;
    const bool flip = rng.below(2) == 1;
    for (int64_t r = 0; r < side_; ++r)
      for (int64_t c = 0; c < side_; ++c) {
        const int64_t sr = r + dy, sc = (flip ? side_ - 1 - c : c) + dx;
        out[r * side_ + c] = sr >= 0 && sr < side_ && sc >= 0 && sc < side_ ? in[sr * side_ + sc] : 0;
      }
  }

  // "<split>:<index>" -> the image's pixels.
  std::vector<int32_t> input_ids(const std::string& source) const override {
    const size_t colon = source.find(':');
    int64_t index = -1;
    const data::ImageSplit* split = nullptr;
    if (colon != std::string::npos) {
      for (data::Split s : data::kSplits)
        if (source.compare(0, colon, data::split_name(s)) == 0) split = &images_.split(s);
      const char* end = source.data() + source.size();
      if (std::from_chars(source.data() + colon + 1, end, index).ptr != end) index = -1;
    }
    ATTN_CHECK(split && index >= 0 && index < static_cast<int64_t>(split->labels.size()), data, "image input '",
               source, "' is not <split>:<index> of an image of dataset ", dataset_name(), " (e.g. test:0)");
    const auto begin = split->images.pixels.begin() + index * side_ * side_;
    return {begin, begin + side_ * side_};
  }

  // Patches named by their place on the patch grid: r<row>c<col>, row by row.
  std::vector<std::string> input_positions(const std::vector<int32_t>& /*pixels*/) const override {
    std::vector<std::string> out;
    const int64_t grid = side_ / patch_;
    for (int64_t p = 0; p < grid * grid; ++p)
      // append(), not "r" + …: GCC 12 warns falsely (-Wrestrict) on a literal plus a temporary string.
      out.push_back(std::string("r").append(std::to_string(p / grid)).append("c").append(std::to_string(p % grid)));
    return out;
  }

  void add_derived_maps(std::vector<LabeledMap>& maps) const override {
    std::vector<Tensor> layers;
    const LabeledMap* pooling = nullptr;
    const LabeledMap* last_layer = nullptr;
    for (const LabeledMap& m : maps) {
      if (m.map.kind == "encoder_self") layers.push_back(m.map.weights), last_layer = &m;
      if (m.map.kind == "pooling") pooling = &m;
    }
    if (layers.empty()) return;  // linear attention records no weights
    const Tensor rollout = attention_rollout(layers);  // [T, T]
    const int64_t T = rollout.dim(0);
    std::vector<LabeledMap> derived;
    derived.push_back({{"rollout", "rollout", static_cast<int>(layers.size()), rollout.reshape({1, 1, T, T})},
                       last_layer->query_tokens, last_layer->key_tokens, {}});
    if (pooling) {
      Tensor carried = Tensor::zeros({1, 1, 1, T});
      for (int64_t i = 0; i < T; ++i)
        for (int64_t j = 0; j < T; ++j) carried[j] += pooling->map.weights[i] * rollout[i * T + j];
      derived.push_back({{"pool.rollout", "pooling_rollout", 0, carried}, pooling->query_tokens, pooling->key_tokens, {}});
    }
    for (LabeledMap& m : derived) maps.push_back(std::move(m));
  }

  // The picture itself, so an attention file is self-contained.
  void add_input_fields(const std::vector<int32_t>& pixels, nlohmann::ordered_json& fields) const override {
    const int64_t grid = side_ / patch_;
    fields["image"] = {{"height", side_},          {"width", side_},           {"patch", patch_},
                       {"grid_rows", grid},        {"grid_cols", grid},        {"pixels", pixels}};
  }

 private:
  int64_t patch_, side_ = 0;
  bool augment_;
  data::ImageDataset images_;
};
}  // namespace

std::unique_ptr<Task> make_image_task(const TaskOptions& o) { return std::make_unique<ImageTask>(o); }

}  // namespace attn::tasks
