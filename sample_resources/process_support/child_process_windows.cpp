// The Windows half of child_process: the platform layer's child_process (CreateProcessW into a
// new process group with a job object of its own, TerminateJobObject for the group) behind the
// lock this interface promises. Windows has no SIGTERM: request_stop sends CTRL_BREAK_EVENT to
// the group when it shares the monitor's console, and the caller's grace period then ends
// with kill_group, as Generic Application's Offline does everywhere.
#include <filesystem>
#include <thread>

#include <wolfpack/plugin.hpp>

#include "child_process.hpp"
#include "wolfpack/common/platform/child_process.hpp"

namespace wolfpack::samples {

namespace fs = std::filesystem;

namespace {

exit_info info_of(const platform::exit_status& s) {
  return exit_info{s.signaled(), s.code};
}

}  // namespace

struct child_process::windows_child {
  platform::child_process process;
};

child_process::child_process(int pid, std::unique_ptr<windows_child> child)
    : child_(std::move(child)), pid_(pid) {}

std::unique_ptr<child_process> child_process::launch(const launch_options& options) {
  if (options.argv.empty() || options.argv[0].empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, "no program to start");
  std::error_code ec;
  if (!options.working_dir.empty() && !fs::is_directory(options.working_dir, ec))
    throw plugin::error(ERROR_PATH_NOT_FOUND,
                        "working directory " + options.working_dir + ": not a directory");
  // A relative path with a directory part names a file under the working directory, as
  // POSIX resolves it after the chdir; a bare name is searched in PATH.
  fs::path program(options.argv[0]);
  if (program.is_relative() && program.has_parent_path() && !options.working_dir.empty())
    program = fs::path(options.working_dir) / program;
  if (program.has_parent_path()) {
    const auto type = fs::status(program, ec).type();
    if (type == fs::file_type::not_found)
      throw plugin::error(ERROR_FILE_NOT_FOUND,
                          "cannot start " + options.argv[0] + ": no such file");
    if (type != fs::file_type::regular)
      throw plugin::error(ERROR_ACCESS_DENIED,
                          "cannot start " + options.argv[0] + ": not a regular file");
  }
  platform::spawn_options o;
  o.env = options.env;
  o.working_dir = options.working_dir;
  o.stdout_path = options.stdout_path.empty() ? fs::path("NUL") : fs::path(options.stdout_path);
  o.stderr_path = options.stderr_path.empty() ? fs::path("NUL") : fs::path(options.stderr_path);
  o.null_stdin = true;
  o.new_process_group = true;
  const std::vector<std::string> args(options.argv.begin() + 1, options.argv.end());
  auto spawned = platform::child_process::spawn(program, args, o);
  if (!spawned) {
    // CreateProcessW's own search of a bare name fails with "cannot find the file".
    const bool missing = !program.has_parent_path();
    throw plugin::error(missing ? ERROR_FILE_NOT_FOUND : ERROR_GEN_FAILURE, spawned.error());
  }
  auto child = std::make_unique<windows_child>();
  child->process = std::move(spawned).value();
  const int pid = child->process.pid();
  return std::unique_ptr<child_process>(new child_process(pid, std::move(child)));
}

// Here, where windows_child is complete.
child_process::~child_process() {
  if (!poll())
    kill_group();
}

std::optional<exit_info> child_process::poll_locked() {
  if (status_)
    return status_;
  if (!child_->process.is_running() && child_->process.status())
    status_ = info_of(*child_->process.status());
  return status_;
}

void child_process::signal_group_locked(int) {
  child_->process.terminate();
}

void child_process::kill_group() {
  std::lock_guard lock(mutex_);
  if (!group_killed_) {
    // The whole job: the child and whatever it started, even after the child ended.
    child_->process.kill();
    group_killed_ = true;
  }
  if (!status_)
    status_ = info_of(child_->process.wait());
}

}  // namespace wolfpack::samples
