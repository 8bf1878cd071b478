// Checkpoints of a run: model weights, optimizer state and trainer state,
// saved so that a crash at any instant leaves a loadable checkpoint.
// Layout in <run>/checkpoints/:
//   <tag>.safetensors              the model's parameters under their own names
//                                  (nothing else, so PyTorch & co. load it as is);
//                                  __metadata__: attn.checkpoint_version = "2",
//                                  attn.trainer_state = the trainer's JSON as a string,
//                                  attn.optimizer_file = the file below, or "",
//                                  attn.data_checksum = FNV-1a of the metadata above,
//                                  tensor names, shapes and data (version 1: data only).
//   <tag>.optim-<hash>.safetensors the optimizer tensors under the trainer's names
//                                  (e.g. "adam.m.<param>"); <hash> is FNV-1a of its
//                                  bytes. Loads verify both hashes.
// Saving writes the optimizer file first, under a new name, then the model file
// (the atomic commit point that names it), then deletes older optimizer files
// of the tag: whenever the process dies, <tag>.safetensors and the optimizer file
// it names belong to the same save. Tags are "last" and "best".
// What the trainer state holds (step, epoch, RNG, data position, ...) is the
// trainer's business; this file stores it verbatim.
#pragma once

#include <filesystem>
#include <string>

#include "experiment/json_file.h"
#include "experiment/safetensors.h"
#include "nn/module.h"

namespace attn::experiment {

// <run_dir>/checkpoints/<tag>.safetensors
std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir, const std::string& tag);

// (name, value) of each parameter, sharing storage with the module: what
// save_checkpoint writes and what the load functions copy into.
NamedTensors parameter_tensors(const nn::Module& module);

// `optimizer` may be empty (e.g. for "best", or plain SGD). checkpoints/ is created
// if missing. Throws Error kind io on write failure.
void save_checkpoint(const std::filesystem::path& run_dir, const std::string& tag, const NamedTensors& model,
                     const NamedTensors& optimizer, const Json& trainer_state);

// Restores a checkpoint in place: the files' names and shapes must equal those of
// `model` and `optimizer` exactly; then their values are copied into those tensors
// (which share storage with the model and optimizer). Returns the trainer state.
// Any problem (corrupt file or data, missing/unexpected tensor, shape mismatch) throws
// Error kind checkpoint naming the file and the first mismatch; nothing is copied
// unless everything matches. A missing model file is Error kind io.
Json load_checkpoint(const std::filesystem::path& run_dir, const std::string& tag, const NamedTensors& model,
                     const NamedTensors& optimizer);

// As load_checkpoint for the model only (evaluation): the optimizer file is not read.
Json load_model_weights(const std::filesystem::path& run_dir, const std::string& tag, const NamedTensors& model);
// The same for a checkpoint file given by path (`attn eval --checkpoint PATH`).
Json load_model_weights_file(const std::filesystem::path& file, const NamedTensors& model);

}  // namespace attn::experiment
