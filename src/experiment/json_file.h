// JSON documents of a run (config.json, record.json) and JSON-lines logs
// (metrics.jsonl). Json keeps keys in insertion order, so written files read in
// the order the code builds them. Writing goes through write_file_atomic.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json_error.h"

namespace attn::experiment {

using Json = nlohmann::ordered_json;

// Parses `text` (data::parse_json_checked: nesting bounded, duplicate keys refused); on
// malformed input throws Error of `kind` reading "<source>: <problem>" on one line, e.g.
// "<source>: parse error at line L, column C: <parser message>".
Json parse_json(std::string_view text, ErrorKind kind, const std::string& source);

using attn::json_error_message;  // one line, no "[json.exception…]" prefix

// read_file + parse_json (a missing file is an io error).
Json read_json_file(const std::filesystem::path& path, ErrorKind kind);

// read_json_file, then `interpret(document)`: a JSON type or range error raised
// while interpreting (a key read with at() that is missing, an array where an
// object belongs) becomes Error of `kind` naming the file, like a parse error.
template <typename Interpret>
auto read_json_file(const std::filesystem::path& path, ErrorKind kind, Interpret&& interpret) {
  const Json document = read_json_file(path, kind);
  try {
    return interpret(document);
  } catch (const nlohmann::json::exception& e) {
    throw Error(kind, path.string() + ": " + json_error_message(e));
  }
}

// Pretty-printed (2 spaces) with a final newline, written atomically.
void write_json_file(const std::filesystem::path& path, const Json& value);

// The complete lines of a JSON-lines file, parsed. A last line without its '\n'
// is a write torn by a crash and is ignored; a malformed complete line throws
// Error kind data naming the file and line number. A missing file is an io error.
std::vector<Json> read_json_lines(const std::filesystem::path& path);

// One compact JSON object per line, appended with append_line.
void append_json_line(const std::filesystem::path& path, const Json& value);

}  // namespace attn::experiment
