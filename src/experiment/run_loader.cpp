#include "experiment/run_loader.h"

#include "base/error.h"
#include "experiment/checkpoint.h"
#include "experiment/json_file.h"
#include "experiment/model_factory.h"
#include "experiment/run_dir.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

// The first key whose value differs between two configs, for the message.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b[key] != value)
      return "'" + key + "' is " + value.dump() + " there but " + (b.contains(key) ? b[key].dump() : "absent") +
             " in record.json";
  for (const auto& [key, value] : b.items())
    if (!a.contains(key)) return "'" + key + "' is absent there but " + value.dump() + " in record.json";
  return "they differ";
}

}  // namespace

TrainConfig load_run_config(const fs::path& dir, const RunRecord& record) {
  const fs::path file = dir / run_files::config;
  TrainConfig config;
  if (!fs::exists(file) && !fs::exists(checkpoint_path(dir, "last")) && record.config.is_object()) {
    apply_json(config, record.config, (dir / run_files::record).string() + " config");
    return config;
  }
  const Json saved = read_json_file(file, ErrorKind::config);
  const nlohmann::json written = nlohmann::json::parse(saved.dump()), recorded = nlohmann::json::parse(record.config.dump());
  // Records of every version carry the config; an empty one has nothing to compare.
  ATTN_CHECK(recorded.empty() || written == recorded, checkpoint, file.string(), " disagrees with the config in record.json (",
             first_difference(written, recorded), "): the run's files were edited; restore config.json from the record");
  apply_json(config, saved, file.string());
  return config;
}

void check_task_state(const fs::path& dir, const tasks::Task& task) {
  // Runs of attn before task families saved the seq2seq state under its old name.
  const fs::path state_file =
      fs::exists(dir / run_files::task_state) ? dir / run_files::task_state : dir / run_files::legacy_vocab;
  ATTN_CHECK(fs::exists(state_file), io, "'", dir.string(), "' has no task_state.json: the vocabularies and labels its ",
             "checkpoints were trained with are lost");
  const bool same_state = read_json_file(state_file, ErrorKind::data, [&](const Json& saved) {
    ATTN_CHECK(saved.is_object(), data, state_file.string(), ": expected a JSON object, got ", saved.type_name());
    return nlohmann::json::parse(saved.dump()) == task.state();
  });
  ATTN_CHECK(same_state, data, "the vocabularies and labels rebuilt from dataset '", task.dataset_name(),
             "' differ from those saved in ", state_file.string(), ": the data changed since the run was trained");
}

LoadedRun load_run(const fs::path& dir, const std::string& checkpoint) {
  ATTN_CHECK(fs::is_directory(dir), io, "no run directory at '", dir.string(), "'");
  ATTN_CHECK(fs::exists(dir / run_files::config) && fs::exists(dir / run_files::record), io, "'", dir.string(),
             "' is not an attn run (no config.json or record.json)");
  LoadedRun run;
  run.dir = dir;
  run.record = load_record(dir);
  run.config = load_run_config(dir, run.record);
  run.task = tasks::make_task(task_options(run.config));
  check_task_state(dir, *run.task);
  run.model = build_model(run.config, *run.task);
  const bool tag = checkpoint == "best" || checkpoint == "last";
  const fs::path file = tag ? checkpoint_path(dir, checkpoint) : fs::path(checkpoint);
  ATTN_CHECK(fs::exists(file), io, "no checkpoint '", file.string(), "'",
             tag ? " (the run has not saved one yet)" : "");
  load_model_weights_file(file, parameter_tensors(*run.model));
  run.model->set_training(false);
  run.checkpoint = file.string();
  return run;
}

}  // namespace attn::experiment
