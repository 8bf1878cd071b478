// Child processes for sweeps: start a command with its output in a log file,
// reap finished ones without blocking, and a lock that keeps two sweeps (or one
// sweep and the orphaned trials of a killed one) out of the same directory.
// Linux-specific (prctl, /proc/self/exe). Which commands to run, and when, is
// sweep_runner.h's business.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace attn::experiment {

// Starts argv (argv[0] is the program's path) with stdout and stderr appended to
// `log`. The child gets its own process group, so a terminal's Ctrl-C reaches
// only the parent, which forwards it once (a second SIGINT would kill a trial
// before it saves); and it receives SIGTERM if the parent dies, so a killed
// sweep leaves no trial running unattended. Throws Error kind io if the log
// cannot be opened or the process cannot be created.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::filesystem::path& log);

struct Reaped {
  pid_t pid = 0;
  int exit_code = 0;  // the exit status, or 128 + signal number for a child killed by a signal
};
// A child that has ended, if any; never blocks.
std::optional<Reaped> reap_any_child();

// The absolute path of the running executable (/proc/self/exe).
std::string self_executable();

// An exclusive flock on <dir>/.lock, held until destruction. Children inherit
// the descriptor, so the lock is free only once the holder and all its children
// are gone. Waits (after calling `on_wait`) while another process holds it.
class DirectoryLock {
 public:
  DirectoryLock(const std::filesystem::path& dir, const std::function<void()>& on_wait);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace attn::experiment
