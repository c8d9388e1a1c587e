#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

struct spawn_options {
  // Added to (or replacing, by name) the parent's environment.
  std::vector<std::pair<std::string, std::string>> env{};
  // Empty: the parent's working directory.
  std::filesystem::path working_dir{};
  // Empty: inherit the parent's stream. Otherwise the file is created if needed and
  // appended to (both may name the same file; null_device() discards the output).
  std::filesystem::path stdout_path{};
  std::filesystem::path stderr_path{};
  // Standard input from /dev/null (NUL), as a service would have; false: inherit.
  bool null_stdin = true;
  // Start a new process group led by the child (POSIX setpgid(0,0); Windows
  // CREATE_NEW_PROCESS_GROUP, with the child in a job object of its own). terminate() and
  // kill() then signal the whole group (Windows: the whole job), so whatever the child
  // started goes too.
  bool new_process_group = false;
  // Detach from our terminal, as a daemon does, so that the child outlives the caller's
  // console: POSIX a new session (setsid); Windows a console of its own that has no window
  // (CREATE_NO_WINDOW), since a console closing ends every process attached to it. Implies a
  // new process group (and on Windows its job object).
  bool new_session = false;
};

// The file that discards what is written to it: /dev/null (Windows: NUL).
std::filesystem::path null_device();

// How a child ended: its exit code, or the signal that killed it (POSIX only).
struct exit_status {
  enum class kind { exited, signaled };

  kind how = kind::exited;
  int code = 0;  // exit code for exited, signal number for signaled

  static exit_status exited_with(int exit_code) { return {kind::exited, exit_code}; }
  static exit_status killed_by(int signal) { return {kind::signaled, signal}; }

  bool exited() const { return how == kind::exited; }
  bool signaled() const { return how == kind::signaled; }
  bool success() const { return exited() && code == 0; }
  // "exited with code 3", "killed by signal 9 (SIGKILL)".
  std::string to_string() const;

  bool operator==(const exit_status&) const = default;
};

// A child process we started. It is killed (and reaped) when this object is destroyed,
// unless detach() was called. Movable, not copyable. Not thread-safe: use one object from
// one thread at a time. Nothing else in the process may reap our children (no
// waitpid(-1, ...), no SIGCHLD set to SIG_IGN), or exit statuses are lost.
class child_process {
 public:
  // Starts `executable` with `args` (argv[1..]; argv[0] is the executable as given). An
  // executable without a directory part is searched in PATH. The error says what failed:
  // missing executable, bad working directory, unopenable output file, exec failure.
  // File descriptors are not inherited except 0, 1 and 2.
  static result<child_process> spawn(const std::filesystem::path& executable,
                                     const std::vector<std::string>& args,
                                     const spawn_options& options = {});
  // The same, and on failure `why` is the reason as a portable condition (generic_category
  // on Windows too), for callers that report it as a code: no_such_file_or_directory (no
  // such executable), permission_denied (not a regular file, not executable, or an output
  // file that may not be opened), not_a_directory (a bad working directory),
  // executable_format_error, not_enough_memory. POSIX gives the errno as it is; Windows maps
  // its errors to those, and to io_error for the rest.
  static result<child_process> spawn(const std::filesystem::path& executable,
                                     const std::vector<std::string>& args,
                                     const spawn_options& options, std::error_code& why);

  child_process() = default;
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  bool valid() const;
  int pid() const { return pid_; }

  // Reaps the child if it has ended; true while it runs.
  bool is_running();
  // Waits up to `timeout` for the child to end; its status, or nullopt if still running.
  std::optional<exit_status> wait_for(std::chrono::milliseconds timeout);
  // Waits as long as it takes.
  exit_status wait();
  // The status once reaped (by is_running, wait_for or wait).
  const std::optional<exit_status>& status() const { return status_; }

  // Asks the child to stop: SIGTERM (Windows: CTRL_BREAK_EVENT to its group when it has one
  // and shares our console, otherwise what kill() does: Windows has no other request to
  // stop that every console program hears). No-op once reaped.
  void terminate();
  // Stops it now: SIGKILL (Windows: TerminateJobObject for a group, else TerminateProcess,
  // both with exit code 1, since Windows has no signals). No-op once reaped, except for a
  // group: what the child started may still run in it (a script's background job), and is
  // ended too (Windows: the group's job). POSIX keeps a group's id from being reused while
  // the group has members, so the signal reaches only them; once the group is empty the id
  // may be reused, so call it soon after the reap, as a stop sequence does.
  // A group leader that left its group (setsid of its own) is signalled alone.
  void kill();
  // Lets the child outlive this object; it is no longer killed on destruction.
  void detach();

 private:
  void reset();

  int pid_ = -1;
  bool group_leader_ = false;
  bool detached_ = false;
  std::optional<exit_status> status_;
#ifdef _WIN32
  void* process_handle_ = nullptr;
  void* job_handle_ = nullptr;  // the group's job object (new_process_group only)
#else
  int pidfd_ = -1;  // Linux pidfd for waiting with a timeout; -1 if unavailable
#endif
};

}  // namespace wolfpack::platform
