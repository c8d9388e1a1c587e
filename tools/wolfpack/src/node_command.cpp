// `wolfpack node start|stop|kill|freeze|thaw NODE`: see lab_commands.hpp.

#include <sstream>

#include <CLI/CLI.hpp>

#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

CLI::App* add_node_command(CLI::App& app, node_options& o) {
  auto* sub = app.add_subcommand(
      "node",
      "Act on one node: start (rejoin), stop (clean), kill (SIGKILL of clussvc), "
      "freeze/thaw (SIGSTOP/SIGCONT of its whole process tree), cleanup (an evicted node "
      "forgets the cluster: cluster node N /forcecleanup)");
  sub->add_option("action", o.action, "start, stop, kill, freeze, thaw or cleanup")
      ->required()
      ->check(CLI::IsMember({"start", "stop", "kill", "freeze", "thaw", "cleanup"}));
  sub->add_option("node", o.node, "The node (node1, node2, ...)")->required();
  sub->add_option("--dir", o.dir, "Lab directory")->capture_default_str();
  sub->add_option("--timeout", o.timeout_s,
                  "Seconds: start waits this long for the node to be Up (default 60), stop and "
                  "cleanup for clussvc to exit before killing it (default 30)")
      ->check(CLI::Range(1, 3600));
  sub->add_option("--clussvc", o.clussvc,
                  "start: the clussvc to run (default: the one the lab was started with)");
  return sub;
}

namespace {

std::string pids_text(const std::vector<int>& pids) {
  std::string text;
  for (int p : pids)
    text += (text.empty() ? "" : " ") + std::to_string(p);
  return text;
}

// The peer address of a member that runs, preferring one that is not frozen.
std::vector<std::string> join_through(const lab_state& lab, const lab_node& self) {
  for (auto wanted : {node_process::running, node_process::frozen}) {
    for (const auto& n : lab.nodes) {
      if (n.name != self.name && !n.peer.empty() && process_state(n) == wanted)
        return {n.peer};
    }
  }
  return {};
}

int start(lab_state& lab, lab_node& node, const node_options& o, std::ostream& out,
          std::ostream& err) {
  std::string clussvc = o.clussvc;
  std::error_code ec;
  if (clussvc.empty() && fs::is_regular_file(lab.settings.clussvc, ec))
    clussvc = lab.settings.clussvc.string();
  auto exe = find_clussvc(clussvc);
  if (!exe) {
    err << "wolfpack node start: " << exe.error() << "\n";
    return exit_failed;
  }
  lab.settings.clussvc = *exe;
  // An evicted node's database still names it a member, so started as it is it would never
  // be Up: say so now rather than after the timeout.
  if (has_database(node)) {
    if (auto member = counted_as_member(lab, node); member && !*member) {
      err << "wolfpack node start: " << node.name << " was evicted from cluster '" << lab.name
          << "'; 'wolfpack node cleanup " << node.name << " " << dir_arg(lab) << "' (cluster node "
          << node.name << " /forcecleanup) lets it join again\n";
      return exit_failed;
    }
  }
  const auto join = join_through(lab, node);
  const auto deadline = lab_clock::now() + std::chrono::seconds(o.timeout_s ? o.timeout_s : 60);
  status st = spawn_node(lab, node, join);
  if (st)
    st = wait_for_endpoints(lab, {node.name}, deadline);
  if (st)
    st = wait_until_up(lab, node.name, {node.name}, deadline);
  if (!st) {
    err << "wolfpack node start: " << st.error() << "\n";
    std::ostringstream ignored;
    stop_nodes(lab, {node.name}, 10s, ignored);
    err << "wolfpack node start: stopped " << node.name << " again\n";
    return exit_failed;
  }
  out << node.name << " is up (pid " << node.pid << ", api " << node.api << ")"
      << (join.empty() ? std::string(", no other member running: it forms the cluster")
                       : ", joined through " + join.front())
      << "\n";
  int code = exit_ok;
  if (!lab.faults_of(node.name).empty()) {
    if (auto f = push_faults(lab, node.name, err); !f) {
      err << "wolfpack node start: " << f.error() << "\n";
      code = exit_failed;
    }
  }
  if (auto w = write_lab(lab); !w) {
    err << "wolfpack node start: " << w.error() << "\n";
    return exit_failed;
  }
  if (auto r = register_lab(lab); !r) {
    err << "wolfpack node start: cannot update the registration: " << r.error() << "\n";
    code = exit_failed;
  }
  return code;
}

}  // namespace

int run_node(const node_options& o, std::ostream& out, std::ostream& err) {
  const std::string verb = "wolfpack node " + o.action + ": ";
  auto lab = load_lab(absolute_dir(o.dir));
  if (!lab) {
    err << verb << lab.error() << "\n";
    return exit_failed;
  }
  auto found = find_lab_node(*lab, o.node);
  if (!found) {
    err << verb << found.error() << "\n";
    return exit_usage;
  }
  lab_node& node = **found;
  const auto state = process_state(node);

  if (o.action == "start") {
    if (state != node_process::not_running) {
      err << verb << node.name << " is already running (pid " << node.pid << ", "
          << to_string(state) << ")\n";
      return exit_failed;
    }
    return start(*lab, node, o, out, err);
  }
  if (o.action == "cleanup") {
    const auto grace = std::chrono::seconds(o.timeout_s ? o.timeout_s : 30);
    if (auto st = cleanup_node(*lab, node, grace, out); !st) {
      err << verb << st.error() << "\n";
      return exit_failed;
    }
    out << node.name << " is cleaned up: it has no cluster database now. 'wolfpack node start "
        << node.name << " " << dir_arg(*lab)
        << "' adds it to the cluster again as a new node (while a member runs)\n";
    return exit_ok;
  }
  if (state == node_process::not_running) {
    err << verb << node.name << " is not running; 'wolfpack node start " << node.name << " "
        << dir_arg(*lab) << "' starts it\n";
    return exit_failed;
  }
  if (o.action == "stop") {
    const auto grace = std::chrono::seconds(o.timeout_s ? o.timeout_s : 30);
    if (auto st = stop_nodes(*lab, {node.name}, grace, out); !st) {
      err << verb << st.error() << "\n";
      return exit_failed;
    }
    return exit_ok;
  }
  if (o.action == "kill") {
    const int pid = node.pid;
    auto left = kill_clussvc(*lab, node);
    if (!left) {
      err << verb << left.error() << "\n";
      return exit_failed;
    }
    out << "killed " << node.name << "'s clussvc (pid " << pid << ")";
    if (!left->empty())
      out << "; still running in its session (its monitors): " << pids_text(*left);
    out << "\n";
    return exit_ok;
  }
  if (o.action == "freeze" && state == node_process::frozen) {
    out << node.name << " is frozen already\n";
    return exit_ok;
  }
  const bool freeze = o.action == "freeze";
  auto pids = freeze ? freeze_node(node) : thaw_node(node);
  if (!pids) {
    err << verb << pids.error() << "\n";
    return exit_failed;
  }
  out << (freeze ? "froze " : "thawed ") << node.name << ": pids " << pids_text(*pids) << "\n";
  if (!freeze && !lab->faults_of(node.name).applied) {
    const auto st = push_faults(*lab, node.name, err);
    if (auto w = write_lab(*lab); !w || !st) {
      err << verb << (st ? w.error() : st.error()) << "\n";
      return exit_failed;
    }
  }
  return exit_ok;
}

}  // namespace wolfpack::tool
