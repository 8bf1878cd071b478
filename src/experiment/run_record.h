// RunRecord: what a run directory's record.json says about the run (schema in the
// README, "Run records"): who ran what, on which machine and data, with which
// resolved config, the metrics of every evaluation, the best one, the outcome and
// the cost. The trainer fills it and saves it atomically at every evaluation and
// at the end; `attn eval` adds its results under "eval". No training logic here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "experiment/json_file.h"

namespace attn::experiment {

// Version 2 adds throughput with its unit and the metrics' directions; version 1 records
// (tokens_per_s, target tokens) are still read.
inline constexpr int kRecordSchemaVersion = 2;

enum class RunStatus { running, completed, stopped_early, diverged, interrupted, failed };
const char* status_name(RunStatus status);
// Throws Error kind checkpoint for an unknown name.
RunStatus parse_status(const std::string& name);

struct Evaluation {
  int64_t step = 0;
  int64_t epoch = 0;
  // e.g. {"loss": 1.93, "per": 0.21}; NaN is written as null and read back as NaN.
  std::map<std::string, double> metrics;
  bool operator==(const Evaluation&) const = default;
};

struct BestMetric {
  std::string metric;
  double value = 0;
  int64_t step = 0;
  bool operator==(const BestMetric&) const = default;
};

// Training throughput: `unit` per second of training-step time (evaluations excluded),
// e.g. 5210 "target_tokens/s" or 830 "examples/s".
struct Throughput {
  double value = 0;
  std::string unit;
  bool operator==(const Throughput&) const = default;
};

struct RunRecord {
  int schema_version = kRecordSchemaVersion;
  std::string id;                         // the run directory's name, e.g. "translate-20250101-120000"
  std::vector<std::string> command_line;  // argv as given
  std::string attn_version;               // build_info()
  std::string git_commit;
  std::string cpu;                        // cpu_model_name()
  int64_t threads = 0;                    // threads actually used
  std::string task;
  std::string dataset_name;
  std::string dataset_checksum;           // of the prepared files the run read
  Json config = Json::object();           // the resolved config (to_json(TrainConfig))
  // Each metric's direction as the task declares it: drives reports' sorting and gates.
  // Empty in version 1 records (lower_is_better() below guesses for those).
  std::map<std::string, bool> lower_is_better;
  RunStatus status = RunStatus::running;
  std::string message;                    // why a run failed, diverged or stopped early; else empty
  int64_t steps = 0;                      // optimizer steps done
  std::vector<Evaluation> evaluations;
  std::optional<BestMetric> best;
  double wall_time_s = 0;
  Throughput throughput;
  double peak_memory_mib = 0;             // peak resident memory (base/peak_memory.h)
  std::optional<Json> eval;               // written by `attn eval`

  bool operator==(const RunRecord&) const = default;
};

// Whether lower values of `metric` (maybe suffixed, "exact_match_long") are better in this
// run: from the record, or for version 1 records by the names of that time (loss, per, wer).
bool lower_is_better(const RunRecord& record, const std::string& metric);

// A record with the build and machine fields filled in (version, commit, cpu).
RunRecord new_run_record(const std::string& id, const std::vector<std::string>& command_line);

Json to_json(const RunRecord& record);
// Throws Error kind checkpoint naming the field for a missing or mistyped field
// or a schema_version this build does not read.
RunRecord record_from_json(const Json& json, const std::string& source);

// <run_dir>/record.json, written atomically / read and checked.
void save_record(const std::filesystem::path& run_dir, const RunRecord& record);
RunRecord load_record(const std::filesystem::path& run_dir);

// The trainer's save: `record` as given except its `eval`, which `attn eval` owns and may
// have added while the run trains; the entries on disk are kept. Both this and
// update_eval_record hold an exclusive lock on the run directory (flock), so neither
// process's read-modify-write can drop the other's change.
void save_training_record(const std::filesystem::path& run_dir, const RunRecord& record);
// `attn eval`'s save: re-reads the record under the lock, sets eval[key] = entry, writes it.
RunRecord update_eval_record(const std::filesystem::path& run_dir, const std::string& key, const Json& entry);

}  // namespace attn::experiment
