#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "base/error.h"
#include "base/worker_threads.h"
#include "cli/commands.h"
#include "cli/precision_option.h"
#include "data/types.h"
#include "experiment/evaluation.h"
#include "experiment/json_file.h"
#include "tasks/task.h"

namespace attn::cli {

namespace {
struct EvalFlags {
  std::string run, split = "test", checkpoint = "best", fail_under, mask_heads;
  int64_t beam = 1, batch_size = 64, max_len = 0;
  float length_penalty = 0.6f;
  int threads = 0;
  std::string precision = "fp32";
  bool json = false;
};

// --fail-under METRIC=VALUE, checked before any decoding so that a typo costs nothing.
struct Gate {
  std::string metric;
  double threshold = 0;
};

Gate parse_gate(const std::string& gate) {
  const auto eq = gate.find('=');
  ATTN_CHECK(eq != std::string::npos && eq > 0, usage, "--fail-under expects METRIC=VALUE, got '", gate, "'");
  Gate g{gate.substr(0, eq), 0};
  const std::string value = gate.substr(eq + 1);
  char* end = nullptr;
  g.threshold = std::strtod(value.c_str(), &end);
  ATTN_CHECK(!value.empty() && end == value.c_str() + value.size(), usage, "--fail-under: '", value,
             "' is not a number");
  // Every comparison with NaN is false: such a gate could never fail.
  ATTN_CHECK(!std::isnan(g.threshold), usage, "--fail-under: '", value, "' is not a number a metric can be compared with");
  return g;
}

void check_gate_metric(const Gate& gate, const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), gate.metric) != names.end()) return;
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  ATTN_FAIL(usage, "--fail-under: no metric '", gate.metric, "' in this evaluation (", list, ")");
}

bool lower_is_better(const std::vector<tasks::MetricInfo>& infos, const std::string& metric) {
  for (const tasks::MetricInfo& m : infos)
    if (m.name == metric) return m.lower_is_better;
  return false;
}

// A classifier's confusion matrix as an aligned table: references down, predictions across.
void print_confusion(const experiment::Json& matrix) {
  const auto labels = matrix.at("labels").get<std::vector<std::string>>();
  size_t width = 9;  // "reference"
  for (const std::string& l : labels) width = std::max(width, l.size());
  std::printf("  confusion (rows: reference, columns: prediction)\n  %-*s", static_cast<int>(width), "");
  for (const std::string& l : labels) std::printf(" %*s", static_cast<int>(width), l.c_str());
  std::printf("\n");
  for (size_t r = 0; r < labels.size(); ++r) {
    std::printf("  %-*s", static_cast<int>(width), labels[r].c_str());
    for (const auto& count : matrix.at("counts")[r]) std::printf(" %*lld", static_cast<int>(width), count.get<long long>());
    std::printf("\n");
  }
}

// Worse means above the threshold for lower-is-better metrics ("per=0.3"), below otherwise.
bool fails_gate(const Gate& gate, const std::map<std::string, double>& metrics, bool lower, std::string& why) {
  const double value = metrics.at(gate.metric);
  const bool worse = lower ? value > gate.threshold : value < gate.threshold;
  why = gate.metric + " " + std::to_string(value) + (lower ? " > " : " < ") + std::to_string(gate.threshold);
  return worse;
}
}  // namespace

// Exit code of a failed --fail-under gate (documented in the README).
constexpr int kGateFailedExitCode = 9;

Command add_eval_command(CLI::App& app) {
  CLI::App* sub = app.add_subcommand("eval", "Evaluate a trained run on its validation or test split");
  auto f = std::make_shared<EvalFlags>();
  sub->add_option("run", f->run, "run directory")->required();
  sub->add_option("--split", f->split, "valid | test")->check(CLI::IsMember({"valid", "test"}))->capture_default_str();
  sub->add_option("--checkpoint", f->checkpoint, "best | last | PATH to a .safetensors file")->capture_default_str();
  CLI::Option* beam = sub->add_option("--beam", f->beam, "seq2seq: beam size (1 = greedy)")
                          ->check(CLI::Range(1, 64))
                          ->capture_default_str();
  CLI::Option* length_penalty =
      sub->add_option("--length-penalty", f->length_penalty, "seq2seq: beam's GNMT length penalty alpha")
          ->capture_default_str();
  CLI::Option* max_len = sub->add_option("--max-len", f->max_len, "seq2seq: longest output (0 = the run's max_decode_len)")
                             ->check(at_least(0));
  sub->add_option("--batch-size", f->batch_size, "examples evaluated together")->check(CLI::Range(1, 100000));
  sub->add_option("--threads", f->threads, "worker threads (0 = all cores)")->check(CLI::Range(0, 1024));
  add_precision_option(*sub, f->precision);
  sub->add_option("--fail-under", f->fail_under, "METRIC=VALUE: exit 9 if the metric is worse than VALUE");
  sub->add_option("--mask-heads", f->mask_heads,
                  "LAYER:HEAD,…: evaluate with these heads' context zeroed before the output projection "
                  "(layers as attn attend names them, e.g. decoder.layers.0.cross_attn:1)");
  sub->add_flag("--json", f->json,
                "print only the metrics object as JSON on stdout (classifiers add confusion_matrix)");
  return {sub, [f, beam, length_penalty, max_len]() -> int {
            if (f->threads > 0) set_worker_threads(f->threads);
            const kernels::PrecisionScope precision(checked_precision(f->precision));
            const std::optional<Gate> gate = f->fail_under.empty() ? std::nullopt : std::optional(parse_gate(f->fail_under));
            experiment::LoadedRun run = experiment::load_run(f->run, f->checkpoint);
            for (const CLI::Option* decode_flag : {beam, length_penalty, max_len})
              ATTN_CHECK(run.task->decodes() || decode_flag->count() == 0, usage, decode_flag->get_name(),
                         " has no effect: task ", run.task->name(), " decodes nothing");
            const std::vector<tasks::MetricInfo> infos = run.task->metric_infos(data::split_from_name(f->split));
            std::vector<std::string> names;
            for (const tasks::MetricInfo& m : infos) names.push_back(m.name);
            if (gate) check_gate_metric(*gate, names);
            experiment::EvalRequest request;
            request.split = f->split;
            request.checkpoint_label = f->checkpoint;
            request.options.decode.beam = f->beam;
            request.options.decode.length_penalty = f->length_penalty;
            if (f->max_len > 0) request.options.decode.max_len = f->max_len;
            else if (run.config.max_decode_len > 0) request.options.decode.max_len = run.config.max_decode_len;
            request.options.batch_size = f->batch_size;
            if (!f->mask_heads.empty()) request.mask_heads = models::parse_head_list(f->mask_heads);
            experiment::EvalReport report = experiment::evaluate_run(run, request);
            experiment::Json metrics = experiment::Json::object();
            for (const auto& [k, v] : report.metrics) metrics[k] = v;
            if (f->json) {
              metrics.update(report.details);
              std::cout << metrics.dump() << "\n";
            } else {
              const std::string beam_text = run.task->decodes() ? "  beam " + std::to_string(f->beam) : "";
              std::printf("%s  %s  checkpoint %s%s  (%.1f s)\n", run.record.id.c_str(), f->split.c_str(),
                          f->checkpoint.c_str(), beam_text.c_str(), report.seconds);
              if (!f->mask_heads.empty()) std::printf("  masked heads: %s\n", f->mask_heads.c_str());
              int width = 0;  // the longest name, e.g. token_accuracy_long
              for (const auto& [k, v] : report.metrics) width = std::max(width, static_cast<int>(k.size()));
              for (const auto& [k, v] : report.metrics) std::printf("  %-*s %.4f\n", width, k.c_str(), v);
              if (report.details.contains("confusion_matrix")) print_confusion(report.details["confusion_matrix"]);
              std::printf("predictions: %s\n", report.predictions.c_str());
            }
            std::string why;
            if (gate && fails_gate(*gate, report.metrics, lower_is_better(infos, gate->metric), why)) {
              std::fprintf(stderr, "attn: eval gate failed: %s\n", why.c_str());
              return kGateFailedExitCode;
            }
            return 0;
          }};
}

}  // namespace attn::cli
