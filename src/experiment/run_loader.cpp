#include "experiment/run_loader.h"

#include "base/error.h"
#include "experiment/checkpoint.h"
#include "experiment/json_file.h"
#include "experiment/model_factory.h"
#include "experiment/run_dir.h"
#include "experiment/trainer.h"

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
  const bool same_vocab = read_json_file(dir / kVocabFile, ErrorKind::data, [&](const Json& vocab) {
    return vocab.at("source").dump() == run.task->src_vocab().to_json().dump() &&
           vocab.at("target").dump() == run.task->tgt_vocab().to_json().dump();
  });
  ATTN_CHECK(same_vocab, data, "the vocabularies rebuilt from dataset '", run.task->dataset_name(), "' differ from those saved in ",
             (dir / kVocabFile).string(), ": the data changed since the run was trained");
  run.model = build_model(model_options(run.config, *run.task));
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
