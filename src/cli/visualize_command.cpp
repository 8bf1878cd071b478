#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <iostream>

#include "base/attention_schema.h"
#include "base/error.h"
#include "base/regular_file.h"
#include "cli/commands.h"
#include "base/json_parse.h"
#include "experiment/atomic_file.h"
#include "experiment/json_file.h"
#include "experiment/run_record.h"
#include "viz/attention_html.h"
#include "viz/attention_image_svg.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_series_svg.h"
#include "viz/attention_text_svg.h"
#include "viz/forecast_plot.h"
#include "viz/image_overlay.h"
#include "viz/learning_curves.h"
#include "viz/series_overlay.h"

namespace attn::cli {

namespace fs = std::filesystem;

namespace {
struct VisualizeFlags {
  std::vector<std::string> inputs;
  std::string format = "html", out, metric;
  bool format_given = false, curves = false;
};

void write_output(const std::string& out, const std::string& text) {
  if (out == "-") std::cout << text << std::flush;
  else experiment::write_file_atomic(out, text), std::fprintf(stderr, "wrote %s\n", out.c_str());
}

bool is_attention_doc(const nlohmann::json& doc) {
  return doc.is_object() && doc.value("schema", "").starts_with(kAttentionSchemaPrefix);
}

// Any version of the attention JSON: one this build does not read gets the reader's error
// naming the versions it does read, not "neither attention JSON nor a run".
bool is_attention_file(const fs::path& p) {
  if (!fs::is_regular_file(p) || p.filename() == "record.json") return false;
  return experiment::read_json_file(p, ErrorKind::data, [](const experiment::Json& doc) { return is_attention_doc(doc); });
}

// A run directory, a record.json, or a sweep directory holding runs.
std::vector<fs::path> run_dirs(const fs::path& p) {
  if (p.filename() == "record.json") return {p.parent_path()};
  ATTN_CHECK(fs::is_directory(p), io, "'", p.string(), "' is neither attention JSON nor a run or sweep directory");
  if (fs::exists(p / "record.json")) return {p};
  std::vector<fs::path> runs;
  for (const auto& entry : fs::directory_iterator(p))
    if (entry.is_directory() && fs::exists(entry.path() / "record.json")) runs.push_back(entry.path());
  std::sort(runs.begin(), runs.end());
  ATTN_CHECK(!runs.empty(), io, "'", p.string(), "' holds no run (no record.json in it or its subdirectories)");
  return runs;
}

bool ends_with(const std::string& s, const std::string& tail) { return s.size() >= tail.size() && s.ends_with(tail); }

// Attention renders as one HTML page or a directory of SVGs: the format follows --format,
// else --out (NAME.html a page, DIR/ or an existing directory SVGs); a contradiction is refused
// rather than writing HTML into a .svg file.
std::string attention_format(const VisualizeFlags& f) {
  const std::string& out = f.out;
  ATTN_CHECK(!ends_with(out, ".svg"), usage, "--out ", out, ": attention renders as one HTML page (--out NAME.html) ",
             "or a directory of SVGs, one per head (--format svg --out DIR)");
  std::string inferred;
  if (ends_with(out, ".html") || ends_with(out, ".htm")) inferred = "html";
  else if (!out.empty() && (out.back() == '/' || fs::is_directory(out))) inferred = "svg";
  if (!f.format_given) return inferred.empty() ? f.format : inferred;
  ATTN_CHECK(inferred.empty() || inferred == f.format, usage, "--format ", f.format, " contradicts --out ", out,
             inferred == "html" ? " (a single page: --format html)" : " (a directory: --format svg)");
  return f.format;
}

// Per head: its heatmap; for a pooling head its shaded text as well, for a map over an image
// item's patches the picture with the map laid over it instead (its tokens are patch names), and
// for a map over a forecast item's context the series shaded by it instead (its tokens are times).
int render_attention_svgs(const fs::path& dir, const nlohmann::json& doc) {
  const viz::AttentionDump dump = viz::parse_attention(doc);
  fs::create_directories(dir);
  int64_t heatmaps = 0, texts = 0, pictures = 0, series = 0;
  for (size_t i = 0; i < dump.items.size(); ++i)
    for (size_t l = 0; l < dump.items[i].layers.size(); ++l)
      for (int64_t h = 0; h < dump.items[i].layers[l].heads; ++h) {
        const viz::AttentionItem& item = dump.items[i];
        const viz::AttentionLayer& layer = item.layers[l];
        const std::string stem = viz::heatmap_file_stem(item, layer, h);
        experiment::write_file_atomic(dir / (stem + ".svg"), viz::render_attention_svg(doc, i, l, h));
        ++heatmaps;
        if (item.series && viz::covers_series(layer, *item.series)) {
          experiment::write_file_atomic(dir / (stem + "-series.svg"), viz::render_series_svg(item, l, h));
          ++series;
        } else if (item.image && viz::covers_patches(layer, *item.image)) {
          experiment::write_file_atomic(dir / (stem + "-image.svg"), viz::render_image_svg(item, l, h));
          ++pictures;
        } else if (layer.kind == viz::kPoolingKind) {
          experiment::write_file_atomic(dir / (stem + "-text.svg"), viz::render_text_svg(item, l, h));
          ++texts;
        }
      }
  std::fprintf(stderr, "wrote %s", plural(heatmaps, "SVG heatmap").c_str());
  if (texts) std::fprintf(stderr, " and %s", plural(texts, "shaded-text figure").c_str());
  if (pictures) std::fprintf(stderr, " and %s", plural(pictures, "image overlay").c_str());
  if (series) std::fprintf(stderr, " and %s", plural(series, "shaded-series figure").c_str());
  std::fprintf(stderr, " to %s\n", dir.c_str());
  return 0;
}

// `in` is the input's name ("-" for stdin), which names the default outputs.
int render_attention(const VisualizeFlags& f, const std::string& in, const nlohmann::json& doc) {
  const bool from_stdin = in == "-";
  if (attention_format(f) == "html") {
    write_output(!f.out.empty() ? f.out : from_stdin ? "-" : fs::path(in).replace_extension(".html").string(),
                 viz::render_attention_html(doc));
    return 0;
  }
  ATTN_CHECK(f.out != "-", usage, "--format svg writes a directory of SVGs, one per head, which stdout cannot hold: ",
             "give --out DIR (or --format html --out -)");
  ATTN_CHECK(!from_stdin || !f.out.empty(), usage, "--format svg from stdin needs --out DIR");
  return render_attention_svgs(f.out.empty() ? fs::path(fs::path(in).replace_extension("").string() + "-svg")
                                             : fs::path(f.out),
                               doc);
}

int render_attention(const VisualizeFlags& f) {
  ATTN_CHECK(f.inputs.size() == 1, usage, "attention JSON is rendered one file at a time");
  const std::string& in = f.inputs[0];
  // The reader checked the schema; what can still fail is a layer or weight of the wrong JSON type.
  try {
    const std::string text = in == "-" ? read_standard_input(kMaxRunFileBytes, ErrorKind::data, "attention JSON")
                                       : experiment::read_file(in, kMaxRunFileBytes, ErrorKind::data, "attention JSON");
    const nlohmann::json doc =
        parse_json_checked<nlohmann::json>(text, ErrorKind::data, in == "-" ? std::string("stdin") : in);
    ATTN_CHECK(is_attention_doc(doc), data, "stdin: not attention JSON (attn attend ... --out - writes it); ",
               "runs and sweeps are read from their directories");
    return render_attention(f, in, doc);
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(data, in == "-" ? std::string("stdin") : in, ": ", experiment::json_error_message(e));
  }
}

// Run figures are one SVG; HTML asked for in --format or --out is refused, not written as SVG.
std::string run_figure_out(const VisualizeFlags& f, const char* what, const char* default_name) {
  ATTN_CHECK(!f.format_given || f.format == "svg", usage, "--format ", f.format, ": ", what,
             " of runs are SVG only (--format svg, or leave it out)");
  ATTN_CHECK(!ends_with(f.out, ".html") && !ends_with(f.out, ".htm"), usage, "--out ", f.out, ": ", what,
             " of runs are SVG (--out NAME.svg, or '-' for stdout)");
  return f.out.empty() ? default_name : f.out;
}

// One forecast run (and no --metric or --curves): its test forecasts beside the truth and the baselines.
bool wants_forecast(const VisualizeFlags& f) {
  return !f.curves && f.metric.empty() && f.inputs.size() == 1 && fs::is_directory(f.inputs[0]) &&
         viz::is_forecast_run(f.inputs[0]);
}

}  // namespace

Command add_visualize_command(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("visualize", "Render attention JSON as HTML/SVG heatmaps, run records as learning curves, or a forecast run's forecasts");
  auto f = std::make_shared<VisualizeFlags>();
  sub->add_option("inputs", f->inputs, "attention JSON from attn attend ('-' = stdin), or run / sweep directories")
      ->required();
  CLI::Option* format =
      sub->add_option("--format", f->format,
                      "attention: html (one page) | svg (a directory, one file per head; a classifier's pooling heads "
                      "also as shaded text, an image's maps also laid over the picture); default: from --out, else "
                      "html. Learning curves: svg")
          ->check(CLI::IsMember({"html", "svg"}));
  sub->add_option("--out", f->out,
                  "output: NAME.html, DIR/ (svg), NAME.svg (learning curves) or '-' = stdout (html, learning curves)");
  sub->add_option("--metric", f->metric, "learning curves: the validation metric to plot (default: the runs' best metric)");
  sub->add_flag("--curves", f->curves,
                "a forecast run: its learning curves (without it, one forecast run draws its test forecasts beside "
                "the truth and the baselines, from attn eval's predictions)");
  sub->footer("Examples: attn visualize att.json   |   attn attend RUN --input x --out - | attn visualize - --out a.html\n"
              "          attn visualize att.json --out heatmaps/   |   attn visualize runs/a runs/b --out curves.svg\n"
              "          attn visualize runs/forecast-1 --out forecast.svg   (after attn eval runs/forecast-1)");
  return {sub, [f, format]() -> int {
            f->format_given = format->count() > 0;
            const bool from_stdin = std::find(f->inputs.begin(), f->inputs.end(), "-") != f->inputs.end();
            ATTN_CHECK(!from_stdin || f->inputs.size() == 1, usage,
                       "'-' (stdin) is one attention JSON document; runs and sweeps are read from their directories");
            for (const std::string& in : f->inputs)
              ATTN_CHECK(in == "-" || fs::exists(in), io, "no such file or directory: '", in, "'");
            if (from_stdin || is_attention_file(f->inputs[0])) return render_attention(*f);
            if (wants_forecast(*f)) {
              const std::string out = run_figure_out(*f, "forecasts", "forecast.svg");
              experiment::load_record(f->inputs[0]);  // a malformed record.json: eval's error and exit code
              write_output(out, viz::render_forecast_svg(viz::load_forecast_run(f->inputs[0])));
              return 0;
            }
            const std::string out = run_figure_out(*f, "learning curves", "learning_curves.svg");
            std::vector<viz::RunCurves> runs;
            for (const std::string& in : f->inputs)
              for (const fs::path& dir : run_dirs(in)) {
                experiment::load_record(dir);  // a malformed record.json: the same error and exit code as eval's
                runs.push_back(viz::load_run_curves(dir));
              }
            viz::LearningCurveOptions options;
            options.metric = f->metric.empty() ? viz::default_curve_metric(runs) : f->metric;
            write_output(out, viz::render_learning_curves_svg(runs, options));
            return 0;
          }};
}

}  // namespace attn::cli
