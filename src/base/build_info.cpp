#include "base/build_info.h"

#include <fstream>

namespace attn {

const BuildInfo& build_info() {
  static const BuildInfo info{ATTN_VERSION, ATTN_GIT_COMMIT, ATTN_BUILD_TYPE};
  return info;
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

}  // namespace attn
