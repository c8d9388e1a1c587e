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

running_action::running_action(action_runner& runner, std::unique_ptr<child_process> child,
                               std::chrono::milliseconds timeout)
    : runner_(runner),
      child_(std::move(child)),
      timeout_(timeout),
      deadline_(std::chrono::steady_clock::now() + timeout) {}

running_action::~running_action() {
  // Unregistered before the child goes, so that kill_all never sees a dead one.
  runner_.forget(child_.get());
}

std::shared_ptr<running_action> action_runner::start(const launch_options& options,
                                                     std::chrono::milliseconds timeout) {
  std::unique_ptr<child_process> child = child_process::launch(options);
  child_process* raw = child.get();
  std::shared_ptr<running_action> action(new running_action(*this, std::move(child), timeout));
  std::lock_guard lock(mutex_);
  running_.push_back(raw);
  return action;
}

bool action_runner::ended_within(running_action& action, std::chrono::milliseconds wait) {
  const auto until = std::min(action.deadline_, std::chrono::steady_clock::now() + wait);
  return action.child_->wait_until(until) == wait_end::exited;
}

action_result action_runner::finish(running_action& action,
                                    const std::function<bool()>& should_stop,
                                    const std::function<void()>& tick) {
  action_result result;
  const wait_end how = action.child_->wait_until(action.deadline_, should_stop, tick);
  if (how != wait_end::exited) {
    // The whole group: a hung script's children (a sleep, a stuck client) go with it.
    action.child_->kill_group();
    result.how =
        how == wait_end::deadline ? action_result::end::timed_out : action_result::end::stopped;
  }
  result.status = *action.child_->poll();
  return result;
}

action_result action_runner::run(const launch_options& options, std::chrono::milliseconds timeout,
                                 const std::function<bool()>& should_stop,
                                 const std::function<void()>& tick) {
  const auto action = start(options, timeout);
  return finish(*action, should_stop, tick);
}

void action_runner::forget(child_process* child) {
  std::lock_guard lock(mutex_);
  const auto it = std::find(running_.begin(), running_.end(), child);
  if (it != running_.end())
    running_.erase(it);
}

void action_runner::kill_all() {
  std::lock_guard lock(mutex_);
  for (child_process* c : running_)
    c->kill_group();
}

}  // namespace wolfpack::samples
