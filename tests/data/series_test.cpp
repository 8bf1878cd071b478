#include <catch2/catch.hpp>

#include "data/series.h"
#include "support/error_text.h"

using namespace attn;
using namespace attn::data;
using attn::testing::error_text;

namespace {
std::string parse_error(const std::string& text) {
  return error_text([&] { parse_series_csv(text, "s.csv"); }, ErrorKind::data);
}
}  // namespace

TEST_CASE("series csv: time,value with a header, quoted fields, CRLF and blank lines") {
  const Series s = parse_series_csv("\"YEAR\",\"V\"\r\n1700,5\r\n\n1701, 11.5\n\"1702\",\"-3e1\"\n", "s.csv");
  CHECK(s.times == std::vector<std::string>{"1700", "1701", "1702"});
  CHECK(s.values == std::vector<double>{5.0, 11.5, -30.0});
  CHECK(s.name == "s.csv");
  CHECK(s.checksum.size() == 64);
}

TEST_CASE("series csv: one value per line numbers the times") {
  const Series s = parse_series_csv("1\n2\n4\n", "s.csv");
  CHECK(s.times == std::vector<std::string>{"0", "1", "2"});
  CHECK(s.values == std::vector<double>{1, 2, 4});
}

TEST_CASE("series csv: bad values, gaps and shapes are one-line data errors naming file and line") {
  CHECK(parse_error("t,v\n1,2\n2,abc\n") == "s.csv:3: value 'abc' is not a number");
  CHECK(parse_error("1,2\n2,\n") == "s.csv:2: missing value (a gap: the series needs a value at every time)");
  CHECK(parse_error("1,2\n2,NA\n") == "s.csv:2: missing value 'NA' (a gap: the series needs a value at every time)");
  CHECK(parse_error("1,2\n2,inf\n") == "s.csv:2: value 'inf' is not a number");
  CHECK(parse_error("1700,2\n1701,3\n1703,4\n") ==
        "s.csv:3: time 1703 follows 1701 (a gap: the series needs evenly spaced times, here every 1)");
  CHECK(parse_error("1,2,3\n") == "s.csv:1: 3 fields; a series line is a value or time,value");
  CHECK(parse_error("t,v\n\n") == "s.csv: no values (expected one value, or time,value, per line)");
  // Labels that are not integers (dates) are taken as they are.
  CHECK(parse_series_csv("2001-01-05,1\n2001-01-19,2\n", "s.csv").values.size() == 2);
}

TEST_CASE("series split by share and the length check against context + horizon") {
  Series s = parse_series_csv("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n", "s.csv");
  split_by_share(s);
  CHECK(s.train_end == 14);
  CHECK(s.valid_end == 17);
  REQUIRE(s.tests.size() == 1);
  CHECK(s.tests[0].end == 20);
  check_series_length(s, 10, 3);
  CHECK(error_text([&] { check_series_length(s, 12, 3); }, ErrorKind::data) ==
        "s.csv: 20 values leave 14 for training, too short for context 12 + horizon 3 (needs at least 15 training "
        "values)");
  CHECK(error_text([&] { check_series_length(s, 4, 4); }, ErrorKind::data) ==
        "s.csv: the validation span holds 3 values, too short for horizon 4");
}

TEST_CASE("the embedded sunspots: 309 yearly values 1700-2008, the classic split") {
  const Series s = load_series("sunspots", "");
  REQUIRE(s.values.size() == 309);
  CHECK(s.times.front() == "1700");
  CHECK(s.times.back() == "2008");
  CHECK(s.values.front() == 5.0);
  CHECK(s.values.back() == 2.9);
  CHECK(s.times[s.train_end - 1] == "1900");
  CHECK(s.times[s.valid_end] == "1921");
  REQUIRE(s.tests.size() == 2);
  CHECK(s.tests[0].suffix == "_1955");
  CHECK(s.times[s.tests[0].end - 1] == "1955");
  CHECK(s.tests[1].suffix == "_1987");
  CHECK(s.times[s.tests[1].end - 1] == "1987");
  CHECK(error_text([] { load_series("spam-sample", ""); }, ErrorKind::config).find("is a classify dataset") !=
        std::string::npos);
}
