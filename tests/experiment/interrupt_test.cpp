#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "experiment/interrupt.h"

namespace ex = attn::experiment;

namespace {
void (*current_handler(int sig))(int) {
  struct sigaction now {};
  sigaction(sig, nullptr, &now);
  return now.sa_handler;
}
}  // namespace

TEST_CASE("SIGINT and SIGTERM set the interrupt flag while handlers are installed", "[experiment]") {
  const auto before = current_handler(SIGINT);
  {
    ex::InterruptHandlers handlers;
    CHECK(!ex::interrupt_requested());
    raise(SIGINT);
    CHECK(ex::interrupt_requested());
    CHECK(ex::interrupt_signal() == SIGINT);
    ex::clear_interrupt();
    raise(SIGTERM);
    CHECK(ex::interrupt_signal() == SIGTERM);
    ex::clear_interrupt();
  }
  CHECK(current_handler(SIGINT) == before);
  CHECK(ex::kInterruptedExitCode == 130);
}

TEST_CASE("a second signal half a second after the first terminates the process", "[experiment]") {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ex::InterruptHandlers handlers;
    raise(SIGTERM);
    if (!ex::interrupt_requested()) _exit(3);  // the first one must only set the flag
    raise(SIGTERM);                             // an echo (timeout(1) signals child and group)
    usleep(600'000);
    raise(SIGTERM);
    _exit(4);  // not reached if the repeat killed us
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
}

TEST_CASE("a signal repeated at once is one stop request, not a kill", "[experiment]") {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ex::InterruptHandlers handlers;
    raise(SIGINT);
    raise(SIGINT);
    _exit(ex::interrupt_signal() == SIGINT ? 0 : 3);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
