// The message of a JSON library (nlohmann) error, as users should read it: one
// line, without the "[json.exception.parse_error.101] " prefix. Shared by every
// reader of JSON files (dataset manifests, run files, checkpoint headers, plots).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace attn {

// "number overflow parsing '1e999'"; "cannot use at() with array" reads
// "expected a JSON object, got array".
std::string json_error_message(const nlohmann::json::exception& e);

}  // namespace attn
