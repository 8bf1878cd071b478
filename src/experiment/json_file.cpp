#include "experiment/json_file.h"

#include "base/json_parse.h"
#include "experiment/atomic_file.h"

namespace attn::experiment {

Json parse_json(std::string_view text, ErrorKind kind, const std::string& source) {
  return parse_json_checked<Json>(text, kind, source);
}

Json read_json_file(const std::filesystem::path& path, ErrorKind kind) {
  return parse_json(read_file(path), kind, path.string());
}

void write_json_file(const std::filesystem::path& path, const Json& value) {
  write_file_atomic(path, value.dump(2) + "\n");
}

std::vector<Json> read_json_lines(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  std::vector<Json> lines;
  size_t begin = 0;
  for (int64_t number = 1;; ++number) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // a torn last line, or the end
    std::string_view line(text.data() + begin, end - begin);
    lines.push_back(parse_json(line, ErrorKind::data, path.string() + ":" + std::to_string(number)));
    begin = end + 1;
  }
  return lines;
}

void append_json_line(const std::filesystem::path& path, const Json& value) {
  append_line(path, value.dump());
}

}  // namespace attn::experiment
