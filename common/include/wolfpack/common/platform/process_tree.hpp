#pragma once

// The processes of a lab node, as Linux shows them in /proc. A node's clussvc leads its own
// session; its monitors inherit the session and process group, and their children (a
// Generic Application, a script) may start groups of their own but stay descendants. So a
// node's whole tree is: the clussvc, its descendants by parent pid, and every member of its
// session or group (those outlive a dead parent and are reparented to init).
//
// The lab launcher (tools/wolfpack) is the user; the part every platform shares is in
// process_tree.cpp, the rest in process_tree_posix.cpp and process_tree_windows.cpp. Windows
// has no sessions or process groups of that kind: a node's
// tree is the clussvc and its descendants by parent pid (a Toolhelp snapshot), pgid and sid
// stay 0, and the start time is the process's creation time.
//
// Processes are identified by pid and start time, so a pid reused by an unrelated process
// between two looks is never signalled.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

struct proc_stat {
  int pid = 0;
  int ppid = 0;
  int pgid = 0;
  int sid = 0;
  char state = '?';  // R, S, D, T (stopped), t (traced), Z (zombie), ...
  std::uint64_t start_ticks = 0;

  bool stopped() const { return state == 'T' || state == 't'; }
  bool zombie() const { return state == 'Z' || state == 'X'; }
};

// One /proc/PID/stat line. The command name is in parentheses and may itself contain spaces
// and parentheses, so the fields are counted from the last ')'.
std::optional<proc_stat> parse_proc_stat(std::string_view line);

std::optional<proc_stat> read_proc_stat(int pid);
std::vector<proc_stat> list_processes();

// `root` (when alive), its descendants, and the members of the session and process group
// `root` leads, each once.
std::vector<proc_stat> process_tree(int root);

// Running (not a zombie) and the same process as `p` (same start time). A child of ours
// that has ended is reaped here, so it does not linger as a zombie.
bool still_running(const proc_stat& p);
// The process `pid` runs and is not a zombie (reaping it if it is our child).
bool pid_running(int pid);

// How a child of ours ended, once reaped ("exited with code 2", "killed by signal 9");
// nullopt while it runs or when it is not our child.
std::optional<std::string> child_exit(int pid);

// True when `pid`'s command line contains `args` as consecutive arguments, e.g.
// {"--state-dir", "/lab/node1"}: how a recorded pid is recognised as the lab's clussvc.
bool command_line_has(int pid, const std::vector<std::string>& args);

// Starts `exe` in a new session (so it outlives us and a terminal's Ctrl-C never reaches
// it; Windows: a new process group in a job of its own), stdin from /dev/null, stdout and
// stderr appended to `output`, through child_process (detached). Returns the pid.
result<int> spawn_in_session(const std::filesystem::path& exe, const std::vector<std::string>& args,
                             const std::filesystem::path& output);

// What the lab does to a node's processes:
//   stop    ask to exit in order: SIGTERM; Windows: platform::request_stop (the event that
//           platform::stop_signals waits on);
//   kill    now: SIGKILL; Windows: TerminateProcess, exit code 1;
//   freeze  SIGSTOP; Windows: every thread suspended;
//   thaw    SIGCONT; Windows: every thread resumed.
enum class tree_signal { stop, kill, freeze, thaw };

// Does `what` to process `pid`; false if it is gone or may not be signalled.
bool signal_process(int pid, tree_signal what);

// Does `what` to the group `leader` leads (POSIX) and to each process of `tree` that still
// runs. Returns how many processes were signalled individually.
int signal_tree(int leader, const std::vector<proc_stat>& tree, tree_signal what);

}  // namespace wolfpack::platform
