#pragma once

// Runs short-lived actions (a script verb, an OCF agent action) to their end with a
// deadline, and lets Terminate kill whatever is running. One per resource.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace wolfpack::samples {

struct action_result {
  enum class end { exited, timed_out, stopped };
  end how = end::exited;
  exit_info status;  // when exited

  // "exit code 3", "no answer within 500 ms (killed)", "stopped (killed)".
  std::string describe(std::chrono::milliseconds timeout) const;
};

class action_runner;

// An action started by action_runner::start, until action_runner::finish. Destroyed
// unfinished, it is killed.
class running_action {
 public:
  ~running_action();
  running_action(const running_action&) = delete;
  running_action& operator=(const running_action&) = delete;

  std::chrono::milliseconds timeout() const noexcept { return timeout_; }

 private:
  friend class action_runner;
  running_action(action_runner& runner, std::unique_ptr<child_process> child,
                 std::chrono::milliseconds timeout);

  action_runner& runner_;
  std::unique_ptr<child_process> child_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
};

class action_runner {
 public:
  // Starts the action and waits for it: start, then finish.
  action_result run(const launch_options& options, std::chrono::milliseconds timeout,
                    const std::function<bool()>& should_stop = nullptr,
                    const std::function<void()>& tick = nullptr);

  // Starts the action (throws plugin::error when it cannot be started); its deadline runs
  // from now.
  std::shared_ptr<running_action> start(const launch_options& options,
                                        std::chrono::milliseconds timeout);
  // True when the action ended within `wait` (a quick one needs no pending operation).
  bool ended_within(running_action& action, std::chrono::milliseconds wait);
  // Waits for the action to end. At its deadline, or when `should_stop` says so, its whole
  // process group is killed. `tick` runs between polls (progress reports).
  action_result finish(running_action& action, const std::function<bool()>& should_stop = nullptr,
                       const std::function<void()>& tick = nullptr);

  // Kills every action in progress, with its group (Terminate); they end as "exited" with
  // signal 9.
  void kill_all();

 private:
  friend class running_action;
  void forget(child_process* child);

  std::mutex mutex_;
  std::vector<child_process*> running_;  // guarded by mutex_
};

}  // namespace wolfpack::samples
