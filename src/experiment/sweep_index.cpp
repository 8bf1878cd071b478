#include "experiment/sweep_index.h"

#include "experiment/checkpoint.h"
#include "experiment/run_dir.h"
#include "experiment/run_record.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

Json trial_json(const SweepTrial& t) {
  Json overrides = Json::object();
  for (const auto& [key, value] : t.overrides) overrides[key] = value;
  return Json{{"id", t.id},
              {"overrides", overrides},
              {"status", t.status},
              {"exit_code", t.exit_code ? Json(*t.exit_code) : Json()},
              {"message", t.message},
              {"wall_time_s", t.wall_time_s}};
}

SweepTrial trial_from_json(const Json& j) {
  SweepTrial t;
  t.id = j.at("id").get<std::string>();
  for (auto it = j.at("overrides").begin(); it != j.at("overrides").end(); ++it)
    t.overrides.emplace_back(it.key(), it.value().get<std::string>());
  t.status = j.at("status").get<std::string>();
  if (!j.at("exit_code").is_null()) t.exit_code = j.at("exit_code").get<int>();
  t.message = j.at("message").get<std::string>();
  t.wall_time_s = j.at("wall_time_s").get<double>();
  return t;
}

}  // namespace

SweepIndex new_sweep_index(const SweepSpec& spec) {
  SweepIndex index;
  index.spec = spec;
  for (PlannedTrial& p : plan_trials(spec)) {
    SweepTrial t;
    t.id = p.id;
    t.overrides = p.overrides;
    index.trials.push_back(std::move(t));
  }
  return index;
}

Json to_json(const SweepIndex& index) {
  Json trials = Json::array();
  for (const SweepTrial& t : index.trials) trials.push_back(trial_json(t));
  return Json{{"schema_version", kSweepSchemaVersion},
              {"status", index.status},
              {"command_line", index.command_line},
              {"jobs", index.jobs},
              {"threads_per_trial", index.threads_per_trial},
              {"cores", index.cores},
              {"wall_time_s", index.wall_time_s},
              {"spec", to_json(index.spec)},
              {"trials", trials}};
}

SweepIndex sweep_index_from_json(const Json& j, const std::string& source) {
  try {
    const int version = j.at("schema_version").get<int>();
    ATTN_CHECK(version == kSweepSchemaVersion, config, source, ": schema_version ", version,
               " is not one this build reads (", kSweepSchemaVersion, ")");
    SweepIndex index;
    index.spec = spec_from_json(j.at("spec"), source + ": spec");
    index.status = j.at("status").get<std::string>();
    index.command_line = j.at("command_line").get<std::vector<std::string>>();
    index.jobs = j.at("jobs").get<int64_t>();
    index.threads_per_trial = j.at("threads_per_trial").get<int64_t>();
    index.cores = j.at("cores").get<int64_t>();
    index.wall_time_s = j.at("wall_time_s").get<double>();
    for (const Json& t : j.at("trials")) index.trials.push_back(trial_from_json(t));
    return index;
  } catch (const nlohmann::json::exception& e) {
    ATTN_FAIL(config, source, ": malformed sweep index: ", json_error_message(e));
  }
}

void save_sweep_index(const fs::path& sweep_dir, const SweepIndex& index) {
  write_json_file(sweep_dir / kSweepFile, to_json(index));
}

std::optional<SweepIndex> load_sweep_index(const fs::path& sweep_dir) {
  const fs::path path = sweep_dir / kSweepFile;
  if (!fs::exists(path)) return std::nullopt;
  return sweep_index_from_json(read_json_file(path, ErrorKind::config), path.string());
}

bool trial_succeeded(const std::string& status) { return status == "completed" || status == "stopped_early"; }

TrialAction next_action(const fs::path& trial_dir, SweepTrial& trial, bool retry_failed) {
  std::optional<RunRecord> record;
  if (fs::exists(trial_dir / run_files::record)) {
    try {
      record = load_record(trial_dir);
    } catch (const Error&) {
      // A record this build cannot read is not a result to keep: the trial starts afresh.
    }
  }
  if (!record && trial_succeeded(trial.status)) trial.status = "pending";  // its directory went away
  if (record) {
    const std::string status = status_name(record->status);
    if (trial_succeeded(status) || status == "failed" || status == "diverged") trial.status = status;
  }
  if (trial_succeeded(trial.status)) return TrialAction::skip_done;
  if (trial.status == "failed" || trial.status == "diverged")
    return retry_failed ? TrialAction::start : TrialAction::skip_failed;
  if (record && fs::exists(checkpoint_path(trial_dir, "last"))) return TrialAction::resume;
  return TrialAction::start;
}

}  // namespace attn::experiment
