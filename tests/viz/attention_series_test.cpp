// Forecast items and runs: the reader's "series" field, what each map lays over the context
// (series_overlay.h), the series SVG figure, the page data of the series view, and the forecast
// run figure (forecast_plot.h); on a hand-made 4-step window.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "viz/attention_html.h"
#include "viz/attention_json.h"
#include "viz/attention_series_svg.h"
#include "viz/colormap.h"
#include "viz/forecast_plot.h"
#include "viz/series_overlay.h"
#include "viz/viz_test_support.h"

using namespace attn::viz;
using namespace attn::viz::testing;
using nlohmann::json;

namespace {

// Four past years and one forecast: a causal encoder layer of 2 heads (row 1920, the last, puts
// 0.7 on 1919 in head 0) and a pooling map with 0.5 on 1918.
json series_doc() {
  const json times = {"1917", "1918", "1919", "1920"};
  return {{"schema", "attn.attention/2"},
          {"model", {{"causal", true}}},
          {"task", "forecast"},
          {"items",
           {{{"index", 0},
             {"source", "1921"},
             {"source_tokens", times},
             {"output_tokens", {"80.5"}},
             {"output", "80.5"},
             {"series",
              {{"times", times}, {"values", {100, 60, 40, 20}}, {"target_times", {"1921"}}, {"forecast", {80.5}},
               {"truth", {nullptr}}}},
             {"layers",
              {{{"name", "encoder.layers.0.self_attn"}, {"kind", "encoder_self"}, {"layer", 0}, {"query_tokens", times},
                {"key_tokens", times},
                {"heads",
                 {{{1, 0, 0, 0}, {0.5, 0.5, 0, 0}, {0.2, 0.3, 0.5, 0}, {0.1, 0.1, 0.7, 0.1}},
                  {{1, 0, 0, 0}, {0.5, 0.5, 0, 0}, {0.2, 0.3, 0.5, 0}, {0.25, 0.25, 0.25, 0.25}}}}},
               {{"name", "pool.attn"}, {"kind", "pooling"}, {"layer", 0}, {"query_tokens", {"<pool>"}},
                {"key_tokens", times}, {"heads", {{{0.2, 0.5, nullptr, 0.3}}}}}}}}}}};
}

// Band i's fill-opacity in the figure.
double band_opacity(const std::string& svg, int i) {
  size_t at = 0;
  for (int b = 0; b <= i; ++b) at = svg.find("<rect class=\"band\"", at + 1);
  REQUIRE(at != std::string::npos);
  const size_t v = svg.find("fill-opacity=\"", at) + 14;
  return std::stod(svg.substr(v, svg.find('"', v) - v));
}

}  // namespace

TEST_CASE("series: the reader keeps the window, the forecast and a null truth as NaN") {
  const AttentionDump dump = parse_attention(series_doc());
  REQUIRE(dump.items[0].series);
  const ItemSeries& s = *dump.items[0].series;
  CHECK(s.values == std::vector<double>{100, 60, 40, 20});
  CHECK(s.forecast == std::vector<double>{80.5});
  CHECK(std::isnan(s.truth[0]));

  json bad = series_doc();
  bad["items"][0]["series"]["values"] = {1, 2, 3};
  CHECK_THAT(error_message(bad), Catch::Contains("items[0].series.values must be an array of 4 numbers, got 3"));
  bad = series_doc();
  bad["items"][0]["series"]["values"][2] = nullptr;
  CHECK_THAT(error_message(bad), Catch::Contains("items[0].series.values[2] must be a number, got null"));
  bad = series_doc();
  bad["items"][0]["series"]["forecast"] = json::array();
  CHECK_THAT(error_message(bad), Catch::Contains("items[0].series.forecast must be an array of 1 numbers, got 0"));
}

TEST_CASE("series overlay: pooling's one row, a self-attention map's last step by default, any row on request") {
  const AttentionItem item = parse_attention(series_doc()).items[0];
  CHECK(default_series_layer(item) == 1);  // the pooling map
  const AttentionLayer& encoder = item.layers[0];
  CHECK(covers_series(encoder, *item.series));
  CHECK(default_series_row(encoder) == 3);
  const SeriesOverlay last = series_overlay(encoder, 0, 3);
  CHECK(last.weights == std::vector<double>{0.1, 0.1, 0.7, 0.1});
  CHECK(last.about == "row 1920 (last step)");
  CHECK(series_overlay(encoder, 1, 1).about == "row 1918");
  CHECK(series_overlay(item.layers[1], 0, 0).about == "pooling weights");
  CHECK_THROWS_AS(series_overlay(encoder, 2, 0), attn::Error);
  CHECK_THROWS_AS(series_overlay(encoder, 0, 4), attn::Error);

  AttentionItem no_pool = item;
  no_pool.layers.pop_back();
  CHECK(default_series_layer(no_pool) == 0);
  AttentionItem other = item;
  other.layers[0].key_tokens[0] = "1916";
  other.layers.pop_back();
  CHECK(default_series_layer(other) == -1);
}

TEST_CASE("series figure: a band per past step, shaded by its weight relative to the row's largest") {
  const AttentionItem item = parse_attention(series_doc()).items[0];
  const std::string svg = render_series_svg(item, 0, 0);  // row 1920: 0.1 0.1 0.7 0.1
  CHECK(count(svg, "<rect class=\"band\"") == 4);
  CHECK(band_opacity(svg, 2) == Approx(kOverlayOpacity));
  CHECK(band_opacity(svg, 0) == Approx(kOverlayOpacity * 0.1 / 0.7).epsilon(1e-4));
  CHECK(count(svg, "<circle class=\"forecast\"") == 1);
  CHECK(count(svg, "<circle class=\"truth\"") == 0);  // unknown: past the series' end
  CHECK(svg.find("1919: value 40 \xC2\xB7 weight 0.7") != std::string::npos);
  CHECK(svg.find(">row 1920 (last step)<") != std::string::npos);
  CHECK(svg.find("class=\"bar-max\"") != std::string::npos);

  const std::string pooled = render_series_svg(item, 1, 0);  // 0.2 0.5 null 0.3
  CHECK(band_opacity(pooled, 1) == Approx(kOverlayOpacity));
  CHECK(band_opacity(pooled, 2) == 0.0);
  CHECK(pooled.find("1919: value 40 \xC2\xB7 weight missing") != std::string::npos);
  CHECK(pooled.find(">pooling weights<") != std::string::npos);

  AttentionItem hostile = item;
  hostile.series->times[1] = kHostile;
  hostile.layers[1].key_tokens[1] = kHostile;
  const std::string escaped = render_series_svg(hostile, 1, 0);
  CHECK(escaped.find(kHostile) == std::string::npos);
  CHECK(escaped.find("&lt;script&gt;alert(1)&lt;/script&gt;: value 60") != std::string::npos);

  CHECK_THROWS_AS(render_series_svg(item, 2, 0), attn::Error);
  CHECK_THROWS_AS(render_series_svg(hostile, 0, 0), attn::Error);  // keys are no longer the series' times
  AttentionItem plain = item;
  plain.series.reset();
  CHECK_THROWS_AS(render_series_svg(plain, 0, 0), attn::Error);
}

TEST_CASE("series page data: the figure, the opening map and what each row of a map over the context shows") {
  const std::string html = render_attention_html(series_doc());
  CHECK(html.find("\"series_layer\":1") != std::string::npos);
  CHECK(html.find("\"series_row\":3") != std::string::npos);
  CHECK(html.find("\"series_about\":[\"row 1917\",\"row 1918\",\"row 1919\",\"row 1920 (last step)\"]") !=
        std::string::npos);
  CHECK(html.find("\"series_svg\":\"\\u003csvg") != std::string::npos);
  CHECK(html.find("\"truth\":[null]") != std::string::npos);
  CHECK(count(html, "id=\"series-view\"") == 1);
}

TEST_CASE("forecast run figure: one row per time, the first step of each forecast, baselines with their MSE") {
  const std::string tsv =
      "time\treference\tprediction\tnaive\tar\n"
      "1921\t26.1 14.2\t30 20\t24.1 24.1\t28 21\n"
      "1922\t14.2 5.8\t16 9\t26.1 26.1\t18 10\n"
      "1921\t26.1 14.2\t30 20\t24.1 24.1\t28 21\n";  // a second test span repeats its start
  ForecastRun run = forecast_run_from_tsv(tsv, "eval/test-best.tsv");
  CHECK(run.times == std::vector<std::string>{"1921", "1922"});
  CHECK(run.truth == std::vector<double>{26.1, 14.2});
  REQUIRE(run.methods.size() == 3);
  CHECK(run.methods[0].name == "model");
  CHECK(run.methods[0].values == std::vector<double>{30, 16});
  CHECK(run.methods[2].name == "ar");
  run.label = kHostile;
  run.methods[0].mse = 12.5;
  run.span = "1921 \xE2\x80\x93 1922";
  const std::string svg = render_forecast_svg(run);
  CHECK(count(svg, "<path class=\"curve\"") == 4);  // truth, model, naive, AR
  CHECK(svg.find("model  MSE 12.5") != std::string::npos);
  CHECK(svg.find("naive (last value)<") != std::string::npos);
  CHECK(svg.find(kHostile) == std::string::npos);

  const auto data_error = [](const std::string& text) {
    try {
      forecast_run_from_tsv(text, "f.tsv");
    } catch (const attn::Error& e) {
      CHECK(e.kind() == attn::ErrorKind::data);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(data_error("source\treference\thypothesis\n"), Catch::Contains("f.tsv:1: not a forecast predictions file"));
  CHECK_THAT(data_error("time\treference\tprediction\n1921\tx\t3\n"), Catch::Contains("f.tsv:2: 'x' is not a number"));
  CHECK_THAT(data_error("time\treference\tprediction\n1921\t3\n"), Catch::Contains("f.tsv:2: 2 fields, the header has 3"));
  CHECK_THAT(data_error("time\treference\tprediction\n"), Catch::Contains("no forecasts"));
}
