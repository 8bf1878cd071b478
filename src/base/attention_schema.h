// The version tag of the attention JSON, defined once for its writer (experiment/attend) and its
// reader (viz/attention_json). Only the names live here: the layout is documented in
// viz/attention_json.h and the README.
//   attn.attention/1  encoder–decoder dumps; kind is encoder_self | decoder_self | decoder_cross | rnn
//   attn.attention/2  /1 plus open kinds (pooling, ...), an optional per-item "prediction", and
//                     unknown fields ignored, so later additions (patch grids, time indices) read
#pragma once

#include <array>
#include <string_view>

namespace attn {

// What `attn attend` writes.
inline constexpr const char* kAttentionSchema = "attn.attention/2";

// Every tag the reader accepts, oldest first; a document's version is its position + 1.
inline constexpr std::array<std::string_view, 2> kAttentionSchemasRead = {"attn.attention/1", "attn.attention/2"};

// The part before the version number: a file whose tag starts with it is attention JSON, of a
// version this build may or may not read.
inline constexpr std::string_view kAttentionSchemaPrefix = "attn.attention/";

}  // namespace attn
