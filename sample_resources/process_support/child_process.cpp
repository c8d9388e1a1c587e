// child_process on top of the platform layer's: the lock, the Win32 codes of launch errors,
// and the polling waits.
#include "child_process.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <wolfpack/plugin.hpp>
#include <wolfpack/win_error_code.hpp>

namespace wolfpack::samples {

namespace fs = std::filesystem;

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(10);

// The Win32 code for a portable launch error (platform::child_process::spawn says which).
[[noreturn]] void fail(std::errc why, const std::string& what) {
  const auto code = std::make_error_code(why);
  throw plugin::error(win32_code_of(code), what + ": " + code.message());
}

exit_info info_of(const platform::exit_status& s) {
  return exit_info{s.signaled(), s.code};
}

}  // namespace

std::string exit_info::describe() const {
  return signaled ? "signal " + std::to_string(code) : "exit code " + std::to_string(code);
}

child_process::child_process(platform::child_process&& process)
    : pid_(process.pid()), process_(std::move(process)) {}

std::unique_ptr<child_process> child_process::launch(const launch_options& options) {
  if (options.argv.empty() || options.argv[0].empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, "no program to start");
  std::error_code ec;
  if (!options.working_dir.empty() && !fs::is_directory(options.working_dir, ec))
    fail(ec == std::errc::permission_denied ? std::errc::permission_denied
                                            : std::errc::not_a_directory,
         "working directory " + options.working_dir);
  // A relative path with a directory part names a file under the working directory, as the
  // system resolves it after changing there; a bare name is searched in PATH.
  fs::path program(options.argv[0]);
  if (program.is_relative() && program.has_parent_path() && !options.working_dir.empty())
    program = fs::path(options.working_dir) / program;
  // Checked here so that the message names the program as configured.
  if (program.has_parent_path()) {
    const auto type = fs::status(program, ec).type();
    if (type == fs::file_type::not_found)
      fail(std::errc::no_such_file_or_directory, "cannot start " + options.argv[0]);
    if (ec) {
      // Neither there nor missing: a loop of links, a name too long, a directory on the way
      // that may not be searched. Say which.
      throw plugin::error(win32_code_of(ec),
                          "cannot start " + options.argv[0] + ": " + ec.message());
    }
    if (type != fs::file_type::regular)
      fail(std::errc::permission_denied, "cannot start " + options.argv[0]);
  }
  platform::spawn_options o;
  o.env = options.env;
  o.working_dir = options.working_dir;
  o.stdout_path =
      options.stdout_path.empty() ? platform::null_device() : fs::path(options.stdout_path);
  o.stderr_path =
      options.stderr_path.empty() ? platform::null_device() : fs::path(options.stderr_path);
  o.null_stdin = true;
  o.new_process_group = true;
  const std::vector<std::string> args(options.argv.begin() + 1, options.argv.end());
  std::error_code why;
  auto spawned = platform::child_process::spawn(program, args, o, why);
  if (!spawned)
    throw plugin::error(win32_code_of(why), spawned.error());
  return std::unique_ptr<child_process>(new child_process(std::move(spawned).value()));
}

child_process::~child_process() {
  // A child that ended by itself keeps its background jobs (a script's "online" may start a
  // daemon); one still running is not left behind.
  if (!poll())
    kill_group();
}

std::optional<exit_info> child_process::poll() {
  std::lock_guard lock(mutex_);
  return poll_locked();
}

std::optional<exit_info> child_process::poll_locked() {
  if (!status_ && !process_.is_running() && process_.status())
    status_ = info_of(*process_.status());
  return status_;
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
    process_.terminate();
}

void child_process::kill_group() {
  std::lock_guard lock(mutex_);
  if (!group_killed_) {
    // The whole group: the child and whatever it started, even after the child ended.
    process_.kill();
    group_killed_ = true;
  }
  if (!status_)
    status_ = info_of(process_.wait());
}

}  // namespace wolfpack::samples
