#include "base/peak_memory.h"

#include <malloc.h>

#include <fstream>
#include <string>

namespace attn {

namespace {
// A "VmRSS:   1234 kB" line of /proc/self/status, in KiB; -1 if missing.
double status_kib(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':')
      return std::stod(line.substr(key.size() + 1));
  return -1.0;
}
}  // namespace

double peak_memory_mib() {
  const double kib = status_kib("VmHWM");
  return kib > 0 ? kib / 1024.0 : 0.0;
}

PeakMemoryProbe::PeakMemoryProbe(bool trim_heap) {
  if (trim_heap) malloc_trim(0);
  std::ofstream reset("/proc/self/clear_refs");
  reset << "5";
  reset.close();
  start_kib_ = status_kib("VmRSS");
  ok_ = reset.good() && start_kib_ >= 0 && status_kib("VmHWM") >= 0;
}

double PeakMemoryProbe::extra_mib() const {
  if (!ok_) return -1.0;
  double hwm = status_kib("VmHWM");
  return hwm > start_kib_ ? (hwm - start_kib_) / 1024.0 : 0.0;
}

}  // namespace attn
