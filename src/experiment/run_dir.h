// The run directory and the names of the files in it:
//   <run>/config.json         resolved config (to_json(TrainConfig))
//   <run>/record.json         RunRecord (run_record.h)
//   <run>/metrics.jsonl       one JSON object per logged step
//   <run>/checkpoints/        <tag>.safetensors (checkpoint.h)
// Creating a directory never reuses one that holds a run, so a finished run is
// never overwritten; only resuming opens an existing run.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>

namespace attn::experiment {

namespace run_files {
inline constexpr const char* config = "config.json";
inline constexpr const char* record = "record.json";
inline constexpr const char* metrics = "metrics.jsonl";
inline constexpr const char* checkpoints = "checkpoints";
// What the task needs to read the run back (vocabularies, label set): Task::state().
inline constexpr const char* task_state = "task_state.json";
// Its name in runs of attn before task families: {source, target} vocabularies.
inline constexpr const char* legacy_vocab = "vocab.json";
}  // namespace run_files

// Creates <runs_root>/<task>-<YYYYmmdd-HHMMSS> (local time `now`), adding -2, -3, ...
// if that name exists, and its checkpoints/ folder; returns the new directory.
// runs_root is created if missing. Throws Error kind io.
std::filesystem::path create_run_dir(const std::filesystem::path& runs_root, const std::string& task,
                                     std::time_t now = std::time(nullptr));

// --out DIR: creates DIR (and parents) or accepts an existing directory that holds
// no run. A directory with a record.json is refused (Error kind usage), naming its
// status and, for an unfinished run, the --resume command.
std::filesystem::path claim_run_dir(const std::filesystem::path& dir);

// --resume DIR: checks DIR holds a run (record.json); throws Error kind io naming
// what is missing. Returns DIR. A run without checkpoints/last.safetensors is
// still resumable: the trainer restarts it from step 0.
std::filesystem::path open_run_dir_for_resume(const std::filesystem::path& dir);

}  // namespace attn::experiment
