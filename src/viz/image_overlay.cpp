#include "viz/image_overlay.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "viz/attention_json.h"

namespace attn::viz {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "r<row>c<col>" -> the patch's position in the grid, row by row; -1 for any other token.
int64_t patch_of(std::string_view token, const ItemImage& image) {
  int64_t row = -1, col = -1;
  if (token.size() < 4 || token[0] != 'r') return -1;
  const char* end = token.data() + token.size();
  auto [at, error] = std::from_chars(token.data() + 1, end, row);
  if (error != std::errc() || at == end || *at != 'c') return -1;
  auto [last, error2] = std::from_chars(at + 1, end, col);
  if (error2 != std::errc() || last != end) return -1;
  if (row < 0 || row >= image.grid_rows || col < 0 || col >= image.grid_cols) return -1;
  return row * image.grid_cols + col;
}

std::vector<int64_t> positions(const std::vector<std::string>& tokens, const ItemImage& image) {
  std::vector<int64_t> at(static_cast<size_t>(image.grid_rows * image.grid_cols), -1);
  for (size_t i = 0; i < tokens.size(); ++i)
    if (const int64_t p = patch_of(tokens[i], image); p >= 0) at[static_cast<size_t>(p)] = static_cast<int64_t>(i);
  return at;
}

}  // namespace

PatchPositions patch_positions(const AttentionLayer& layer, const ItemImage& image) {
  return {positions(layer.key_tokens, image), positions(layer.query_tokens, image)};
}

bool covers_patches(const AttentionLayer& layer, const ItemImage& image) {
  for (const std::string& token : layer.key_tokens)
    if (patch_of(token, image) >= 0) return true;
  return false;
}

ImageOverlay image_overlay(const AttentionLayer& layer, int64_t head, const ItemImage& image) {
  const PatchPositions at = patch_positions(layer, image);
  const int64_t tq = static_cast<int64_t>(layer.query_tokens.size());
  ImageOverlay overlay;
  std::vector<int64_t> rows;  // the query rows averaged into the overlay
  if (tq == 1) {
    rows = {0};
    overlay.about = layer.kind == kPoolingRolloutKind ? "pooling weights through the rollout" : "pooling weights";
  } else if (const auto cls = std::find(layer.query_tokens.begin(), layer.query_tokens.end(), "<cls>");
             cls != layer.query_tokens.end()) {
    rows = {cls - layer.query_tokens.begin()};
    overlay.about = "<cls> row";
  } else {
    for (const int64_t q : at.queries)
      if (q >= 0) rows.push_back(q);
    overlay.about = "mean over query patches";
  }
  overlay.weights.assign(at.keys.size(), kNaN);
  for (size_t p = 0; p < at.keys.size(); ++p) {
    if (at.keys[p] < 0 || rows.empty()) continue;
    double sum = 0.0;
    for (const int64_t q : rows) sum += layer.at(head, q, at.keys[p]);
    overlay.weights[p] = sum / static_cast<double>(rows.size());
  }
  return overlay;
}

int64_t default_image_layer(const AttentionItem& item) {
  if (!item.image) return -1;
  int64_t best = -1, best_rank = -1;
  for (size_t l = 0; l < item.layers.size(); ++l) {
    const AttentionLayer& layer = item.layers[l];
    if (!covers_patches(layer, *item.image)) continue;
    // Later layers of the same rank win: the last encoder layer is the closest to the decision.
    const int rank = layer.kind == kPoolingRolloutKind ? 3 : layer.kind == kPoolingKind ? 2 : layer.kind == kRolloutKind ? 1 : 0;
    if (rank > best_rank || (rank == best_rank && rank == 0)) best = static_cast<int64_t>(l), best_rank = rank;
  }
  return best;
}

}  // namespace attn::viz
