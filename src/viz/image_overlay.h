// What an image item's attention maps say about its picture, for every image view (the page's
// picture and gallery views, attention_image_svg.h): where each patch sits among a map's queries
// and keys (patches are the tokens named r<row>c<col>; "<cls>" and the like are not patches), the
// weights a map lays over the patch grid, and the map a view opens on. Drawing is the views' job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::viz {

struct AttentionItem;
struct AttentionLayer;
struct ItemImage;

// Derived maps of image items (tasks/image_task.cpp): attention rollout over the encoder, and the
// pooling weights carried back through it to the patches.
inline constexpr std::string_view kRolloutKind = "rollout";
inline constexpr std::string_view kPoolingRolloutKind = "pooling_rollout";

// Per patch, row by row over the grid: its position among the layer's keys and queries, -1 where
// the layer has no such token.
struct PatchPositions {
  std::vector<int64_t> keys, queries;
};
PatchPositions patch_positions(const AttentionLayer& layer, const ItemImage& image);

// What a map lays over the picture: one weight per patch (NaN where the map has none), and which
// of its rows that is: the only query of a pooling map, the "<cls>" row when the map has one
// (what the class token takes from each patch), else the mean over the patch rows (how much
// attention each patch receives).
struct ImageOverlay {
  std::vector<double> weights;
  std::string about;  // "pooling weights", "<cls> row", "mean over query patches"
};
ImageOverlay image_overlay(const AttentionLayer& layer, int64_t head, const ItemImage& image);

// Whether the layer's keys include at least one patch of the picture.
bool covers_patches(const AttentionLayer& layer, const ItemImage& image);

// The map an image view opens on, as a position in item.layers: the most informative one there is,
// pooling_rollout, then pooling, then rollout, then the last layer over patches; -1 when the item
// has no image or no layer over its patches.
int64_t default_image_layer(const AttentionItem& item);

}  // namespace attn::viz
