#include "experiment/evaluation.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "data/sha256.h"
#include "data/types.h"
#include "experiment/atomic_file.h"
#include "tasks/model_scopes.h"

namespace attn::experiment {

namespace {
// Tabs and newlines inside a field would break the TSV's columns.
std::string tsv_field(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
  return out;
}

// The float as its shortest decimal (0.6f, not 0.6000000238418579): the value the user gave.
double as_written(float v) {
  char text[32];
  for (int digits = 1; digits <= 9; ++digits) {  // 9 significant digits always round-trip a float
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(v));
    if (std::strtof(text, nullptr) == v) break;
  }
  return std::strtod(text, nullptr);
}
}  // namespace

std::string eval_key(const LoadedRun& run, const EvalRequest& request) {
  const std::string& label = request.checkpoint_label;
  std::string key = request.split + "-" +
                    (label == "best" || label == "last" ? label : std::filesystem::path(label).stem().string());
  if (!request.mask_heads.empty())
    key += "-mask" + std::to_string(request.mask_heads.size()) + "-" +
           data::sha256_hex(models::format_head_list(request.mask_heads)).substr(0, 8);
  if (!run.task->decodes()) return key;
  const models::DecodeOptions& decode = request.options.decode;
  char text[64];
  if (decode.beam > 1) {
    std::snprintf(text, sizeof text, "-beam%lld-lp%g", static_cast<long long>(decode.beam), as_written(decode.length_penalty));
    key += text;
  }
  if (decode.max_len != run.config.max_decode_len) key += "-maxlen" + std::to_string(decode.max_len);
  return key;
}

EvalReport evaluate_run(LoadedRun& run, const EvalRequest& request) {
  const auto t0 = std::chrono::steady_clock::now();
  const data::Split split = data::split_from_name(request.split);
  EvalReport report;
  // Gated evaluation: the gates live as long as this pass and are always taken off the model.
  const models::HeadGates gates = models::make_head_gates(run.model->head_layers(), request.mask_heads);
  tasks::HeadGateScope gated(*run.model, request.mask_heads.empty() ? nullptr : &gates);
  const auto tsv_line = [](const std::vector<std::string>& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line += '\t';
      line += tsv_field(fields[i]);
    }
    return line + "\n";
  };
  std::string tsv = tsv_line(run.task->prediction_columns());
  for (const tasks::EvalSet& set : run.task->eval_sets(split)) {
    tasks::Evaluation ev = run.task->evaluate(*run.model, set, request.options);
    for (const auto& [name, value] : ev.metrics) report.metrics[name + set.suffix] = value;
    for (const auto& [name, value] : ev.details.items()) report.details[name + set.suffix] = value;
    for (const std::vector<std::string>& row : ev.predictions) tsv += tsv_line(row);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::error_code ec;  // a read-only run directory is an io error, as every other write
  std::filesystem::create_directories(run.dir / "eval", ec);
  ATTN_CHECK(!ec, io, "cannot create '", (run.dir / "eval").string(), "': ", ec.message());
  const std::string key = eval_key(run, request);
  report.predictions = run.dir / "eval" / (key + ".tsv");
  write_file_atomic(report.predictions, tsv);

  // The record keeps one entry per key (split, checkpoint, decoding), the latest evaluation of each.
  Json metrics = Json::object();
  for (const auto& [k, v] : report.metrics) metrics[k] = v;
  Json entry{{"split", request.split},
             {"checkpoint", run.checkpoint},
             {"metrics", metrics},
             {"predictions", report.predictions.string()},
             {"seconds", report.seconds}};
  if (run.task->decodes()) {
    entry["beam"] = request.options.decode.beam;
    entry["length_penalty"] = as_written(request.options.decode.length_penalty);
    entry["max_len"] = request.options.decode.max_len;
  }
  if (!request.mask_heads.empty()) entry["mask_heads"] = models::format_head_list(request.mask_heads);
  if (!report.details.empty()) entry["details"] = report.details;
  run.record = update_eval_record(run.dir, key, entry);  // a concurrent trainer may be saving it too
  return report;
}

}  // namespace attn::experiment
