// Process memory readings for benchmarks (Linux /proc).
#pragma once

namespace attn::bench {

double peak_rss_mib();     // VmHWM
double current_rss_mib();  // VmRSS
// Resets the VmHWM high-water mark to the current RSS (Linux ≥ 4.0); false if unsupported.
bool reset_peak_rss();

}  // namespace attn::bench
