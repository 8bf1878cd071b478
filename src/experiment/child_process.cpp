#include "experiment/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace attn::experiment {

pid_t spawn_logged(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  ATTN_CHECK(!argv.empty(), internal, "spawn_logged: empty command");
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ATTN_CHECK(log_fd >= 0, io, "cannot open log '", log.string(), "': ", std::strerror(errno));
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(128 + SIGTERM);  // the parent died before prctl took effect
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::execv(args[0], args.data());
    const char message[] = "attn sweep: cannot execute the trial command\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(log_fd);
  ATTN_CHECK(pid > 0, io, "cannot start '", argv[0], "': ", std::strerror(fork_errno));
  ::setpgid(pid, pid);  // also here, so the group exists before any signal is forwarded
  return pid;
}

std::optional<Reaped> reap_any_child() {
  int status = 0;
  pid_t pid;
  do pid = ::waitpid(-1, &status, WNOHANG);
  while (pid < 0 && errno == EINTR);
  if (pid <= 0) return std::nullopt;
  return Reaped{pid, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)};
}

std::string self_executable() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  ATTN_CHECK(!ec, io, "cannot find the running executable (/proc/self/exe): ", ec.message());
  return exe.string();
}

DirectoryLock::DirectoryLock(const std::filesystem::path& dir, const std::function<void()>& on_wait) {
  const std::filesystem::path path = dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);  // no O_CLOEXEC: children keep the lock held
  ATTN_CHECK(fd_ >= 0, io, "cannot open '", path.string(), "': ", std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (on_wait) on_wait();
  int rc;
  do rc = ::flock(fd_, LOCK_EX);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int saved = errno;
    ::close(fd_);
    ATTN_FAIL(io, "cannot lock '", path.string(), "': ", std::strerror(saved));
  }
}

DirectoryLock::~DirectoryLock() { ::close(fd_); }

}  // namespace attn::experiment
