#include "experiment/run_loader.h"

#include "base/error.h"
#include "experiment/checkpoint.h"
#include "experiment/json_file.h"
#include "experiment/model_factory.h"
#include "experiment/run_dir.h"

namespace attn::experiment {

namespace fs = std::filesystem;

LoadedRun load_run(const fs::path& dir, const std::string& checkpoint) {
  ATTN_CHECK(fs::is_directory(dir), io, "no run directory at '", dir.string(), "'");
  ATTN_CHECK(fs::exists(dir / run_files::config) && fs::exists(dir / run_files::record), io, "'", dir.string(),
             "' is not an attn run (no config.json or record.json)");
  LoadedRun run;
  run.dir = dir;
  apply_json(run.config, read_json_file(dir / run_files::config, ErrorKind::config),
             (dir / run_files::config).string());
  run.record = load_record(dir);
  run.task = tasks::make_task(task_options(run.config));
  // Runs of attn before task families saved the seq2seq state under its old name.
  const fs::path state_file =
      fs::exists(dir / run_files::task_state) ? dir / run_files::task_state : dir / run_files::legacy_vocab;
  const bool same_state = read_json_file(state_file, ErrorKind::data, [&](const Json& saved) {
    ATTN_CHECK(saved.is_object(), data, state_file.string(), ": expected a JSON object, got ", saved.type_name());
    return nlohmann::json::parse(saved.dump()) == run.task->state();
  });
  ATTN_CHECK(same_state, data, "the vocabularies and labels rebuilt from dataset '", run.task->dataset_name(),
             "' differ from those saved in ", state_file.string(), ": the data changed since the run was trained");
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
