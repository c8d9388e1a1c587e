// The POSIX half of child_process: posix_spawn into a new process group, waitpid(WNOHANG)
// polls, signals to the group. Replace this file (CreateProcess, a job object,
// TerminateJobObject) for Windows.

#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

#include <wolfpack/plugin.hpp>

extern char** environ;

namespace wolfpack::samples {
namespace {

DWORD win32_from_errno(int e) {
  switch (e) {
    case ENOENT:
      return ERROR_FILE_NOT_FOUND;
    case ENOTDIR:
      return ERROR_PATH_NOT_FOUND;
    case EACCES:
    case EPERM:
      return ERROR_ACCESS_DENIED;
    case ENOEXEC:
      return ERROR_BAD_EXE_FORMAT;
    case ENOMEM:
      return ERROR_NOT_ENOUGH_MEMORY;
    default:
      return ERROR_GEN_FAILURE;
  }
}

[[noreturn]] void fail(int e, const std::string& what) {
  throw plugin::error(win32_from_errno(e), what + ": " + std::strerror(e));
}

// A descriptor closed when the launch is over (the child has its own copy by then).
struct fd_holder {
  int fd = -1;
  ~fd_holder() {
    if (fd >= 0)
      ::close(fd);
  }
};

int open_output(const std::string& path) {
  const int fd = ::open(path.empty() ? "/dev/null" : path.c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    fail(errno, "cannot open the output file " + path);
  return fd;
}

// The monitor's environment with the overrides applied.
std::vector<std::string> environment(const launch_options& options) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(options.env.begin(), options.env.end(),
                                      [&](const auto& kv) { return kv.first == name; });
    if (!replaced)
      out.emplace_back(entry);
  }
  for (const auto& [name, value] : options.env)
    out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct spawn_objects {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  spawn_objects() {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
  }
  ~spawn_objects() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
  }
  spawn_objects(const spawn_objects&) = delete;
  spawn_objects& operator=(const spawn_objects&) = delete;
};

}  // namespace

std::unique_ptr<child_process> child_process::launch(const launch_options& options) {
  if (options.argv.empty() || options.argv[0].empty())
    throw plugin::error(ERROR_INVALID_PARAMETER, "no program to start");
  if (!options.working_dir.empty()) {
    struct stat st {};
    if (::stat(options.working_dir.c_str(), &st) != 0)
      fail(errno == ENOENT ? ENOTDIR : errno, "working directory " + options.working_dir);
    if (!S_ISDIR(st.st_mode))
      fail(ENOTDIR, "working directory " + options.working_dir);
  }

  spawn_objects so;
  fd_holder in, out, err;
  in.fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (in.fd < 0)
    fail(errno, "cannot open /dev/null");
  out.fd = open_output(options.stdout_path);
  err.fd = options.stderr_path == options.stdout_path ? -1 : open_output(options.stderr_path);
  ::posix_spawn_file_actions_adddup2(&so.actions, in.fd, 0);
  ::posix_spawn_file_actions_adddup2(&so.actions, out.fd, 1);
  ::posix_spawn_file_actions_adddup2(&so.actions, err.fd >= 0 ? err.fd : out.fd, 2);
  // The monitor's own descriptors (its socket to clussvc, other resources' files) must not
  // leak into a process that may outlive it.
  ::posix_spawn_file_actions_addclosefrom_np(&so.actions, 3);
  if (!options.working_dir.empty())
    ::posix_spawn_file_actions_addchdir_np(&so.actions, options.working_dir.c_str());

  // A group of its own, so that stopping it reaches its children; no blocked or ignored
  // signals inherited from the monitor's threads (a blocked SIGTERM would make Offline wait
  // for the SIGKILL).
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(&so.attr, &none);
  ::posix_spawnattr_setsigdefault(&so.attr, &all);
  ::posix_spawnattr_setpgroup(&so.attr, 0);
  ::posix_spawnattr_setflags(
      &so.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = environment(options);
  auto argv = pointers(args);
  auto envp = pointers(env);
  pid_t pid = -1;
  const bool search = args[0].find('/') == std::string::npos;
  const int rc =
      search ? ::posix_spawnp(&pid, argv[0], &so.actions, &so.attr, argv.data(), envp.data())
             : ::posix_spawn(&pid, argv[0], &so.actions, &so.attr, argv.data(), envp.data());
  if (rc != 0)
    fail(rc, "cannot start " + args[0]);
  return std::unique_ptr<child_process>(new child_process(pid));
}

child_process::~child_process() {
  // A child that ended by itself keeps its background jobs (a script's "online" may start a
  // daemon); one still running is not left behind.
  if (!poll())
    kill_group();
}

std::optional<exit_info> child_process::poll_locked() {
  if (status_)
    return status_;
  int raw = 0;
  const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
  if (r == pid_) {
    exit_info info;
    if (WIFSIGNALED(raw)) {
      info.signaled = true;
      info.code = WTERMSIG(raw);
    } else {
      info.code = WEXITSTATUS(raw);
    }
    status_ = info;
  } else if (r < 0 && errno == ECHILD) {
    // Someone else reaped it (the monitor never does; a plugin sharing the process might).
    status_ = exit_info{true, 0};
  }
  return status_;
}

void child_process::signal_group_locked(int signal) {
  // Once the leader is reaped the group may still have members (a script's background job);
  // the id stays reserved while it does, so the signal still reaches only them.
  if (::kill(-pid_, signal) != 0 && errno == ESRCH && !status_)
    ::kill(pid_, signal);  // the leader left its group (setsid): reach it alone
}

void child_process::kill_group() {
  std::lock_guard lock(mutex_);
  if (!group_killed_) {
    signal_group_locked(SIGKILL);
    group_killed_ = true;
  }
  if (!status_) {
    // SIGKILL cannot be caught: the wait is short (unless the process is stuck in the
    // kernel, which no signal can help).
    int raw = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &raw, 0);
    } while (r < 0 && errno == EINTR);
    status_ = exit_info{true, WIFSIGNALED(raw) ? WTERMSIG(raw) : SIGKILL};
    if (r == pid_ && WIFEXITED(raw))
      status_ = exit_info{false, WEXITSTATUS(raw)};
  }
}

}  // namespace wolfpack::samples
