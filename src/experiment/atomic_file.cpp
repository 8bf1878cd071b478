#include "experiment/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/regular_file.h"
#include "base/unique_fd.h"

namespace attn::experiment {

namespace {

std::string system_error() { return std::strerror(errno); }

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// A name no other writer (thread or process) uses at the same time. Hidden, so a
// leftover from a killed process does not look like a result.
std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  std::string name(1, '.');
  name += path.filename().string();
  name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  return path.parent_path() / name;
}

// The rename is durable only once the directory entry itself reaches the disk.
void fsync_directory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ATTN_CHECK(fd.get() >= 0, io, "cannot open directory '", dir.string(), "' to sync it: ",
             system_error());
  ATTN_CHECK(::fsync(fd.get()) == 0, io, "cannot sync directory '", dir.string(), "': ",
             system_error());
}

// Cuts a fragment after the last '\n' (a line torn by a crash).
void drop_torn_tail(int fd, const std::filesystem::path& path) {
  struct stat st {};
  ATTN_CHECK(::fstat(fd, &st) == 0, io, "cannot stat '", path.string(), "': ", system_error());
  off_t end = st.st_size;
  char last = '\n';
  if (end == 0 || ::pread(fd, &last, 1, end - 1) != 1 || last == '\n') return;
  char buf[4096];
  off_t keep = 0;
  for (off_t hi = end; hi > 0 && keep == 0;) {
    off_t lo = hi > static_cast<off_t>(sizeof buf) ? hi - static_cast<off_t>(sizeof buf) : 0;
    ssize_t n = ::pread(fd, buf, static_cast<size_t>(hi - lo), lo);
    ATTN_CHECK(n == hi - lo, io, "cannot read '", path.string(), "': ", system_error());
    for (off_t i = n - 1; i >= 0; --i)
      if (buf[i] == '\n') {
        keep = lo + i + 1;
        break;
      }
    hi = lo;
  }
  ATTN_CHECK(::ftruncate(fd, keep) == 0, io, "cannot truncate torn line of '", path.string(), "': ",
             system_error());
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path temp = temp_path_for(path);
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  ATTN_CHECK(fd.get() >= 0, io, "cannot write '", path.string(), "': cannot create temporary file: ",
             system_error());
  auto fail = [&](const char* what) {
    std::string reason = system_error();
    ::unlink(temp.c_str());
    ATTN_FAIL(io, "cannot write '", path.string(), "': ", what, ": ", reason);
  };
  if (!write_all(fd.get(), bytes.data(), bytes.size())) fail("write failed");
  if (::fsync(fd.get()) != 0) fail("fsync failed");
  if (!fd.close()) fail("close failed");
  if (::rename(temp.c_str(), path.c_str()) != 0) fail("rename failed");
  fsync_directory(path.parent_path());
}

std::string read_file(const std::filesystem::path& path, uint64_t max_bytes, ErrorKind too_large, const std::string& what) {
  return read_regular_file(path, max_bytes, too_large, what);
}

void append_line(const std::filesystem::path& path, std::string_view line) {
  ATTN_CHECK(line.find('\n') == std::string_view::npos, internal,
             "append_line: line for '", path.string(), "' contains a newline");
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  ATTN_CHECK(fd.get() >= 0, io, "cannot append to '", path.string(), "': ", system_error());
  drop_torn_tail(fd.get(), path);
  std::string record(line);
  record.push_back('\n');
  ATTN_CHECK(write_all(fd.get(), record.data(), record.size()), io, "cannot append to '",
             path.string(), "': ", system_error());
}

}  // namespace attn::experiment
