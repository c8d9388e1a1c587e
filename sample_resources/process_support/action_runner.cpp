#include "action_runner.hpp"

#include <algorithm>

namespace wolfpack::samples {

std::string action_result::describe(std::chrono::milliseconds timeout) const {
  switch (how) {
    case end::exited:
      return status.describe();
    case end::timed_out:
      return "no answer within " + std::to_string(timeout.count()) + " ms (killed)";
    case end::stopped:
      return "stopped (killed)";
  }
  return "?";
}

action_result action_runner::run(const launch_options& options, std::chrono::milliseconds timeout,
                                 const std::function<bool()>& should_stop,
                                 const std::function<void()>& tick) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_ptr<child_process> child = child_process::launch(options);
  {
    std::lock_guard lock(mutex_);
    running_.push_back(child.get());
  }
  action_result result;
  const wait_end how = child->wait_until(deadline, should_stop, tick);
  if (how == wait_end::exited) {
    result.status = *child->poll();
  } else {
    // The whole group: a hung script's children (a sleep, a stuck client) go with it.
    child->kill_group();
    result.how =
        how == wait_end::deadline ? action_result::end::timed_out : action_result::end::stopped;
    result.status = *child->poll();
  }
  std::lock_guard lock(mutex_);
  running_.erase(std::find(running_.begin(), running_.end(), child.get()));
  return result;
}

void action_runner::kill_all() {
  std::lock_guard lock(mutex_);
  for (child_process* c : running_)
    c->kill_group();
}

}  // namespace wolfpack::samples
