// Reading a whole input file with a bound: the one way attn reads a file a user
// (or an attacker) can point it at. Only regular files are read, so a device, a
// FIFO or a directory given as a checkpoint, record or input fails at once
// instead of blocking or filling memory; and a file larger than its reader's
// documented bound is refused before any of it is read, so no input makes attn
// allocate more than that bound. Parsing what is read is the caller's business.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/error.h"

namespace attn {

// The bounds of attn's readers (README, "Hostile input"); checkpoints have
// their own, derived from the model they are loaded into (experiment/checkpoint.h).
inline constexpr uint64_t kMiB = uint64_t{1} << 20;
inline constexpr uint64_t kMaxRunFileBytes = 1024 * kMiB;  // config, record, task state, metrics log, sweep spec
inline constexpr uint64_t kMaxTextInputBytes = 64 * kMiB;  // attn attend --input-file
inline constexpr uint64_t kMaxDatasetFileBytes = uint64_t{4} << 30;  // a prepared split, manifest or image file

// The bytes of `path`, which must be a regular file (symbolic links followed) of at
// most `max_bytes`. Throws Error kind io when it cannot be opened or read or is no
// regular file, and Error of `too_large` when it holds more than `max_bytes` (also
// if it grew past that while being read). `what` names the file's role in messages.
std::string read_regular_file(const std::filesystem::path& path, uint64_t max_bytes,
                              ErrorKind too_large = ErrorKind::io, const std::string& what = "file");

// All of standard input (a pipe or a file), with the same bound: `-` for an input file.
std::string read_standard_input(uint64_t max_bytes, ErrorKind too_large = ErrorKind::io,
                                const std::string& what = "file");

}  // namespace attn
