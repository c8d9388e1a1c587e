#include "wolfpack/common/platform/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#ifdef _WIN32
#include <windows.h>

#include <cwchar>
#include <map>
#else
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
extern char** environ;
#endif

namespace wolfpack::platform {
namespace {

std::string_view signal_name(int signal) {
  switch (signal) {
    case 1:
      return "SIGHUP";
    case 2:
      return "SIGINT";
    case 3:
      return "SIGQUIT";
    case 4:
      return "SIGILL";
    case 5:
      return "SIGTRAP";
    case 6:
      return "SIGABRT";
    case 8:
      return "SIGFPE";
    case 9:
      return "SIGKILL";
    case 11:
      return "SIGSEGV";
    case 13:
      return "SIGPIPE";
    case 14:
      return "SIGALRM";
    case 15:
      return "SIGTERM";
    default:
      break;
  }
#ifndef _WIN32
  // Numbers that differ between Linux and the BSDs.
  if (signal == SIGBUS)
    return "SIGBUS";
  if (signal == SIGUSR1)
    return "SIGUSR1";
  if (signal == SIGUSR2)
    return "SIGUSR2";
  if (signal == SIGCHLD)
    return "SIGCHLD";
  if (signal == SIGSYS)
    return "SIGSYS";
#endif
  return {};
}

}  // namespace

std::string exit_status::to_string() const {
  if (exited()) {
    return "exited with code " + std::to_string(code);
  }
  std::string text = "killed by signal " + std::to_string(code);
  if (auto name = signal_name(code); !name.empty()) {
    text += " (" + std::string(name) + ")";
  }
  return text;
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      group_leader_(other.group_leader_),
      detached_(other.detached_),
      status_(std::exchange(other.status_, std::nullopt)) {
#ifdef _WIN32
  process_handle_ = std::exchange(other.process_handle_, nullptr);
  job_handle_ = std::exchange(other.job_handle_, nullptr);
#else
  pidfd_ = std::exchange(other.pidfd_, -1);
#endif
}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    reset();
    pid_ = std::exchange(other.pid_, -1);
    group_leader_ = other.group_leader_;
    detached_ = other.detached_;
    status_ = std::exchange(other.status_, std::nullopt);
#ifdef _WIN32
    process_handle_ = std::exchange(other.process_handle_, nullptr);
    job_handle_ = std::exchange(other.job_handle_, nullptr);
#else
    pidfd_ = std::exchange(other.pidfd_, -1);
#endif
  }
  return *this;
}

child_process::~child_process() {
  reset();
}

void child_process::reset() {
  if (valid() && !detached_ && !status_) {
    kill();
    wait();
  }
#ifdef _WIN32
  if (process_handle_ != nullptr) {
    ::CloseHandle(static_cast<HANDLE>(process_handle_));
    process_handle_ = nullptr;
  }
  // The job has no kill-on-close limit: closing it leaves a detached group running.
  if (job_handle_ != nullptr) {
    ::CloseHandle(static_cast<HANDLE>(job_handle_));
    job_handle_ = nullptr;
  }
#else
  if (pidfd_ >= 0) {
    ::close(pidfd_);
    pidfd_ = -1;
  }
#endif
  pid_ = -1;
  status_.reset();
  detached_ = false;
  group_leader_ = false;
}

bool child_process::valid() const {
  return pid_ > 0;
}

void child_process::detach() {
  detached_ = true;
}

exit_status child_process::wait() {
  for (;;) {
    if (auto s = wait_for(std::chrono::hours(24))) {
      return *s;
    }
  }
}

bool child_process::is_running() {
  return valid() && !wait_for(std::chrono::milliseconds(0)).has_value();
}

result<child_process> child_process::spawn(const std::filesystem::path& executable,
                                           const std::vector<std::string>& args,
                                           const spawn_options& options) {
  std::error_code ignored;
  return spawn(executable, args, options, ignored);
}

#ifndef _WIN32
// ---------------------------------------------------------------------------------------
// POSIX: posix_spawn (vfork-like in glibc, nothing but exec-safe steps in the child).

namespace {

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// Sets `why` to `error` and returns the failure.
failure failed(std::error_code& why, int error, std::string message) {
  why = std::error_code(error, std::generic_category());
  return fail(std::move(message));
}

// Owns a descriptor until spawn has copied it into the child.
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

// Opens `path` close-on-exec at a number >= 3, so that dup2 onto 0/1/2 in the child always
// makes a fresh, inheritable copy (dup2(fd, fd) would keep close-on-exec).
result<int> open_for_child(const std::filesystem::path& path, int flags, const char* what,
                           std::error_code& why) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    return failed(
        why, error,
        std::string("cannot open ") + what + " '" + path.string() + "': " + errno_text(error));
  }
  if (fd >= 3) {
    return fd;
  }
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  const int error = errno;
  ::close(fd);
  if (high < 0) {
    return failed(why, error, std::string("cannot open ") + what + ": " + errno_text(error));
  }
  return high;
}

struct spawn_state {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  spawn_state() {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
  }
  ~spawn_state() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
  }
  spawn_state(const spawn_state&) = delete;
  spawn_state& operator=(const spawn_state&) = delete;
};

}  // namespace

std::filesystem::path null_device() {
  return "/dev/null";
}

result<child_process> child_process::spawn(const std::filesystem::path& executable,
                                           const std::vector<std::string>& args,
                                           const spawn_options& options, std::error_code& why) {
  why.clear();
  const std::string exe = executable.string();
  const bool search_path = exe.find('/') == std::string::npos;
  const std::string what = "cannot start '" + exe + "': ";

  // Checked here, so the error names the problem; posix_spawn would only say ENOENT.
  if (exe.empty()) {
    return failed(why, ENOENT, "cannot start a process: empty executable path");
  }
  if (!search_path) {
    struct stat st {};
    if (::stat(exe.c_str(), &st) != 0) {
      const int error = errno;
      return failed(why, error, what + errno_text(error));
    }
    if (!S_ISREG(st.st_mode)) {
      return failed(why, EACCES, what + "not a regular file");  // as execve says
    }
    if (::access(exe.c_str(), X_OK) != 0) {
      const int error = errno;
      return failed(why, error, what + "not executable (" + errno_text(error) + ")");
    }
  }
  if (!options.working_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.working_dir, ec)) {
      return failed(
          why, ec == std::errc::permission_denied ? EACCES : ENOTDIR,
          what + "working directory '" + options.working_dir.string() + "' is not a directory");
    }
  }

  spawn_state state;
  fd_guard in_fd, out_fd, err_fd;
  if (options.null_stdin) {
    auto fd = open_for_child("/dev/null", O_RDONLY, "stdin", why);
    if (!fd)
      return fail(what + fd.error());
    in_fd.fd = *fd;
    ::posix_spawn_file_actions_adddup2(&state.actions, in_fd.fd, 0);
  }
  if (!options.stdout_path.empty()) {
    auto fd =
        open_for_child(options.stdout_path, O_WRONLY | O_CREAT | O_APPEND, "stdout file", why);
    if (!fd)
      return fail(what + fd.error());
    out_fd.fd = *fd;
    ::posix_spawn_file_actions_adddup2(&state.actions, out_fd.fd, 1);
  }
  if (!options.stderr_path.empty()) {
    auto fd =
        open_for_child(options.stderr_path, O_WRONLY | O_CREAT | O_APPEND, "stderr file", why);
    if (!fd)
      return fail(what + fd.error());
    err_fd.fd = *fd;
    ::posix_spawn_file_actions_adddup2(&state.actions, err_fd.fd, 2);
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Belt and braces: our descriptors are close-on-exec, but a library's may not be.
  ::posix_spawn_file_actions_addclosefrom_np(&state.actions, 3);
#endif
  if (!options.working_dir.empty()) {
#if (defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))) || \
    defined(__APPLE__)
    ::posix_spawn_file_actions_addchdir_np(&state.actions, options.working_dir.c_str());
#else
    return failed(why, ENOSYS,
                  what + "setting the working directory is not supported on this platform");
#endif
  }

  // The child starts with no blocked signals and default dispositions: a parent that
  // ignores SIGPIPE or blocks SIGTERM must not pass that on.
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(&state.attr, &none);
  ::posix_spawnattr_setsigdefault(&state.attr, &all);
  if (options.new_session) {
    // A session leader leads its process group too (and may not be moved to another).
    flags |= POSIX_SPAWN_SETSID;
  } else if (options.new_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    ::posix_spawnattr_setpgroup(&state.attr, 0);
  }
  ::posix_spawnattr_setflags(&state.attr, flags);

  std::vector<std::string> argv_storage;
  argv_storage.reserve(args.size() + 1);
  argv_storage.push_back(exe);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(options.env.begin(), options.env.end(),
                                      [&](const auto& kv) { return kv.first == name; });
    if (!replaced)
      env_storage.emplace_back(entry);
  }
  for (const auto& [name, value] : options.env) {
    env_storage.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& e : env_storage)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int rc =
      search_path
          ? ::posix_spawnp(&pid, exe.c_str(), &state.actions, &state.attr, argv.data(), envp.data())
          : ::posix_spawn(&pid, exe.c_str(), &state.actions, &state.attr, argv.data(), envp.data());
  if (rc != 0) {
    return failed(why, rc, what + errno_text(rc));
  }

  child_process child;
  child.pid_ = static_cast<int>(pid);
  child.group_leader_ = options.new_process_group || options.new_session;
#if defined(__linux__) && defined(SYS_pidfd_open)
  // A pidfd lets wait_for() sleep in poll() instead of polling waitpid. It is close-on-exec
  // by definition. Kernels before 5.3 (or seccomp) say no: we fall back to polling.
  child.pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (child.pidfd_ < 0)
    child.pidfd_ = -1;
#endif
  return child;
}

std::optional<exit_status> child_process::wait_for(std::chrono::milliseconds timeout) {
  if (status_ || !valid()) {
    return status_;
  }
  auto try_reap = [this]() -> bool {
    int raw = 0;
    pid_t r;
    do {
      r = ::waitpid(static_cast<pid_t>(pid_), &raw, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
      return false;
    }
    if (r < 0) {
      // ECHILD: someone else reaped it (a rule we document); the status is lost.
      status_ = exit_status::exited_with(-1);
    } else if (WIFSIGNALED(raw)) {
      status_ = exit_status::killed_by(WTERMSIG(raw));
    } else {
      status_ = exit_status::exited_with(WEXITSTATUS(raw));
    }
    return true;
  };

  if (try_reap() || timeout.count() <= 0) {
    return status_;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto backoff = std::chrono::milliseconds(1);
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return try_reap() ? status_ : std::nullopt;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    if (pidfd_ >= 0) {
      pollfd p{pidfd_, POLLIN, 0};
      const auto ms = static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
      ::poll(&p, 1, ms);  // EINTR or timeout: the loop re-checks
    } else {
      std::this_thread::sleep_for(std::min(backoff, left));
      backoff = std::min(backoff * 2, std::chrono::milliseconds(20));
    }
    if (try_reap()) {
      return status_;
    }
  }
}

void child_process::terminate() {
  if (valid() && !status_) {
    if (::kill(group_leader_ ? -pid_ : pid_, SIGTERM) != 0 && errno == ESRCH && group_leader_) {
      ::kill(pid_, SIGTERM);  // the leader left its group
    }
  }
}

void child_process::kill() {
  if (!valid()) {
    return;
  }
  if (group_leader_) {
    // After the reap too: the group may outlive its leader (see the header).
    if (::kill(-pid_, SIGKILL) != 0 && errno == ESRCH && !status_) {
      ::kill(pid_, SIGKILL);  // the leader left its group
    }
  } else if (!status_) {
    ::kill(pid_, SIGKILL);
  }
}

#else
// ---------------------------------------------------------------------------------------
// Windows: CreateProcessW, handles passed through an explicit inheritance list.

namespace {

std::wstring widen(const std::string& s) {
  if (s.empty())
    return {};
  const int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

std::string win_error_text(DWORD code) {
  return std::system_category().message(static_cast<int>(code)) + " (error " +
         std::to_string(code) + ")";
}

// The portable condition spawn() reports for a Win32 error (see the header).
std::errc condition_of(DWORD code) {
  switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
      return std::errc::no_such_file_or_directory;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
      return std::errc::permission_denied;
    case ERROR_DIRECTORY:
      return std::errc::not_a_directory;
    case ERROR_BAD_EXE_FORMAT:
    case ERROR_EXE_MACHINE_TYPE_MISMATCH:
      return std::errc::executable_format_error;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
      return std::errc::not_enough_memory;
    default:
      return std::errc::io_error;
  }
}

// Sets `why` and returns the failure.
failure failed(std::error_code& why, std::errc condition, std::string message) {
  why = std::make_error_code(condition);
  return fail(std::move(message));
}

failure failed(std::error_code& why, DWORD code, const std::string& what) {
  return failed(why, condition_of(code), what + win_error_text(code));
}

// Quotes one argument the way CommandLineToArgvW and the MSVC runtime split it back.
void append_quoted(std::wstring& cmd, const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    cmd += arg;
    return;
  }
  cmd += L'"';
  for (auto it = arg.begin();; ++it) {
    std::size_t backslashes = 0;
    while (it != arg.end() && *it == L'\\') {
      ++it;
      ++backslashes;
    }
    if (it == arg.end()) {
      cmd.append(backslashes * 2, L'\\');
      break;
    }
    if (*it == L'"') {
      cmd.append(backslashes * 2 + 1, L'\\');
    } else {
      cmd.append(backslashes, L'\\');
    }
    cmd += *it;
  }
  cmd += L'"';
}

struct handle_guard {
  HANDLE h = INVALID_HANDLE_VALUE;
  ~handle_guard() {
    if (h != INVALID_HANDLE_VALUE && h != nullptr)
      ::CloseHandle(h);
  }
};

result<HANDLE> open_inheritable(const std::filesystem::path& path, bool for_write,
                                std::error_code& why) {
  SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
  HANDLE h = ::CreateFileW(path.wstring().c_str(), for_write ? FILE_APPEND_DATA : GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa,
                           for_write ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    return failed(why, ::GetLastError(), "cannot open '" + path.string() + "': ");
  }
  return h;
}

HANDLE inheritable_copy(DWORD std_handle) {
  HANDLE parent = ::GetStdHandle(std_handle);
  if (parent == nullptr || parent == INVALID_HANDLE_VALUE)
    return INVALID_HANDLE_VALUE;
  HANDLE copy = INVALID_HANDLE_VALUE;
  if (!::DuplicateHandle(::GetCurrentProcess(), parent, ::GetCurrentProcess(), &copy, 0, TRUE,
                         DUPLICATE_SAME_ACCESS)) {
    return INVALID_HANDLE_VALUE;
  }
  return copy;
}

struct env_less {
  bool operator()(const std::wstring& a, const std::wstring& b) const {
    return ::_wcsicmp(a.c_str(), b.c_str()) < 0;
  }
};

}  // namespace

std::filesystem::path null_device() {
  return "NUL";
}

result<child_process> child_process::spawn(const std::filesystem::path& executable,
                                           const std::vector<std::string>& args,
                                           const spawn_options& options, std::error_code& why) {
  why.clear();
  const std::string what = "cannot start '" + executable.string() + "': ";
  if (executable.empty()) {
    return failed(why, std::errc::no_such_file_or_directory,
                  "cannot start a process: empty executable path");
  }
  // Checked here, so the error names the problem; CreateProcessW would only say "file not
  // found". A bare name is searched in PATH by CreateProcessW itself.
  if (executable.has_parent_path()) {
    std::error_code ec;
    const auto type = std::filesystem::status(executable, ec).type();
    if (type == std::filesystem::file_type::not_found) {
      return failed(why, std::errc::no_such_file_or_directory, what + "No such file or directory");
    }
    if (ec) {
      return failed(why, std::errc::io_error, what + ec.message());
    }
    if (type != std::filesystem::file_type::regular) {
      return failed(why, std::errc::permission_denied, what + "not a regular file");
    }
  }
  if (!options.working_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.working_dir, ec)) {
      return failed(
          why, std::errc::not_a_directory,
          what + "working directory '" + options.working_dir.string() + "' is not a directory");
    }
  }

  std::wstring cmd;
  append_quoted(cmd, executable.wstring());
  for (const auto& a : args) {
    cmd += L' ';
    append_quoted(cmd, widen(a));
  }

  handle_guard in_h, out_h, err_h;
  if (options.null_stdin) {
    auto h = open_inheritable("NUL", false, why);
    if (!h)
      return fail(what + h.error());
    in_h.h = *h;
  } else {
    in_h.h = inheritable_copy(STD_INPUT_HANDLE);
  }
  if (!options.stdout_path.empty()) {
    auto h = open_inheritable(options.stdout_path, true, why);
    if (!h)
      return fail(what + h.error());
    out_h.h = *h;
  } else {
    out_h.h = inheritable_copy(STD_OUTPUT_HANDLE);
  }
  if (!options.stderr_path.empty()) {
    auto h = open_inheritable(options.stderr_path, true, why);
    if (!h)
      return fail(what + h.error());
    err_h.h = *h;
  } else {
    err_h.h = inheritable_copy(STD_ERROR_HANDLE);
  }

  std::vector<HANDLE> inherit;
  for (HANDLE h : {in_h.h, out_h.h, err_h.h}) {
    if (h != INVALID_HANDLE_VALUE)
      inherit.push_back(h);
  }

  // Only the three standard handles are inherited, whatever else is inheritable here.
  SIZE_T attr_size = 0;
  ::InitializeProcThreadAttributeList(nullptr, 1, 0, &attr_size);
  std::vector<char> attr_storage(attr_size);
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_storage.data());
  if (!::InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
    return failed(why, ::GetLastError(), what);
  }
  struct attr_guard {
    LPPROC_THREAD_ATTRIBUTE_LIST a;
    ~attr_guard() { ::DeleteProcThreadAttributeList(a); }
  } attr_cleanup{attrs};
  if (!inherit.empty() &&
      !::UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit.data(),
                                   inherit.size() * sizeof(HANDLE), nullptr, nullptr)) {
    return failed(why, ::GetLastError(), what);
  }

  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof(si);
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = in_h.h;
  si.StartupInfo.hStdOutput = out_h.h;
  si.StartupInfo.hStdError = err_h.h;
  si.lpAttributeList = attrs;

  // The environment block: parent's variables with ours replacing (case-insensitively,
  // as Windows compares names) or added, sorted as CreateProcess expects.
  std::map<std::wstring, std::wstring, env_less> env;
  if (wchar_t* block = ::GetEnvironmentStringsW()) {
    for (const wchar_t* p = block; *p != L'\0'; p += std::wcslen(p) + 1) {
      std::wstring entry(p);
      const auto eq = entry.find(L'=', 1);  // names like "=C:" start with '='
      if (eq == std::wstring::npos)
        continue;
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    ::FreeEnvironmentStringsW(block);
  }
  for (const auto& [name, value] : options.env) {
    env[widen(name)] = widen(value);
  }
  std::wstring env_block;
  for (const auto& [name, value] : env) {
    env_block += name + L"=" + value;
    env_block += L'\0';
  }
  env_block += L'\0';

  DWORD flags = CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
  if (options.new_session)
    flags |= CREATE_NO_WINDOW;
  const bool new_group = options.new_process_group || options.new_session;
  handle_guard job;
  if (new_group) {
    // A process group on Windows only routes console events; the job object is what lets
    // kill() end everything the child starts. The child starts suspended so that it is in
    // the job before it can start anything.
    flags |= CREATE_NEW_PROCESS_GROUP | CREATE_SUSPENDED;
    job.h = ::CreateJobObjectW(nullptr, nullptr);
    if (job.h == nullptr) {
      return failed(why, ::GetLastError(), what + "cannot create a job object: ");
    }
  }
  const std::wstring dir = options.working_dir.wstring();

  PROCESS_INFORMATION pi{};
  if (!::CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, inherit.empty() ? FALSE : TRUE,
                        flags, env_block.data(), dir.empty() ? nullptr : dir.c_str(),
                        &si.StartupInfo, &pi)) {
    return failed(why, ::GetLastError(), what);
  }
  child_process child;
  child.pid_ = static_cast<int>(pi.dwProcessId);
  child.group_leader_ = options.new_process_group || options.new_session;
  child.process_handle_ = pi.hProcess;
  if (new_group) {
    if (!::AssignProcessToJobObject(job.h, pi.hProcess)) {
      const DWORD error = ::GetLastError();
      ::TerminateProcess(pi.hProcess, 1);
      ::CloseHandle(pi.hThread);
      child.wait();
      return failed(why, error, what + "cannot put the process in a job object: ");
    }
    child.job_handle_ = std::exchange(job.h, INVALID_HANDLE_VALUE);
    ::ResumeThread(pi.hThread);
  }
  ::CloseHandle(pi.hThread);
  return child;
}

std::optional<exit_status> child_process::wait_for(std::chrono::milliseconds timeout) {
  if (status_ || !valid()) {
    return status_;
  }
  const auto ms = static_cast<DWORD>(
      std::clamp<std::int64_t>(timeout.count(), 0, static_cast<std::int64_t>(INFINITE - 1)));
  if (::WaitForSingleObject(static_cast<HANDLE>(process_handle_), ms) != WAIT_OBJECT_0) {
    return std::nullopt;
  }
  DWORD code = 0;
  ::GetExitCodeProcess(static_cast<HANDLE>(process_handle_), &code);
  status_ = exit_status::exited_with(static_cast<int>(code));
  return status_;
}

void child_process::terminate() {
  if (!valid() || status_)
    return;
  // A console process group can be asked to stop; anything else can only be ended.
  if (group_leader_ && ::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, static_cast<DWORD>(pid_))) {
    return;
  }
  kill();
}

void child_process::kill() {
  if (!valid())
    return;
  // The group's job outlives its first process: what the child started is ended even after
  // the child itself has been reaped, as POSIX's kill(-pgid) reaches a group whose leader is
  // gone.
  if (job_handle_ != nullptr) {
    ::TerminateJobObject(static_cast<HANDLE>(job_handle_), 1);
  } else if (!status_) {
    ::TerminateProcess(static_cast<HANDLE>(process_handle_), 1);
  }
}

#endif

}  // namespace wolfpack::platform
