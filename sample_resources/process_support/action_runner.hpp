#pragma once

// Runs short-lived actions (a script verb, an OCF agent action) to their end with a
// deadline, and lets Terminate kill whatever is running. One per resource.

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "child_process.hpp"

namespace wolfpack::samples {

struct action_result {
  enum class end { exited, timed_out, stopped };
  end how = end::exited;
  exit_info status;  // when exited

  // "exit code 3", "no answer within 500 ms", "stopped".
  std::string describe(std::chrono::milliseconds timeout) const;
};

class action_runner {
 public:
  // Starts the action and waits for it. At the deadline, or when `should_stop` says so, its
  // whole process group is killed. `tick` runs between polls (progress reports). Throws
  // plugin::error when the action cannot be started.
  action_result run(const launch_options& options, std::chrono::milliseconds timeout,
                    const std::function<bool()>& should_stop = nullptr,
                    const std::function<void()>& tick = nullptr);

  // Kills every action in progress, with its group (Terminate); they end as "exited" with
  // signal 9.
  void kill_all();

 private:
  std::mutex mutex_;
  std::vector<child_process*> running_;  // guarded by mutex_
};

}  // namespace wolfpack::samples
