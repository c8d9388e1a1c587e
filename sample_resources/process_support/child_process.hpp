#pragma once

// A child process started by a sample resource type (Generic Application, Generic Script,
// OCF Agent), leading a process group of its own so that stopping it stops whatever it
// started too. The interface is portable; child_process_posix.cpp is the only file that
// knows POSIX, child_process_windows.cpp the only one that knows Windows (it runs the child
// through the platform layer's child_process: CreateProcess and a job object).
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
  // may name the same file). Empty: /dev/null. Standard input is always /dev/null.
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

  // Asks the whole group to stop (SIGTERM).
  void request_stop();
  // Kills the whole group now (SIGKILL) and reaps the child.
  void kill_group();

 private:
#ifdef _WIN32
  struct windows_child;  // child_process_windows.cpp
  child_process(int pid, std::unique_ptr<windows_child> child);
  std::unique_ptr<windows_child> child_;  // guarded by mutex_
#else
  explicit child_process(int pid) : pid_(pid) {}
#endif
  // Sends `signal` to the group; mutex_ held. Windows has no signals: a stop request there
  // is CTRL_BREAK_EVENT (child_process_windows.cpp).
  void signal_group_locked(int signal);
  static constexpr int stop_request_signal = 15;  // SIGTERM on every POSIX system
  std::optional<exit_info> poll_locked();

  const int pid_;  // also the process group id

  std::mutex mutex_;
  std::optional<exit_info> status_;  // set once reaped; guarded by mutex_
  bool group_killed_ = false;        // guarded by mutex_
};

}  // namespace wolfpack::samples
