// Parsing JSON that attn did not write itself (configs, run files, checkpoint
// headers, manifests) with two rules the JSON library does not enforce:
//  - nesting is at most kMaxJsonDepth deep: no attn file nests more than a few
//    levels, and unbounded nesting makes the parser's memory grow many times
//    faster than the input (a 20 MB header of '[' cost 1.5 GB);
//  - a key appears once per object: the library keeps the last of duplicates
//    silently, so `{"heads": 2, "heads": 8}` would mean something no one reads.
// With both, a parsed document takes memory proportional to its text.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_error.h"

namespace attn {

inline constexpr int kMaxJsonDepth = 64;

// Parses `text` as a JSON document of type J (nlohmann::json or ordered_json).
// Malformed text, nesting past kMaxJsonDepth and a duplicate key throw Error of
// `kind` reading "<source>: <problem>" on one line.
template <typename J>
J parse_json_checked(std::string_view text, ErrorKind kind, const std::string& source) {
  std::vector<std::set<std::string>> keys;  // those seen in each open object
  auto check = [&](int depth, nlohmann::detail::parse_event_t event, J& parsed) {
    using Event = nlohmann::detail::parse_event_t;
    if ((event == Event::object_start || event == Event::array_start) && depth >= kMaxJsonDepth)
      throw Error(kind, source + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    if (event == Event::object_start) keys.emplace_back();
    if (event == Event::object_end) keys.pop_back();
    if (event == Event::key && !keys.back().insert(parsed.template get<std::string>()).second)
      throw Error(kind, source + ": duplicate key '" + parsed.template get<std::string>() + "' in one object");
    return true;
  };
  try {
    return J::parse(text.begin(), text.end(), check);
  } catch (const nlohmann::json::exception& e) {
    throw Error(kind, source + ": " + json_error_message(e));
  }
}

}  // namespace attn
