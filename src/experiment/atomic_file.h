// Whole-file reads and crash-safe writes, the only way attn puts bytes on disk.
// write_file_atomic leaves either the old file or the complete new one, never a
// mix: it writes a temporary file in the same directory, fsyncs it, renames it
// over the target and fsyncs the directory. append_line is for logs that grow
// (metrics.jsonl): one write() per line, so a crash tears at most the last line,
// and readers (read_json_lines in json_file.h) ignore a torn last line.
// This file knows nothing of JSON or tensors.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/regular_file.h"

namespace attn::experiment {

// Replaces (or creates) `path` with `bytes`. The parent directory must exist.
// Throws Error kind io naming the path and the system error; the temporary file
// is removed on failure and an existing target is left untouched.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// The whole file, which must be a regular file of at most `max_bytes` (read_regular_file
// in base/regular_file.h). Throws Error kind io naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxRunFileBytes,
                      ErrorKind too_large = ErrorKind::io, const std::string& what = "run file");

// Appends `line` plus '\n' to `path` (created if missing) with a single write.
// `line` must not contain '\n'. If a previous crash left a torn last line (no
// final '\n'), that fragment is cut off first, so lines never glue together.
// No fsync: a line survives the process being killed, not a power loss.
void append_line(const std::filesystem::path& path, std::string_view line);

}  // namespace attn::experiment
