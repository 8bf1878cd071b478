// Peak resident memory of this process, and the growth of it over a region of code
// (PeakMemoryProbe), from Linux's per-process
// high-water mark: the start resets VmHWM to the current VmRSS (by writing "5" to
// /proc/self/clear_refs), the end reads VmHWM. Counts every page the region touches
// beyond what was resident at the start: buffers, library scratchpads, new thread
// stacks. Pages the allocator kept from earlier frees are resident already, so a
// region that reuses them is not charged, unless the probe trims the heap first.
#pragma once

namespace attn {

// Peak resident set size of this process (VmHWM of /proc/self/status), MiB; 0 if unknown.
double peak_memory_mib();

class PeakMemoryProbe {
 public:
  // trim_heap: hand free heap pages back to the system first (malloc_trim), so a
  // region that reallocates a buffer freed before the probe is charged for it.
  explicit PeakMemoryProbe(bool trim_heap = false);
  // MiB by which the peak RSS since construction exceeds the RSS at construction;
  // negative if the kernel does not support the reset.
  double extra_mib() const;

 private:
  double start_kib_ = 0.0;
  bool ok_ = false;
};

}  // namespace attn
