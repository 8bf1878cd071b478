#include "base/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

namespace attn {

namespace {

Error too_large_error(ErrorKind kind, const std::string& name, const std::string& what, uint64_t size,
                      uint64_t max_bytes) {
  return Error(kind, "'" + name + "' holds " + std::to_string(size) + " bytes or more, above the " +
                         std::to_string(max_bytes) + "-byte limit for " + what);
}

// Appends what `fd` holds up to its end, refusing to pass `max_bytes`.
void read_to_end(int fd, std::string& bytes, uint64_t max_bytes, ErrorKind too_large, const std::string& name,
                 const std::string& what) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    ATTN_CHECK(n >= 0, io, "cannot read '", name, "': ", std::strerror(errno));
    if (n == 0) return;
    if (bytes.size() + static_cast<uint64_t>(n) > max_bytes)
      throw too_large_error(too_large, name, what, bytes.size() + static_cast<uint64_t>(n), max_bytes);
    bytes.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

std::string read_regular_file(const std::filesystem::path& path, uint64_t max_bytes, ErrorKind too_large,
                              const std::string& what) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  ATTN_CHECK(fd.get() >= 0, io, "cannot read '", path.string(), "': ", std::strerror(errno));
  struct stat st {};
  ATTN_CHECK(::fstat(fd.get(), &st) == 0, io, "cannot stat '", path.string(), "': ", std::strerror(errno));
  ATTN_CHECK(!S_ISDIR(st.st_mode), io, "cannot read '", path.string(), "': is a directory");
  ATTN_CHECK(S_ISREG(st.st_mode), io, "cannot read '", path.string(), "': not a regular file (given as ", what,
             "): attn reads only regular files");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) throw too_large_error(too_large, path.string(), what, size, max_bytes);
  std::string bytes;
  bytes.reserve(static_cast<size_t>(size));
  // The file may have grown since fstat: read_to_end never passes the bound.
  read_to_end(fd.get(), bytes, max_bytes, too_large, path.string(), what);
  return bytes;
}

std::string read_standard_input(uint64_t max_bytes, ErrorKind too_large, const std::string& what) {
  std::string bytes;
  read_to_end(STDIN_FILENO, bytes, max_bytes, too_large, "stdin", what);
  return bytes;
}

}  // namespace attn
