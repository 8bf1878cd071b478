// Facts about this build and the machine it runs on, for `attn --version` and run records.
#pragma once

#include <string>

namespace attn {

struct BuildInfo {
  std::string version;
  std::string git_commit;
  std::string build_type;
};

const BuildInfo& build_info();
// CPU model name as the OS reports it ("unknown" if unavailable).
std::string cpu_model_name();

}  // namespace attn
