#include "base/error.h"

#include <cstring>

namespace attn {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::internal: return "internal";
    case ErrorKind::usage: return "usage";
    case ErrorKind::config: return "config";
    case ErrorKind::io: return "io";
    case ErrorKind::data: return "data";
    case ErrorKind::checkpoint: return "checkpoint";
    case ErrorKind::shape: return "shape";
    case ErrorKind::diverged: return "diverged";
  }
  return "internal";
}

// Documented in the README ("Exit codes"); scripts depend on these values.
int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return 2;
    case ErrorKind::config: return 3;
    case ErrorKind::io: return 4;
    case ErrorKind::data: return 5;
    case ErrorKind::checkpoint: return 6;
    case ErrorKind::diverged: return 7;
    case ErrorKind::shape: return 1;
    case ErrorKind::internal: return 1;
  }
  return 1;
}

Error::Error(ErrorKind kind, const std::string& message, const char* file, int line)
    : std::runtime_error(message), kind_(kind) {
  if (file) {
    const char* base = std::strstr(file, "src/");
    where_ = std::string(base ? base : file) + ":" + std::to_string(line);
  }
}

void throw_error(ErrorKind kind, const std::string& message, const char* file, int line) {
  throw Error(kind, message, file, line);
}

}  // namespace attn
