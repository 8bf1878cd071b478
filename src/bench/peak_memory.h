// Peak resident-memory growth of a region of code, from Linux's per-process
// high-water mark: the start returns free heap pages to the system (malloc_trim)
// and resets VmHWM to the current VmRSS (by writing "5" to /proc/self/clear_refs),
// the end reads VmHWM. Counts every page the region touches beyond what was
// resident at the start: buffers, library scratchpads, new thread stacks.
#pragma once

namespace attn::bench {

class PeakMemoryProbe {
 public:
  PeakMemoryProbe();
  // MiB by which the peak RSS since construction exceeds the RSS at construction;
  // negative if the kernel does not support the reset.
  double extra_mib() const;

 private:
  double start_kib_ = 0.0;
  bool ok_ = false;
};

}  // namespace attn::bench
