// What child_process does the same on every platform: polls and waits on top of
// poll_locked, stop requests on top of signal_group_locked (child_process_posix.cpp,
// child_process_windows.cpp).
#include <algorithm>
#include <thread>

#include "child_process.hpp"

namespace wolfpack::samples {

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(10);

}  // namespace

std::string exit_info::describe() const {
  return signaled ? "signal " + std::to_string(code) : "exit code " + std::to_string(code);
}

std::optional<exit_info> child_process::poll() {
  std::lock_guard lock(mutex_);
  return poll_locked();
}

wait_end child_process::wait_until(std::chrono::steady_clock::time_point deadline,
                                   const std::function<bool()>& should_stop,
                                   const std::function<void()>& tick) {
  for (;;) {
    if (poll())
      return wait_end::exited;
    if (should_stop && should_stop())
      return wait_end::stopped;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline)
      return wait_end::deadline;
    if (tick)
      tick();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(poll_interval, deadline - now));
  }
}

void child_process::request_stop() {
  std::lock_guard lock(mutex_);
  if (!poll_locked() && !group_killed_)
    signal_group_locked(stop_request_signal);
}

}  // namespace wolfpack::samples
