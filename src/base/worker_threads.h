// Setting the number of OpenMP worker threads a command asked for (--threads N).
// libgomp starts its threads at the first parallel region, and when the system
// refuses one (a memory limit too small for N thread stacks) it prints its own
// message and exits, past every error handler. So the threads are tried first
// with the same default attributes libgomp uses, and a refusal becomes an
// attn error, before any run directory or output exists.
#pragma once

namespace attn {

// Throws Error kind usage when `threads` threads cannot be started.
void set_worker_threads(int threads);

}  // namespace attn
