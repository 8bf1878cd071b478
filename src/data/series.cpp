#include "data/series.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>

#include "base/error.h"
#include "data/corpus.h"
#include "data/embedded_samples.h"
#include "base/json_error.h"
#include "data/sha256.h"

namespace attn::data {

namespace {
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t comma = line.find(',', start);
    out.push_back(trimmed(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// The number a whole field spells; nullopt for anything else (NaN and infinities included).
std::optional<double> number(std::string_view field) {
  if (field.empty()) return std::nullopt;
  const std::string text(field);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool is_missing(std::string_view field) {
  for (const char* token : {"", "NA", "N/A", "NaN", "nan", "NAN", "null", "?", "."})
    if (field == token) return true;
  return false;
}

// Integer times must step evenly: a jump is a gap in the series.
void check_spacing(const Series& s, const std::vector<int64_t>& lines, const std::string& where) {
  std::vector<double> t;
  for (const std::string& label : s.times) {
    const std::optional<double> v = number(label);
    if (!v || std::trunc(*v) != *v) return;  // labels that are not integers (dates) are not checked
    t.push_back(*v);
  }
  if (t.size() < 2) return;
  const double step = t[1] - t[0];
  for (size_t i = 1; i < t.size(); ++i)
    ATTN_CHECK(t[i] - t[i - 1] == step && step > 0, data, where, ":", lines[i], ": time ", s.times[i], " follows ",
               s.times[i - 1], " (a gap: the series needs evenly spaced times, here every ", step, ")");
}

int64_t index_of(const Series& s, const std::string& label, const std::string& where) {
  const auto it = std::find(s.times.begin(), s.times.end(), label);
  ATTN_CHECK(it != s.times.end(), data, where, ": the split names time ", label, ", which the series does not have");
  return it - s.times.begin();
}
}  // namespace

Series parse_series_csv(std::string_view text, const std::string& where) {
  Series s;
  s.name = where;
  s.checksum = sha256_hex(text);
  std::vector<int64_t> lines;  // the line of each value, for messages
  int64_t line_no = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (trimmed(line).empty()) continue;
    const std::vector<std::string_view> fields = fields_of(line);
    ATTN_CHECK(fields.size() <= 2, data, where, ":", line_no, ": ", fields.size(),
               " fields; a series line is a value or time,value");
    const std::string_view value = fields.back();
    const std::optional<double> v = number(value);
    if (line_no == 1 && !v && !is_missing(value)) continue;  // a header
    ATTN_CHECK(!is_missing(value), data, where, ":", line_no, ": missing value",
               value.empty() ? "" : " '" + std::string(value) + "'", " (a gap: the series needs a value at every time)");
    ATTN_CHECK(v.has_value(), data, where, ":", line_no, ": value '", std::string(value), "' is not a number");
    s.times.push_back(fields.size() == 2 ? std::string(fields[0]) : std::to_string(s.values.size()));
    s.values.push_back(*v);
    lines.push_back(line_no);
  }
  ATTN_CHECK(!s.values.empty(), data, where, ": no values (expected one value, or time,value, per line)");
  check_spacing(s, lines, where);
  return s;
}

std::string time_after(const Series& s, int64_t k) {
  const std::string& last = s.times.back();
  const auto integer = [](const std::string& label) {
    const std::optional<double> v = number(label);
    return v && std::trunc(*v) == *v && std::abs(*v) < 1e15 ? std::optional<int64_t>(static_cast<int64_t>(*v))
                                                             : std::nullopt;
  };
  const std::optional<int64_t> end = integer(last);
  const std::optional<int64_t> before = s.times.size() >= 2 ? integer(s.times[s.times.size() - 2]) : end;
  if (!end || !before) return last + "+" + std::to_string(k);
  const int64_t step = s.times.size() >= 2 ? *end - *before : 1;
  return std::to_string(*end + k * step);
}

void split_by_share(Series& s) {
  const int64_t n = static_cast<int64_t>(s.values.size());
  const int64_t held_out = std::max<int64_t>(1, n * 15 / 100);
  s.valid_end = std::max<int64_t>(0, n - held_out);
  s.train_end = std::max<int64_t>(0, s.valid_end - held_out);
  s.tests = {{"", n}};
}

void check_series_length(const Series& s, int64_t context, int64_t horizon) {
  const int64_t need = context + horizon;
  ATTN_CHECK(s.train_end >= need, data, s.name, ": ", s.values.size(), " values leave ", s.train_end,
             " for training, too short for context ", context, " + horizon ", horizon, " (needs at least ", need,
             " training values)");
  const auto check_span = [&](const char* what, int64_t begin, int64_t end) {
    ATTN_CHECK(end - begin >= horizon, data, s.name, ": the ", what, " span holds ", end - begin,
               " values, too short for horizon ", horizon);
  };
  check_span("validation", s.train_end, s.valid_end);
  for (const TestSpan& t : s.tests) check_span("test", s.valid_end, t.end);
}

namespace {
// A registry series from its manifest and a reader of the files it names; `where` prefixes the
// files' names in messages, `fix` says what to do about a checksum mismatch.
Series series_from_manifest(const DatasetInfo& info, const std::string& where,
                            const std::function<std::string(const std::string&)>& read_file, const std::string& fix) {
  const nlohmann::json manifest = parse_manifest(read_file("manifest.json"), where + "manifest.json");
  try {
    const nlohmann::json& entry = manifest.at("files").at("series");
    const std::string path = entry.at("path").get<std::string>(), bytes = read_file(path);
    const std::string expected = entry.at("sha256").get<std::string>(), actual = sha256_hex(bytes);
    ATTN_CHECK(actual == expected, data, where, path, " has sha256 ", actual, " but manifest.json says ", expected,
               " (", fix, ")");
    Series s = parse_series_csv(bytes, where + path);
    s.name = info.name;
    const nlohmann::json& split = manifest.at("split");
    s.train_end = index_of(s, split.at("train_last").get<std::string>(), where + "manifest.json") + 1;
    s.valid_end = index_of(s, split.at("valid_last").get<std::string>(), where + "manifest.json") + 1;
    for (const nlohmann::json& t : split.at("test"))
      s.tests.push_back({t.at("suffix").get<std::string>(),
                         index_of(s, t.at("last").get<std::string>(), where + "manifest.json") + 1});
    return s;
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(data, where, "manifest.json: expected {files.series.{path, sha256}, split.{train_last, valid_last, "
              "test[{suffix, last}]}}: ", json_error_message(e));
  }
}
}  // namespace

Series load_series(std::string_view dataset, const std::string& file, const std::string& data_root) {
  if (!file.empty()) {
    Series s = parse_series_csv(read_dataset_file(file), file);
    split_by_share(s);
    return s;
  }
  const DatasetInfo& info = find_dataset(dataset);
  ATTN_CHECK(info.task == "forecast", config, "dataset ", info.name, " is a ", info.task, " dataset; use task=",
             info.task, " or a forecast dataset");
  if (info.embedded) {
    const EmbeddedSample& sample = embedded_sample(info.name);
    return series_from_manifest(
        info, "embedded " + info.name + "/",
        [&](const std::string& path) { return std::string(sample.file(path)); },
        "the binary was built from modified datasets/" + info.name + " files");
  }
  const PreparedDir dir = prepared_dir(info, data_root);
  return series_from_manifest(info, dir.where, dir.read, "corrupt or modified; " + dir.fix);
}

}  // namespace attn::data
