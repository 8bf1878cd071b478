// The few Unicode facts the text metrics need to agree with sacreBLEU, which runs on Python
// strings: UTF-8 decoding to code points, and what Python's str.split() / str.rstrip() call
// whitespace. No normalisation, no case folding, no locale.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attn::metrics {

// Code points of a UTF-8 string. A byte that does not start a valid sequence becomes
// U+DC80..U+DCFF, as Python's 'surrogateescape' decoding does, so no input is rejected.
std::u32string decode_utf8(std::string_view text);

// Python's str.isspace() for one code point (the set str.split() breaks on).
bool is_python_space(char32_t c);

// Python's text.split(): maximal runs of non-whitespace, as views into `text`.
std::vector<std::string_view> split_whitespace(std::string_view text);

// Python's text.rstrip(): `text` without trailing whitespace.
std::string_view rstrip_whitespace(std::string_view text);

}  // namespace attn::metrics
