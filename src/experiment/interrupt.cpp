#include "experiment/interrupt.h"

#include <signal.h>
#include <time.h>

#include <atomic>

#include "base/error.h"

namespace attn::experiment {

namespace {

std::atomic<int> pending_signal{0};
std::atomic<int64_t> first_signal_ns{0};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<int64_t>::is_always_lock_free,
              "a signal handler may only touch lock-free atomics");

// One stop request often arrives twice within microseconds: coreutils `timeout` signals its
// child and then its whole process group, a terminal's Ctrl-C reaches every process of the
// job. Only a repeat after this long is the user insisting.
constexpr int64_t kInsistAfterNs = 500'000'000;

int64_t monotonic_ns() {  // clock_gettime is async-signal-safe
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

struct sigaction previous_int, previous_term;
bool installed = false;

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  if (pending_signal.compare_exchange_strong(expected, sig)) {
    first_signal_ns.store(monotonic_ns());
    return;
  }
  // 0: the first signal's handler (on another thread) has not stored its time yet.
  const int64_t first = first_signal_ns.load();
  if (first != 0 && monotonic_ns() - first >= kInsistAfterNs) {
    // A second signal: the user insists. signal() and raise() are async-signal-safe.
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
}

}  // namespace

InterruptHandlers::InterruptHandlers() {
  ATTN_CHECK(!installed, internal, "InterruptHandlers installed twice");
  clear_interrupt();
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // the loop polls; interrupted system calls should just continue
  ATTN_CHECK(::sigaction(SIGINT, &action, &previous_int) == 0 &&
                 ::sigaction(SIGTERM, &action, &previous_term) == 0,
             internal, "cannot install SIGINT/SIGTERM handlers");
  installed = true;
}

InterruptHandlers::~InterruptHandlers() {
  ::sigaction(SIGINT, &previous_int, nullptr);
  ::sigaction(SIGTERM, &previous_term, nullptr);
  installed = false;
}

bool interrupt_requested() { return pending_signal.load(std::memory_order_relaxed) != 0; }
int interrupt_signal() { return pending_signal.load(std::memory_order_relaxed); }
void clear_interrupt() {
  first_signal_ns.store(0);
  pending_signal.store(0);
}

}  // namespace attn::experiment
