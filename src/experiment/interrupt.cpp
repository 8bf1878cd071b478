#include "experiment/interrupt.h"

#include <signal.h>

#include <atomic>

#include "base/error.h"

namespace attn::experiment {

namespace {

std::atomic<int> pending_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

struct sigaction previous_int, previous_term;
bool installed = false;

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  if (!pending_signal.compare_exchange_strong(expected, sig)) {
    // Second signal: the user insists. signal() and raise() are async-signal-safe.
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
void clear_interrupt() { pending_signal.store(0, std::memory_order_relaxed); }

}  // namespace attn::experiment
