// What every harness in tests/fuzz shares. A harness feeds one reader of attn the fuzzer's
// bytes through the entry point attn itself uses, and holds it to one rule: hostile input may
// only be rejected with attn's own Error (the CLI prints it as one `attn: error:` line with the
// documented exit code). Any other exception escaping, like a sanitizer report, aborts the
// harness: libFuzzer records the input as a crash. Readers that take a path get their bytes
// through a per-process scratch directory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/error.h"

namespace attn::fuzz {

inline std::string_view bytes_of(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An invariant of an accepted input that does not hold: a finding, like a crash.
#define ATTN_FUZZ_CHECK(cond)                                                          \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

// Runs `read`; attn's Error is the reader refusing the input, which is what it should do.
template <typename Read>
void reject_or_accept(Read&& read) {
  try {
    read();
  } catch (const Error&) {
  }
}

// A directory of this process's own under $TMPDIR (or /tmp), removed at exit.
const std::filesystem::path& scratch_dir();

// Writes `bytes` to `path` (replacing it); aborts when it cannot, which is no finding of the reader.
void write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace attn::fuzz
