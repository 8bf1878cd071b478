// UTF-8 validity, shared by the writers that replace invalid bytes (viz/escape) and the readers
// that refuse them (config text values, which end up in JSON files nlohmann cannot write otherwise).
#pragma once

#include <cstddef>
#include <string_view>

namespace attn {

// Length of the valid UTF-8 sequence starting at `at` (< text.size()), or 0 if it is not one
// (overlong forms, surrogates and values past U+10FFFF are not valid).
size_t utf8_sequence_length(std::string_view text, size_t at);

bool is_valid_utf8(std::string_view text);

}  // namespace attn
