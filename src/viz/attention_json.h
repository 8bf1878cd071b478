// The attention dump format written by `attn attend` (base/attention_schema.h) as typed structs,
// and its validating reader, which reads attn.attention/1 and /2. Layout of the JSON:
//   {"schema": "attn.attention/2", "model": {...free-form facts...}, "task": "translate",
//    "items": [{"index": 0, "source_tokens": [...], "output_tokens": [...], "output": "...",
//               "prediction": {"label": "spam", "probability": 0.993, "reference": "ham"},
//               "layers": [{"name": "decoder.layers.0.cross_attn", "kind": "decoder_cross",
//                           "layer": 0, "query_tokens": [...], "key_tokens": [...],
//                           "query_predicts": [...] (decoder maps, optional),
//                           "reduced": {"op": "mean", "heads": 4} (attend --reduce, optional),
//                           "head_of": {"head": 2, "heads": 4} (attend --head, optional),
//                           "heads": [H][Tq][Tk] weights}]}]}
// In /1, kind is one of encoder_self | decoder_self | decoder_cross | rnn and there is no
// prediction. In /2 kind is any non-empty string (a "pooling" layer has exactly one query), and
// "prediction" (classifiers; reference null or absent when unknown) is optional, and so is "image"
// (image items: {"height", "width", "patch", "grid_rows", "grid_cols", "pixels": [H*W of 0..255]},
// their patches named r<row>c<col> in the maps; see image_overlay.h), and so is "series" (forecast
// items: {"times", "values", "target_times", "forecast", "truth"}; see series_overlay.h). A weight may be
// null (shown as missing). Fields the reader does not know are ignored. Rendering lives in
// attention_html.h / attention_svg.h / attention_text_svg.h; writing is the producer's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace attn::viz {

// The kind of an attention-pooling layer: one learned query over the input tokens, whose
// weights are the share of the pooled vector each token got.
inline constexpr std::string_view kPoolingKind = "pooling";

struct AttentionLayer {
  std::string name;  // parameter path of the attention module
  std::string kind;  // encoder_self | decoder_self | decoder_cross | rnn | pooling | any other (/2)
  int64_t layer = 0;
  std::vector<std::string> query_tokens;  // Tq
  std::vector<std::string> key_tokens;    // Tk
  int64_t heads = 0;
  std::vector<double> weights;  // [H, Tq, Tk] row-major; NaN where the JSON has null
  // Optional (absent in older files): the token each decoder row's step predicts, |Tq| of them.
  std::vector<std::string> query_predicts;
  // How the heads were selected: `attend --head N` keeps head N of model_heads; `--reduce`
  // folds model_heads heads into one map with reduced = "mean" | "max". Unknown = -1 / 0 / "".
  int64_t kept_head = -1, model_heads = 0;
  std::string reduced;

  // What head h of this map is, for titles: "head 2 / 4", "mean of 4 heads", "head 3 of 4".
  std::string head_label(int64_t h) const;
  // Row q's label: its token, and for decoder rows what the step predicts ("<bos> → f").
  std::string row_label(int64_t q) const;

  double at(int64_t head, int64_t q, int64_t k) const {
    const int64_t tq = static_cast<int64_t>(query_tokens.size()), tk = static_cast<int64_t>(key_tokens.size());
    return weights[static_cast<size_t>((head * tq + q) * tk + k)];
  }
};

// A classifier's decision on one item.
struct Prediction {
  std::string label;
  double probability = 0.0;               // of `label`, in [0, 1]
  std::optional<std::string> reference;  // the true label, when known
};

// The picture of an image item, so the views can draw it under its attention.
struct ItemImage {
  int64_t height = 0, width = 0;  // pixels
  int64_t patch = 0;              // side of the square patches
  int64_t grid_rows = 0, grid_cols = 0;
  std::vector<uint8_t> pixels;  // [height * width] grey levels, row by row
};

// The window of a forecast item and what came of it, so the views can plot the series under its
// attention: the context's times and values (original scale), then the forecast steps.
struct ItemSeries {
  std::vector<std::string> times;   // context, oldest first
  std::vector<double> values;       // |times|
  std::vector<std::string> target_times;
  std::vector<double> forecast;     // |target_times|
  std::vector<double> truth;        // |target_times|; NaN where unknown (null: past the series' end)
};

struct AttentionItem {
  int64_t index = 0;  // the example's index in its dataset split
  std::vector<std::string> source_tokens;
  std::string source;  // the input as given ("source" in the JSON); "" when absent
  std::vector<std::string> output_tokens;  // a classifier's: [label]
  std::string output;
  std::optional<Prediction> prediction;  // classifiers only
  std::optional<ItemImage> image;        // image items only
  std::optional<ItemSeries> series;      // forecast items only
  std::vector<AttentionLayer> layers;

  // A classifier's item: it carries a prediction or a pooling layer. Rendered as its text
  // shaded by pooling weight before any grid.
  bool is_classifier() const;
  // What names the item in titles and file names: its input text (the tokens joined by
  // spaces when the file has no "source").
  std::string input_text() const;
};

struct AttentionDump {
  std::string task;
  // The free-form "model" object flattened to (key, printed value): strings as they are,
  // anything else as compact JSON, sorted by key.
  std::vector<std::pair<std::string, std::string>> model;
  std::vector<AttentionItem> items;
};

// A weight as figures print it: 4 significant digits, "missing" for NaN (null in the JSON).
std::string format_weight(double v);

// Checks the schema tag (one of kAttentionSchemasRead), every required field, the kinds, the
// prediction, the image (its grid must tile the picture; every pixel an integer 0..255), the series
// (one finite value per time, one forecast and truth per target time), and that each heads array is [H][Tq][Tk] with Tq = |query_tokens|,
// Tk = |key_tokens|. Throws Error(data) naming the path of the offending field
// (e.g. items[2].layers[0].heads[1][3]).
AttentionDump parse_attention(const nlohmann::json& doc);

}  // namespace attn::viz
