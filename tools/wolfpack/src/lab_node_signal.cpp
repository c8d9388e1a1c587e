// Stopping, killing, freezing and thawing lab nodes: see lab_nodes.hpp.

#include "lab_nodes.hpp"

#include <algorithm>
#include <set>

#include "wolfpack/common/platform/process_tree.hpp"

namespace wolfpack::tool {

using namespace std::chrono_literals;

namespace {

// A node's processes, looked up before anything is signalled: once the clussvc has exited
// its monitors are reparented and no longer found as its descendants.
struct node_tree {
  lab_node* node = nullptr;
  int leader = 0;  // the clussvc, 0 when it was not running
  std::vector<platform::proc_stat> processes;
};

std::vector<platform::proc_stat> session_members(const std::vector<int>& sessions) {
  std::vector<platform::proc_stat> members;
  for (const auto& p : platform::list_processes()) {
    if (!p.zombie() && std::any_of(sessions.begin(), sessions.end(),
                                   [&](int s) { return p.sid == s || p.pgid == s; }))
      members.push_back(p);
  }
  return members;
}

node_tree tree_of(lab_node& node) {
  node_tree t{&node, 0, {}};
  if (process_state(node) != node_process::not_running) {
    t.leader = node.pid;
    t.processes = platform::process_tree(node.pid);
  }
  for (const auto& p : session_members(node.stale_sessions))
    t.processes.push_back(p);
  return t;
}

std::string pid_list(const std::vector<int>& pids) {
  std::string text;
  for (int p : pids)
    text += (text.empty() ? "" : ", ") + std::to_string(p);
  return text;
}

std::vector<int> running_pids(const std::vector<platform::proc_stat>& processes) {
  std::set<int> pids;
  for (const auto& p : processes) {
    if (platform::still_running(p))
      pids.insert(p.pid);
  }
  return {pids.begin(), pids.end()};
}

// Freezes or thaws until every process of the tree is (or is no longer) stopped: a process
// may fork between the walk and the signal, so the tree is walked again each round.
result<std::vector<int>> signal_until(const lab_node& node, platform::tree_signal sig,
                                      bool want_stopped) {
  std::set<int> signalled;
  std::vector<int> not_yet;
  const bool settled = wait_until(
      [&] {
        const auto tree = platform::process_tree(node.pid);
        platform::signal_tree(node.pid, tree, sig);
        not_yet.clear();
        for (const auto& p : tree) {
          signalled.insert(p.pid);
          auto now = platform::read_proc_stat(p.pid);
          if (now && !now->zombie() && now->stopped() != want_stopped)
            not_yet.push_back(p.pid);
        }
        return not_yet.empty();
      },
      lab_clock::now() + 3s, 20ms);
  if (!settled) {
    return fail(std::string("processes of ") + node.name + " did not " +
                (want_stopped ? "stop" : "continue") + ": " + pid_list(not_yet));
  }
  return std::vector<int>(signalled.begin(), signalled.end());
}

}  // namespace

std::vector<int> leftover_processes(const lab_node& node) {
  std::vector<int> pids;
  for (const auto& p : session_members(node.stale_sessions))
    pids.push_back(p.pid);
  return pids;
}

status stop_nodes(lab_state& lab, const std::vector<std::string>& nodes,
                  std::chrono::milliseconds grace, std::ostream& out) {
  std::vector<node_tree> trees;
  for (const auto& name : nodes)
    trees.push_back(tree_of(*lab.find_node(name)));

  // A stopped process keeps SIGTERM pending until it continues, so frozen nodes are thawed
  // right after being told to stop.
  for (const auto& t : trees) {
    if (t.leader == 0)
      continue;
    platform::signal_process(t.leader, platform::tree_signal::stop);
    platform::signal_tree(t.leader, t.processes, platform::tree_signal::thaw);
  }
  const auto deadline = lab_clock::now() + grace;
  wait_until(
      [&] {
        return std::none_of(trees.begin(), trees.end(),
                            [](const node_tree& t) { return platform::pid_running(t.leader); });
      },
      deadline, 20ms);

  for (auto& t : trees) {
    const bool timed_out = t.leader != 0 && platform::pid_running(t.leader);
    // Whatever is left (monitors still shutting down, a plugin's children, the clussvc
    // itself when it ignored SIGTERM) goes now; the fresh look catches processes that were
    // started after the walk but stayed in the node's session or group.
    std::vector<platform::proc_stat> rest = t.processes;
    if (t.leader != 0) {
      for (const auto& p : session_members({t.leader}))
        rest.push_back(p);
    }
    platform::signal_tree(t.leader, rest, platform::tree_signal::kill);
    if (t.leader != 0) {
      const std::string how = platform::child_exit(t.leader).value_or("exited");
      out << "  " << t.node->name << ": "
          << (timed_out ? "did not exit within " + std::to_string(grace.count() / 1000) +
                              " s of SIGTERM; killed"
                        : "clussvc (pid " + std::to_string(t.leader) + ") " + how)
          << "\n";
    }
    t.processes = std::move(rest);
  }

  std::vector<int> left;
  wait_until(
      [&] {
        left.clear();
        for (const auto& t : trees) {
          for (int pid : running_pids(t.processes))
            left.push_back(pid);
        }
        return left.empty();
      },
      lab_clock::now() + 5s, 20ms);
  for (auto& t : trees) {
    t.node->pid = 0;
    t.node->stale_sessions.clear();
  }
  if (auto st = write_lab(lab); !st)
    return st;
  if (!left.empty())
    return fail("processes still running after SIGKILL: " + pid_list(left));
  return {};
}

result<std::vector<int>> kill_clussvc(lab_state& lab, lab_node& node) {
  if (process_state(node) == node_process::not_running)
    return fail(node.name + " is not running");
  const int pid = node.pid;
  platform::signal_process(pid, platform::tree_signal::kill);
  if (!wait_until([&] { return !platform::pid_running(pid); }, lab_clock::now() + 5s, 10ms))
    return fail(node.name + "'s clussvc (pid " + std::to_string(pid) + ") survived SIGKILL");
  node.pid = 0;
  node.stale_sessions.push_back(pid);
  auto left = leftover_processes(node);
  // A session nobody is left in needs no cleaning.
  std::erase_if(node.stale_sessions, [](int s) { return session_members({s}).empty(); });
  if (auto st = write_lab(lab); !st)
    return fail(st.error());
  return left;
}

result<std::vector<int>> freeze_node(const lab_node& node) {
  if (process_state(node) == node_process::not_running)
    return fail(node.name + " is not running");
  return signal_until(node, platform::tree_signal::freeze, true);
}

result<std::vector<int>> thaw_node(const lab_node& node) {
  if (process_state(node) == node_process::not_running)
    return fail(node.name + " is not running");
  return signal_until(node, platform::tree_signal::thaw, false);
}

}  // namespace wolfpack::tool
