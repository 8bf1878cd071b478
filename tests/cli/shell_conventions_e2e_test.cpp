// End-to-end: the shell conventions of attend/visualize ('-' for stdin and stdout,
// the output format following --out or a contradiction refused) and the wording of
// errors (the subcommand's --help, a missing argument named, the layers listed).
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "support/run_attn.h"
#include "support/tiny_run.h"

using attn::testing::one_line;
using attn::testing::read_text;
using attn::testing::run_attn;
using attn::testing::temp_dir;
using attn::testing::tiny_run;
namespace fs = std::filesystem;

namespace {
int svg_count(const std::string& dir) {
  int n = 0;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".svg";
  return n;
}
}  // namespace

TEST_CASE("shell: attn attend --out - piped into attn visualize - renders the page") {
  const std::string dir = temp_dir("shell-pipe");
  const std::string run = tiny_run(dir + "/run");
  auto json = run_attn({"attend", run, "--input", "ab", "--out", "-"});
  REQUIRE(json.exit_code == 0);
  auto page = run_attn({"visualize", "-", "--out", dir + "/a.html"}, json.out);
  INFO(page.err);
  REQUIRE(page.exit_code == 0);
  const std::string html = read_text(dir + "/a.html");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("cross_attn") != std::string::npos);
  // No --out from stdin: the page goes to stdout, the same bytes.
  auto to_stdout = run_attn({"visualize", "-"}, json.out);
  CHECK(to_stdout.exit_code == 0);
  CHECK(to_stdout.out == html);
  // From stdin as SVGs: a directory is needed.
  auto svgs = run_attn({"visualize", "-", "--format", "svg", "--out", dir + "/svgs"}, json.out);
  CHECK(svgs.exit_code == 0);
  CHECK(svg_count(dir + "/svgs") == 6);  // 3 layers x 2 heads
  auto no_dir = run_attn({"visualize", "-", "--format", "svg"}, json.out);
  CHECK(no_dir.exit_code == 2);
  CHECK(one_line(no_dir.err));
  // Not attention JSON on stdin, and '-' mixed with runs.
  auto not_attention = run_attn({"visualize", "-"}, "{\"schema\": \"other\"}");
  CHECK(not_attention.exit_code == 5);
  CHECK(not_attention.err.find("stdin: not attention JSON") != std::string::npos);
  auto mixed = run_attn({"visualize", "-", run});
  CHECK(mixed.exit_code == 2);
  CHECK(one_line(mixed.err));
}

TEST_CASE("shell: --out - writes to stdout or is refused where a directory is written, never a directory named '-'") {
  const std::string dir = temp_dir("shell-dash");
  const std::string run = tiny_run(dir + "/run");
  REQUIRE(run_attn({"attend", run, "--input", "ab", "--out", dir + "/att.json"}).exit_code == 0);
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  auto svg = run_attn({"visualize", dir + "/att.json", "--format", "svg", "--out", "-"});
  fs::current_path(cwd);
  CHECK(svg.exit_code == 2);
  CHECK(one_line(svg.err));
  CHECK(svg.err.find("--out DIR") != std::string::npos);
  CHECK(!fs::exists(dir + "/-"));
  auto curves = run_attn({"visualize", run, "--out", "-"});
  CHECK(curves.exit_code == 0);
  CHECK(curves.out.rfind("<svg", 0) == 0);
}

TEST_CASE("shell: the output format follows --out, and a contradiction is refused") {
  const std::string dir = temp_dir("shell-format");
  const std::string run = tiny_run(dir + "/run");
  const std::string att = dir + "/att.json";
  REQUIRE(run_attn({"attend", run, "--input", "ab", "--out", att}).exit_code == 0);
  // A trailing slash or an existing directory means SVGs.
  auto to_dir = run_attn({"visualize", att, "--out", dir + "/heat/"});
  INFO(to_dir.err);
  CHECK(to_dir.exit_code == 0);
  CHECK(svg_count(dir + "/heat") == 6);
  CHECK(to_dir.err.find("wrote 6 SVG heatmaps") != std::string::npos);
  auto page = run_attn({"visualize", att, "--out", dir + "/page.html"});
  CHECK(page.exit_code == 0);
  CHECK(read_text(dir + "/page.html").rfind("<!DOCTYPE html>", 0) == 0);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"visualize", att, "--out", dir + "/foo.svg"},                        // HTML into .svg
           {"visualize", att, "--format", "html", "--out", dir + "/heat/"},      // a page into a directory
           {"visualize", att, "--format", "svg", "--out", dir + "/x.html"},      // SVGs into .html
           {"visualize", run, "--out", dir + "/curves.html"},                    // curves are SVG
           {"visualize", run, "--format", "html", "--out", dir + "/curves.svg"}}) {
    auto r = run_attn(args);
    INFO(args[2] << " " << args.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
  }
  CHECK(!fs::exists(dir + "/foo.svg"));
  CHECK(!fs::exists(dir + "/x.html"));
  CHECK(!fs::exists(dir + "/curves.html"));
}

TEST_CASE("errors: a subcommand's usage errors point to its own --help, and a missing argument is named") {
  auto eval = run_attn({"eval"});
  CHECK(eval.exit_code == 2);
  CHECK(one_line(eval.err));
  CHECK(eval.err.find("missing argument 'run' (run directory)") != std::string::npos);
  CHECK(eval.err.find("(see attn eval --help)") != std::string::npos);
  auto bench = run_attn({"bench", "attention", "--repeats", "0"});
  CHECK(bench.exit_code == 2);
  CHECK(bench.err.find("(see attn bench attention --help)") != std::string::npos);
  auto top = run_attn({"frob"});
  CHECK(top.err.find("(see attn --help)") != std::string::npos);
}

TEST_CASE("errors: --layer that matches nothing lists the model's layers, and counts are singular for one") {
  const std::string dir = temp_dir("errors-layer");
  const std::string run = tiny_run(dir + "/run");
  auto r = run_attn({"attend", run, "--input", "ab", "--layer", "decoder.attention", "--out", "-"});
  CHECK(r.exit_code == 2);
  CHECK(one_line(r.err));
  CHECK(r.err.find("(its layers: encoder.layers.0.self_attn, decoder.layers.0.self_attn, decoder.layers.0.cross_attn)") !=
        std::string::npos);
  auto one = run_attn({"attend", run, "--input", "ab", "--out", dir + "/a.json"});
  CHECK(one.err.find("(1 input)") != std::string::npos);
}

TEST_CASE("help: bool keys read '--x, --no-x (default v)' without CLI11 clutter, and --no-x still works") {
  auto help = run_attn({"train", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--tie-embeddings, --no-tie-embeddings (default false)") != std::string::npos);
  CHECK(help.out.find("{false}") == std::string::npos);
  const std::string dir = temp_dir("help-bool");
  std::vector<std::string> args = attn::testing::tiny_train_args(dir + "/run");
  args.insert(args.end(), {"--no-scale-embeddings", "--json"});
  auto r = run_attn(args);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"scale_embeddings\": false") != std::string::npos);
}

TEST_CASE("report: keys that have no effect on a run (Transformer keys of an RNN) show '-'") {
  const std::string dir = temp_dir("report-scope");
  const std::string transformer = tiny_run(dir + "/transformer");
  std::vector<std::string> rnn_args = attn::testing::tiny_train_args(dir + "/rnn");
  for (const char* drop : {"--heads", "--ff-width", "--width", "--enc-layers", "--dec-layers"}) {
    auto at = std::find(rnn_args.begin(), rnn_args.end(), drop);
    rnn_args.erase(at, at + 2);
  }
  rnn_args.insert(rnn_args.end(), {"--arch", "rnn", "--rnn-hidden", "16", "--embed-width", "8"});
  auto rnn = run_attn(rnn_args);
  INFO(rnn.err);
  REQUIRE(rnn.exit_code == 0);
  auto r = run_attn({"report", transformer, dir + "/rnn", "--format", "csv"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // CSV lines split into fields (no quoted commas in these cells).
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
    rows.push_back(fields);
  }
  REQUIRE(rows.size() == 3);
  auto column = [&](const std::string& name) {
    const auto at = std::find(rows[0].begin(), rows[0].end(), name);
    return at == rows[0].end() ? -1 : static_cast<int>(at - rows[0].begin());
  };
  auto cell = [&](int row, int col) { return rows[row].at(col); };
  const int width = column("width"), cell_kind = column("rnn_cell");
  REQUIRE(width >= 0);
  REQUIRE(cell_kind >= 0);
  CHECK(cell(1, width) == "16");
  CHECK(cell(2, width) == "-");
  CHECK(cell(1, cell_kind) == "-");
  CHECK(cell(2, cell_kind) == "lstm");
}
