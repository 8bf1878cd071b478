// The one error type of attn, its kinds, and the check macro used at op and API
// boundaries. Kinds map to process exit codes (see exit_code and the README).
// Kernels do not throw: they assert.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace attn {

enum class ErrorKind {
  internal,    // a bug in attn
  usage,       // bad command line: unknown flag, bad value
  config,      // malformed or invalid configuration
  io,          // missing / unreadable / unwritable file
  data,        // dataset missing, corrupt or inconsistent
  checkpoint,  // checkpoint corrupt or not matching the model
  shape,       // tensor shapes or values that do not fit an op
  diverged,    // training produced NaN/Inf
};

const char* error_kind_name(ErrorKind kind);
int exit_code(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, const char* file = nullptr, int line = 0);
  ErrorKind kind() const { return kind_; }
  // file:line of the check that failed, empty for errors raised without one.
  const std::string& where() const { return where_; }

 private:
  ErrorKind kind_;
  std::string where_;
};

namespace detail {
// Streams every argument, so messages can carry the offending values.
template <typename... Args>
std::string concat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}
}  // namespace detail

[[noreturn]] void throw_error(ErrorKind kind, const std::string& message, const char* file, int line);

}  // namespace attn

// ATTN_CHECK(cond, kind, values...): throws attn::Error with file:line and the message.
#define ATTN_CHECK(cond, kind, ...)                                                       \
  do {                                                                                    \
    if (!(cond))                                                                          \
      ::attn::throw_error(::attn::ErrorKind::kind, ::attn::detail::concat(__VA_ARGS__),   \
                          __FILE__, __LINE__);                                            \
  } while (0)

#define ATTN_FAIL(kind, ...) \
  ::attn::throw_error(::attn::ErrorKind::kind, ::attn::detail::concat(__VA_ARGS__), __FILE__, __LINE__)
