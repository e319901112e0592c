// Stop signals (stop_signal.h): sigtimedwait on the blocked set, in short ticks.
#include "app/stop_signal.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>

namespace glassbook::app {

namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool wait_for_stop(double seconds) {
  const sigset_t set = stop_set();
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    double left = 0.2;
    if (seconds > 0) {
      left = seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) return false;
      if (left > 0.2) left = 0.2;
    }
    const auto ns = static_cast<long>(left * 1e9);
    timespec tick{ns / 1'000'000'000, ns % 1'000'000'000};
    if (sigtimedwait(&set, nullptr, &tick) > 0) return true;
  }
}

bool wait_for_next_pass(std::chrono::steady_clock::time_point start, double interval, double run_seconds) {
  double wait = interval;
  if (run_seconds > 0) {
    const double left = run_seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (left <= 0) return true;
    wait = std::min(wait, left);
  }
  return wait_for_stop(wait);
}

}  // namespace glassbook::app
