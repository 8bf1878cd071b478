#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/attention_schema.h"
#include "base/error.h"
#include "cli/commands.h"
#include "experiment/atomic_file.h"
#include "experiment/json_file.h"
#include "experiment/run_record.h"
#include "viz/attention_html.h"
#include "viz/attention_json.h"
#include "viz/attention_svg.h"
#include "viz/attention_text_svg.h"
#include "viz/learning_curves.h"

namespace attn::cli {

namespace fs = std::filesystem;

namespace {
struct VisualizeFlags {
  std::vector<std::string> inputs;
  std::string format = "html", out, metric;
};

void write_output(const std::string& out, const std::string& text) {
  if (out == "-") std::cout << text;
  else experiment::write_file_atomic(out, text), std::fprintf(stderr, "wrote %s\n", out.c_str());
}

// Any version of the attention JSON: one this build does not read gets the reader's error
// naming the versions it does read, not "neither attention JSON nor a run".
bool is_attention_file(const fs::path& p) {
  if (!fs::is_regular_file(p) || p.filename() == "record.json") return false;
  return experiment::read_json_file(p, ErrorKind::data, [](const experiment::Json& doc) {
    return doc.is_object() && doc.value("schema", "").starts_with(kAttentionSchemaPrefix);
  });
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

int render_attention(const VisualizeFlags& f, const fs::path& in, const nlohmann::json& doc) {
  if (f.format == "html") {
    write_output(f.out.empty() ? fs::path(in).replace_extension(".html").string() : f.out,
                 viz::render_attention_html(doc));
    return 0;
  }
  const viz::AttentionDump dump = viz::parse_attention(doc);
  const fs::path dir = f.out.empty() ? fs::path(fs::path(in).replace_extension("").string() + "-svg") : fs::path(f.out);
  fs::create_directories(dir);
  int64_t heatmaps = 0, texts = 0;
  for (size_t i = 0; i < dump.items.size(); ++i)
    for (size_t l = 0; l < dump.items[i].layers.size(); ++l)
      for (int64_t h = 0; h < dump.items[i].layers[l].heads; ++h) {
        const viz::AttentionItem& item = dump.items[i];
        const std::string stem = viz::heatmap_file_stem(item, item.layers[l], h);
        experiment::write_file_atomic(dir / (stem + ".svg"), viz::render_attention_svg(doc, i, l, h));
        ++heatmaps;
        if (item.layers[l].kind != viz::kPoolingKind) continue;
        experiment::write_file_atomic(dir / (stem + "-text.svg"), viz::render_text_svg(item, l, h));
        ++texts;
      }
  std::fprintf(stderr, "wrote %lld SVG heatmaps", static_cast<long long>(heatmaps));
  if (texts) std::fprintf(stderr, " and %lld shaded-text figures", static_cast<long long>(texts));
  std::fprintf(stderr, " to %s\n", dir.c_str());
  return 0;
}

int render_attention(const VisualizeFlags& f) {
  ATTN_CHECK(f.inputs.size() == 1, usage, "attention JSON is rendered one file at a time");
  const fs::path in = f.inputs[0];
  // is_attention_file parsed it; what can still fail is a layer or weight of the wrong JSON type.
  try {
    return render_attention(f, in, nlohmann::json::parse(experiment::read_file(in)));
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(data, in.string(), ": ", experiment::json_error_message(e));
  }
}

}  // namespace

Command add_visualize_command(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("visualize", "Render attention JSON as HTML/SVG heatmaps, or run records as learning curves");
  auto f = std::make_shared<VisualizeFlags>();
  sub->add_option("inputs", f->inputs, "attention JSON from attn attend, or run / sweep directories")->required();
  sub->add_option("--format", f->format, "attention: html (one page) | svg (one file per head; a classifier's pooling heads also as shaded text)")
      ->check(CLI::IsMember({"html", "svg"}))
      ->capture_default_str();
  sub->add_option("--out", f->out, "output file or directory, '-' = stdout (html)");
  sub->add_option("--metric", f->metric, "learning curves: the validation metric to plot (default: the runs' best metric)");
  return {sub, [f]() -> int {
            for (const std::string& in : f->inputs)
              ATTN_CHECK(fs::exists(in), io, "no such file or directory: '", in, "'");
            if (is_attention_file(f->inputs[0])) return render_attention(*f);
            std::vector<viz::RunCurves> runs;
            for (const std::string& in : f->inputs)
              for (const fs::path& dir : run_dirs(in)) {
                experiment::load_record(dir);  // a malformed record.json: the same error and exit code as eval's
                runs.push_back(viz::load_run_curves(dir));
              }
            viz::LearningCurveOptions options;
            options.metric = f->metric.empty() ? viz::default_curve_metric(runs) : f->metric;
            write_output(f->out.empty() ? "learning_curves.svg" : f->out, viz::render_learning_curves_svg(runs, options));
            return 0;
          }};
}

}  // namespace attn::cli
