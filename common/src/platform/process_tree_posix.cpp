// Processes of a lab node on POSIX (/proc, waitpid, signals): see process_tree.hpp.

#include "wolfpack/common/platform/process_tree.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace wolfpack::platform {

namespace fs = std::filesystem;

namespace {

// Statuses of the children we reaped, for child_exit(): the launcher is the parent of the
// clussvcs it started until it exits, and only the parent learns the exit code.
std::map<int, std::string>& reaped() {
  static std::map<int, std::string> statuses;
  return statuses;
}

void try_reap(int pid) {
  int raw = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &raw, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r != pid)
    return;  // still running, or not our child (ECHILD)
  if (WIFSIGNALED(raw)) {
    const int sig = WTERMSIG(raw);
    reaped()[pid] = "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  } else {
    reaped()[pid] = "exited with code " + std::to_string(WEXITSTATUS(raw));
  }
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<proc_stat> read_proc_stat(int pid) {
  if (pid <= 0)
    return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat", std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line))
    return std::nullopt;
  return parse_proc_stat(line);
}

std::vector<proc_stat> list_processes() {
  std::vector<proc_stat> all;
  std::error_code ec;
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    int pid = 0;
    auto [last, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (error != std::errc() || last != name.data() + name.size())
      continue;
    if (auto p = read_proc_stat(pid))  // gone between the listing and the read: skipped
      all.push_back(*p);
  }
  return all;
}

bool still_running(const proc_stat& p) {
  try_reap(p.pid);
  auto now = read_proc_stat(p.pid);
  return now && !now->zombie() && now->start_ticks == p.start_ticks;
}

bool pid_running(int pid) {
  if (pid <= 0)
    return false;
  try_reap(pid);
  auto now = read_proc_stat(pid);
  return now && !now->zombie();
}

std::optional<std::string> child_exit(int pid) {
  try_reap(pid);
  auto it = reaped().find(pid);
  if (it == reaped().end())
    return std::nullopt;
  return it->second;
}

bool command_line_has(int pid, const std::vector<std::string>& args) {
  if (pid <= 0)
    return false;
  const std::string raw = slurp("/proc/" + std::to_string(pid) + "/cmdline");
  std::vector<std::string> argv;
  std::size_t start = 0;
  while (start < raw.size()) {
    const auto nul = raw.find('\0', start);
    argv.push_back(raw.substr(start, nul == std::string::npos ? nul : nul - start));
    if (nul == std::string::npos)
      break;
    start = nul + 1;
  }
  return std::search(argv.begin(), argv.end(), args.begin(), args.end()) != argv.end();
}

namespace {

int signal_number(tree_signal what) {
  switch (what) {
    case tree_signal::stop:
      return SIGTERM;
    case tree_signal::kill:
      return SIGKILL;
    case tree_signal::freeze:
      return SIGSTOP;
    case tree_signal::thaw:
      break;
  }
  return SIGCONT;
}

}  // namespace

bool signal_process(int pid, tree_signal what) {
  return pid > 0 && ::kill(pid, signal_number(what)) == 0;
}

int signal_tree(int leader, const std::vector<proc_stat>& tree, tree_signal what) {
  const int sig = signal_number(what);
  if (leader > 0)
    ::kill(-leader, sig);  // ESRCH once the group is empty: nothing to do
  int signalled = 0;
  for (const auto& p : tree) {
    if (still_running(p) && ::kill(p.pid, sig) == 0)
      ++signalled;
  }
  return signalled;
}

}  // namespace wolfpack::platform
