// Processes of a lab node on Windows (Toolhelp snapshots, process and thread handles): see
// process_tree.hpp.

#include "wolfpack/common/platform/process_tree.hpp"

#include <windows.h>

#include <shellapi.h>
#include <tlhelp32.h>
#include <winternl.h>

#include <algorithm>
#include <map>

#include "wolfpack/common/platform/stop_signals.hpp"

namespace wolfpack::platform {

namespace fs = std::filesystem;

namespace {

// Closes a handle when it goes out of scope; OpenProcess and OpenThread return nullptr on
// failure, snapshots INVALID_HANDLE_VALUE.
class handle {
 public:
  explicit handle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  ~handle() {
    if (h_ != nullptr)
      ::CloseHandle(h_);
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  HANDLE h_;
};

// pid -> parent pid of every process now.
std::map<int, int> parents() {
  std::map<int, int> all;
  handle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
  if (!snapshot)
    return all;
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  for (BOOL more = ::Process32FirstW(snapshot.get(), &entry); more;
       more = ::Process32NextW(snapshot.get(), &entry)) {
    all[static_cast<int>(entry.th32ProcessID)] = static_cast<int>(entry.th32ParentProcessID);
  }
  return all;
}

// The threads of `pid`, for freezing and thawing it.
std::vector<DWORD> threads_of(int pid) {
  std::vector<DWORD> ids;
  handle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0));
  if (!snapshot)
    return ids;
  THREADENTRY32 entry{};
  entry.dwSize = sizeof entry;
  for (BOOL more = ::Thread32First(snapshot.get(), &entry); more;
       more = ::Thread32Next(snapshot.get(), &entry)) {
    if (static_cast<int>(entry.th32OwnerProcessID) == pid)
      ids.push_back(entry.th32ThreadID);
  }
  return ids;
}

// Suspended: every thread has a suspend count above 0. SuspendThread returns the count before
// it, and the ResumeThread right after puts it back.
bool all_threads_suspended(int pid) {
  const auto ids = threads_of(pid);
  for (DWORD id : ids) {
    handle thread(::OpenThread(THREAD_SUSPEND_RESUME, FALSE, id));
    if (!thread)
      continue;  // ended since the snapshot
    const DWORD before = ::SuspendThread(thread.get());
    if (before == static_cast<DWORD>(-1))
      continue;
    ::ResumeThread(thread.get());
    if (before == 0)
      return false;
  }
  return !ids.empty();
}

// SuspendThread or ResumeThread on every thread; false when none could be reached.
bool each_thread(int pid, DWORD (*action)(HANDLE)) {
  bool any = false;
  for (DWORD id : threads_of(pid)) {
    handle thread(::OpenThread(THREAD_SUSPEND_RESUME, FALSE, id));
    if (thread && action(thread.get()) != static_cast<DWORD>(-1))
      any = true;
  }
  return any;
}

DWORD suspend(HANDLE thread) {
  return ::SuspendThread(thread);
}

// Resumed until running: a thread suspended twice needs two resumes.
DWORD resume(HANDLE thread) {
  DWORD before = 0;
  do {
    before = ::ResumeThread(thread);
  } while (before != static_cast<DWORD>(-1) && before > 1);
  return before;
}

std::optional<proc_stat> stat_of(int pid, int ppid) {
  handle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
  if (!process)
    return std::nullopt;
  FILETIME created{}, exited{}, kernel{}, user{};
  if (!::GetProcessTimes(process.get(), &created, &exited, &kernel, &user))
    return std::nullopt;
  DWORD code = 0;
  proc_stat p;
  p.pid = pid;
  p.ppid = ppid;
  // Ended but still referenced by a handle somewhere: as a zombie on Linux.
  p.state = ::GetExitCodeProcess(process.get(), &code) && code != STILL_ACTIVE ? 'Z' : 'R';
  p.start_ticks =
      (static_cast<std::uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
  return p;
}

// The command line of another process, read from its PEB (ProcessCommandLineInformation
// would be shorter, but Wine 8 does not answer it).
std::optional<std::wstring> command_line_of(int pid) {
  handle process(
      ::OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, static_cast<DWORD>(pid)));
  if (!process)
    return std::nullopt;
  PROCESS_BASIC_INFORMATION basic{};
  if (::NtQueryInformationProcess(process.get(), ProcessBasicInformation, &basic, sizeof basic,
                                  nullptr) < 0 ||
      basic.PebBaseAddress == nullptr)
    return std::nullopt;
  auto read = [&](const void* at, void* into, std::size_t size) {
    SIZE_T got = 0;
    return ::ReadProcessMemory(process.get(), at, into, size, &got) && got == size;
  };
  PEB peb{};
  RTL_USER_PROCESS_PARAMETERS parameters{};
  if (!read(basic.PebBaseAddress, &peb, sizeof peb) ||
      !read(peb.ProcessParameters, &parameters, sizeof parameters))
    return std::nullopt;
  std::wstring line(parameters.CommandLine.Length / sizeof(wchar_t), L'\0');
  if (!line.empty() &&
      !read(parameters.CommandLine.Buffer, line.data(), line.size() * sizeof(wchar_t)))
    return std::nullopt;
  return line;
}

std::wstring wide(const std::string& text) {
  return fs::path(text).wstring();
}

}  // namespace

std::optional<proc_stat> read_proc_stat(int pid) {
  if (pid <= 0)
    return std::nullopt;
  const auto all = parents();
  const auto it = all.find(pid);
  if (it == all.end())
    return std::nullopt;
  auto p = stat_of(pid, it->second);
  if (p && p->state == 'R' && all_threads_suspended(pid))
    p->state = 'T';
  return p;
}

std::vector<proc_stat> list_processes() {
  std::vector<proc_stat> all;
  for (const auto& [pid, ppid] : parents()) {
    // Gone between the snapshot and the look, or not ours to open: skipped.
    if (auto p = stat_of(pid, ppid))
      all.push_back(*p);
  }
  return all;
}

bool still_running(const proc_stat& p) {
  auto now = read_proc_stat(p.pid);
  return now && !now->zombie() && now->start_ticks == p.start_ticks;
}

bool pid_running(int pid) {
  auto now = read_proc_stat(pid);
  return now && !now->zombie();
}

std::optional<std::string> child_exit(int pid) {
  // An ended process's code is readable while anyone holds a handle to it; nobody may.
  handle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid)));
  DWORD code = 0;
  if (!process || !::GetExitCodeProcess(process.get(), &code) || code == STILL_ACTIVE)
    return std::nullopt;
  return "exited with code " + std::to_string(code);
}

bool command_line_has(int pid, const std::vector<std::string>& args) {
  if (pid <= 0)
    return false;
  const auto line = command_line_of(pid);
  if (!line)
    return false;
  int count = 0;
  LPWSTR* parsed = ::CommandLineToArgvW(line->c_str(), &count);
  if (parsed == nullptr)
    return false;
  std::vector<std::wstring> argv(parsed, parsed + count);
  ::LocalFree(parsed);
  std::vector<std::wstring> wanted;
  for (const auto& a : args)
    wanted.push_back(wide(a));
  return std::search(argv.begin(), argv.end(), wanted.begin(), wanted.end()) != argv.end();
}

bool signal_process(int pid, tree_signal what) {
  if (pid <= 0)
    return false;
  switch (what) {
    case tree_signal::stop:
      return request_stop(pid);
    case tree_signal::kill: {
      handle process(::OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid)));
      return process && ::TerminateProcess(process.get(), 1);
    }
    case tree_signal::freeze:
      return each_thread(pid, suspend);
    case tree_signal::thaw:
      break;
  }
  return each_thread(pid, resume);
}

int signal_tree(int leader, const std::vector<proc_stat>& tree, tree_signal what) {
  // No process groups here: the leader is signalled as one of the tree when it is in it.
  if (leader > 0 &&
      std::none_of(tree.begin(), tree.end(), [&](const proc_stat& p) { return p.pid == leader; }))
    signal_process(leader, what);
  int signalled = 0;
  for (const auto& p : tree) {
    if (still_running(p) && signal_process(p.pid, what))
      ++signalled;
  }
  return signalled;
}

}  // namespace wolfpack::platform
