// Time series for the forecast task: a CSV reader, the split of a series into training,
// validation and test spans, and the series datasets of the registry.
//   CSV: one value per line, or "time,value" per line; fields may be double-quoted; a first
//   line whose value field is not a number is a header. Times are labels ("1700",
//   "2001-01-05"); when every time is an integer they must be evenly spaced.
//   Errors, one line naming the file and line (data): a value that is not a number, a
//   missing value or a time gap ("a gap"), a line with more than two fields, no values.
// Splits are spans in time, never shuffled: train [0, train_end), valid [train_end, valid_end)
// (the end of the fitting span), and one or more test spans [valid_end, end) that share
// their start (sunspots: 1921-1955 and 1921-1987). A series file (not a registry dataset)
// is split 70 / 15 / 15 % in time order.
// What this file does not do: scaling and windows (tasks/forecast_task.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::data {

struct TestSpan {
  std::string suffix;  // appended to the metric names of this span ("" for a single span)
  int64_t end = 0;     // exclusive index into Series::values
};

struct Series {
  std::string name;                // dataset name or file path: what messages and the record call it
  std::vector<std::string> times;  // one label per value, as written
  std::vector<double> values;
  int64_t train_end = 0, valid_end = 0;
  std::vector<TestSpan> tests;
  std::string checksum;  // sha256 of the bytes read
};

// Times and values of CSV text; `where` names the file in errors. No split is set.
Series parse_series_csv(std::string_view text, const std::string& where);

// The split of a series file: train 70 %, valid 15 %, test the rest (at least one value each).
void split_by_share(Series& series);

// A data error unless every span fits windows of `context` past values and `horizon`
// values ahead: at least one training window, and each evaluation span at least horizon long.
void check_series_length(const Series& series, int64_t context, int64_t horizon);

// The label of the time `k` steps after the series' last: evenly spaced integer times continue
// ("2008" + 2 -> "2010"); any other label gets "+k" ("2001-12-29+3").
std::string time_after(const Series& series, int64_t k);

// A series dataset of the registry (corpus.h; "sunspots" is embedded, "co2" is prepared under
// `data_root` (empty = default_data_root()): a data error naming its prepare command when it is not), verified against
// its manifest.json, split as the manifest says; or, with a non-empty `file`, that CSV file
// split by share (name = the path).
Series load_series(std::string_view dataset, const std::string& file, const std::string& data_root = "");

}  // namespace attn::data
