#pragma once

// A child process started by a sample resource type (Generic Application, Generic Script,
// OCF Agent), leading a process group of its own so that stopping it stops whatever it
// started too. Portable: the platform layer's child_process (wolfpack::platform, linked into
// each plugin) starts and signals it; this class adds the lock, Win32 error codes and the
// polling waits the resource types use.
//
// Thread-safe: Terminate may stop a child while another thread is polling or waiting for it.
// The destructor kills a child still running (with its group) and reaps it: no zombie is
// left behind.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wolfpack/common/platform/child_process.hpp"

namespace wolfpack::samples {

struct launch_options {
  // argv[0] is the program: a path (absolute, or relative to working_dir) or a bare name
  // searched in PATH.
  std::vector<std::string> argv;
  // Empty: the monitor's working directory.
  std::string working_dir;
  // Added to the monitor's environment, replacing variables of the same name.
  std::vector<std::pair<std::string, std::string>> env;
  // Files the child's standard output and error are appended to (created if missing; both
  // may name the same file). Empty: discarded (/dev/null, NUL). Standard input is always the
  // null device.
  std::string stdout_path;
  std::string stderr_path;
};

// How a child ended.
struct exit_info {
  bool signaled = false;
  int code = 0;  // the exit code, or the signal number when signaled

  bool success() const noexcept { return !signaled && code == 0; }
  // "exit code 3", "signal 9".
  std::string describe() const;
};

// How a wait ended.
enum class wait_end { exited, deadline, stopped };

class child_process {
 public:
  // Starts a process in a new process group. Throws wolfpack::plugin::error with a Win32
  // code (ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_PATH_NOT_FOUND, ...) and a
  // message naming what could not be done.
  static std::unique_ptr<child_process> launch(const launch_options& options);

  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  int pid() const noexcept { return pid_; }

  // Reaps the child if it has ended (without blocking); its status, or nullopt while it runs.
  std::optional<exit_info> poll();

  // Polls until the child ends, `deadline` passes or `should_stop` says so; `tick` runs
  // between polls (progress reports). Never blocks longer than one short poll interval.
  wait_end wait_until(std::chrono::steady_clock::time_point deadline,
                      const std::function<bool()>& should_stop = nullptr,
                      const std::function<void()>& tick = nullptr);

  // Asks the whole group to stop: SIGTERM; Windows has no signals: CTRL_BREAK_EVENT to the
  // group when it shares the monitor's console, else what kill_group does (the caller's
  // grace period then ends early, as Generic Application's Offline does everywhere).
  void request_stop();
  // Kills the whole group now (SIGKILL; Windows: its job) and reaps the child. What the
  // child started is killed even after the child itself ended (a script's background job).
  void kill_group();

 private:
  explicit child_process(platform::child_process&& process);
  std::optional<exit_info> poll_locked();

  const int pid_;  // also the process group id

  std::mutex mutex_;
  platform::child_process process_;  // guarded by mutex_
  std::optional<exit_info> status_;  // set once reaped; guarded by mutex_
  bool group_killed_ = false;        // guarded by mutex_
};

}  // namespace wolfpack::samples
