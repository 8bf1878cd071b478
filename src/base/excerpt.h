// How an error message quotes a piece of hostile input (a malformed line of a log,
// a value of a file): short, on one line, and printable, so a 10 MB line or raw
// binary never floods the terminal or breaks the one-line error rule.
#pragma once

#include <string>
#include <string_view>

namespace attn {

// At most `max_chars` bytes of `text`, with control bytes and bytes outside ASCII
// written as \xNN, then "... (N bytes)" when it was cut.
std::string excerpt(std::string_view text, size_t max_chars = 80);

}  // namespace attn
