// Runs the real `attn` binary the way a shell script would, capturing its exit
// code, stdout and stderr, for end-to-end tests.
#pragma once

#include <string>
#include <vector>

namespace attn::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// args are shell-quoted; `stdin_text` is fed to the process's standard input;
// `shell_prefix` goes before the command as written ("ulimit -v 2000000;", "timeout 60").
RunResult run_attn(const std::vector<std::string>& args, const std::string& stdin_text = "",
                   const std::string& shell_prefix = "");
// A fresh empty directory under the build's temp area, removed at exit.
std::string temp_dir(const std::string& name);
std::string read_text(const std::string& path);
// Starts attn in the background, output discarded, for tests that signal or kill
// it; returns its pid (reap it with waitpid).
int start_attn(std::vector<std::string> args);

}  // namespace attn::testing
