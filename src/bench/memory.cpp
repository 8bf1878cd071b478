#include "bench/memory.h"

#include <fstream>
#include <string>

namespace attn::bench {

namespace {
double status_field_mib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size())) / 1024.0;  // kB
  return 0.0;
}
}  // namespace

double peak_rss_mib() { return status_field_mib("VmHWM"); }
double current_rss_mib() { return status_field_mib("VmRSS"); }

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out);
}

}  // namespace attn::bench
