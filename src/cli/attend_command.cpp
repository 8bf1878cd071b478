#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/error.h"
#include "base/worker_threads.h"
#include "base/regular_file.h"
#include "cli/commands.h"
#include "cli/precision_option.h"
#include "data/types.h"
#include "experiment/atomic_file.h"
#include "experiment/attend.h"

namespace attn::cli {

namespace {
struct AttendFlags {
  std::string run, checkpoint = "best", input_file, split, layer, reduce, out;
  std::vector<std::string> inputs;
  std::vector<std::string> indices;  // "3" or an inclusive range "0-11"
  int64_t head = -1, beam = 1;
  int threads = 0;
  std::string precision = "fp32";
};

// Before the run is loaded: flags that only make sense together.
void check_flags(const AttendFlags& f) {
  ATTN_CHECK(f.split.empty() || !f.indices.empty(), usage, "--split needs --index (e.g. --index 3,7)");
  ATTN_CHECK(!f.indices.empty() == !f.split.empty(), usage, "--index needs --split (the split it picks examples from)");
}

// --index 3,7,10-12 -> 3 7 10 11 12, each checked against the split's `size` examples.
std::vector<int64_t> expand_indices(const std::vector<std::string>& specs, size_t size, const std::string& split) {
  std::vector<int64_t> indices;
  for (const std::string& spec : specs) {
    int64_t first = -1, last = -1;
    const char *begin = spec.data(), *end = begin + spec.size();
    std::from_chars_result read = std::from_chars(begin, end, first);
    if (read.ec == std::errc() && read.ptr != end && *read.ptr == '-') read = std::from_chars(read.ptr + 1, end, last);
    else last = first;
    ATTN_CHECK(read.ec == std::errc() && read.ptr == end && first >= 0 && last >= first, usage, "--index ", spec,
               ": expected an index or a range FIRST-LAST (e.g. --index 3,7 or --index 0-11)");
    ATTN_CHECK(last < static_cast<int64_t>(size), usage, "--index ", last, " is outside the ", split, " split (", size,
               " examples)");
    for (int64_t i = first; i <= last; ++i) indices.push_back(i);
  }
  return indices;
}

std::vector<tasks::AttendInput> read_inputs(const AttendFlags& f, const experiment::LoadedRun& run) {
  std::vector<tasks::AttendInput> inputs;
  for (size_t i = 0; i < f.inputs.size(); ++i) inputs.push_back({static_cast<int64_t>(i), f.inputs[i], {}});
  if (!f.input_file.empty()) {
    const std::string text = f.input_file == "-"
                                 ? read_standard_input(kMaxTextInputBytes, ErrorKind::data, "input file")
                                 : read_regular_file(f.input_file, kMaxTextInputBytes, ErrorKind::data, "input file");
    std::istringstream in(text);
    std::string line;
    for (int64_t n = 0; std::getline(in, line); ++n)
      if (!line.empty()) inputs.push_back({n, line, {}});
    ATTN_CHECK(!inputs.empty(), data, "input file '", f.input_file, "' holds no non-empty line");
  }
  if (!f.split.empty()) {
    const auto sets = run.task->eval_sets(data::split_from_name(f.split));
    const auto& pairs = sets.front().pairs;
    for (const int64_t i : expand_indices(f.indices, pairs.size(), f.split))
      inputs.push_back({i, pairs[i].src, pairs[i].tgt});
  }
  ATTN_CHECK(!inputs.empty(), usage, "give --input TEXT, --input-file FILE, or --split SPLIT --index I,J");
  return inputs;
}
}  // namespace

Command add_attend_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("attend", "Dump every layer's and head's attention weights as JSON");
  auto f = std::make_shared<AttendFlags>();
  sub->add_option("run", f->run, "run directory")->required();
  sub->add_option("--input", f->inputs, "input text: a source to translate, a text to classify (repeatable)");
  sub->add_option("--input-file", f->input_file, "one input per line ('-' = stdin)");
  sub->add_option("--split", f->split, "take inputs from this split (with --index)")
      ->check(CLI::IsMember({"train", "valid", "test"}));
  sub->add_option("--index", f->indices, "indices in --split, e.g. 3,7 or 0-11")->delimiter(',');
  sub->add_option("--checkpoint", f->checkpoint, "best | last | PATH")->capture_default_str();
  sub->add_option("--layer", f->layer, "only layers whose name contains this, e.g. decoder.layers.0.cross_attn");
  sub->add_option("--head", f->head, "only this head")->check(at_least(0));
  sub->add_option("--reduce", f->reduce, "collapse heads: mean | max")->check(CLI::IsMember({"mean", "max"}));
  sub->add_option("--beam", f->beam, "beam size for decoding (1 = greedy; seq2seq tasks)")->check(CLI::Range(1, 64));
  sub->add_option("--threads", f->threads, "worker threads (0 = all cores)")->check(CLI::Range(0, 1024));
  add_precision_option(*sub, f->precision);
  sub->add_option("--out", f->out, "output file, '-' = stdout (default: RUN/attention.json)");
  return {sub, [f]() -> int {
            if (f->threads > 0) set_worker_threads(f->threads);
            check_flags(*f);
            const kernels::PrecisionScope precision(checked_precision(f->precision));
            experiment::LoadedRun run = experiment::load_run(f->run, f->checkpoint);
            ATTN_CHECK(f->beam == 1 || run.task->decodes(), usage, "--beam has no effect: task ", run.task->name(),
                       " decodes nothing");
            experiment::AttendRequest request;
            request.inputs = read_inputs(*f, run);
            request.layer = f->layer;
            request.head = f->head;
            request.reduce = f->reduce;
            request.decode.beam = f->beam;
            if (run.config.max_decode_len > 0) request.decode.max_len = run.config.max_decode_len;
            const std::string text = experiment::attend(run, request).dump() + "\n";
            if (f->out == "-") {
              std::cout << text;
              return 0;
            }
            const std::filesystem::path out = f->out.empty() ? run.dir / "attention.json" : std::filesystem::path(f->out);
            experiment::write_file_atomic(out, text);
            std::fprintf(stderr, "wrote %s (%s)\n", out.c_str(),
                         plural(static_cast<int64_t>(request.inputs.size()), "input").c_str());
            return 0;
          }};
}

}  // namespace attn::cli
