// Graceful stop on SIGINT/SIGTERM. The handler only sets an atomic flag (the one
// thing a signal handler may safely do); the training loop polls
// interrupt_requested() between steps and between evaluation batches, saves,
// marks the run interrupted (an interrupted evaluation runs again on resume) and exits
// with kInterruptedExitCode. A second signal half a second or more after the first
// gets the default action, so an impatient Ctrl-C still kills; an echo of the first
// (timeout(1) signals child and group) does not.
#pragma once

namespace attn::experiment {

inline constexpr int kInterruptedExitCode = 130;

// Installs the handlers while alive and restores the previous ones on destruction.
// Clears any pending request on construction. One at a time per process.
class InterruptHandlers {
 public:
  InterruptHandlers();
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;
};

bool interrupt_requested();
// The signal number that requested the stop, 0 if none.
int interrupt_signal();
void clear_interrupt();

}  // namespace attn::experiment
