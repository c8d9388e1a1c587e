// `wolfpack up`: see lab_commands.hpp.

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>
#include <system_error>

#include <CLI/CLI.hpp>

#include "lab_api.hpp"
#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/common/platform/stop_flag.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/tool/cli.hpp"
#include "wolfpack/tool/lab_commands.hpp"
#include "wolfpack/tool/lab_launch.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

CLI::App* add_up_command(CLI::App& app, up_options& o) {
  auto* sub = app.add_subcommand(
      "up", "Start a lab: N clussvc nodes on this machine forming one cluster, registered by name");
  sub->add_option("--nodes", o.nodes,
                  "How many nodes (node1..nodeN); required for a new lab, at least as many as "
                  "the lab in DIR has")
      ->check(CLI::Range(1, max_lab_nodes));
  sub->add_option("--dir", o.dir, "Lab directory (lab.json, secret, a state directory per node)")
      ->capture_default_str();
  sub->add_option("--name", o.name,
                  "Cluster name, registered for 'cluster /cluster:NAME' (default: lab)");
  sub->add_flag("--demo", o.demo, "Create a group of three Dummy resources per node");
  sub->add_option("--base-port", o.base_port,
                  "Node I listens for peers on P+2(I-1) and serves the API on the next port "
                  "(default: any free ports, kept across restarts)")
      ->check(CLI::Range(1, 65535));
  sub->add_option("--heartbeat-ms", o.heartbeat_ms, "Heartbeat interval (default 1000)")
      ->check(CLI::Range(10, 60000));
  sub->add_option("--threshold", o.threshold,
                  "Missed heartbeats before a node is suspected (default 5)")
      ->check(CLI::Range(1, 100));
  sub->add_option("--quorum", o.quorum,
                  "Quorum model: majority (node majority, the default), disk (node and disk "
                  "witness majority) or share (node and file share witness majority)")
      ->check(CLI::IsMember({"majority", "disk", "share"}));
  sub->add_flag("--foreground", o.foreground,
                "Stay: show nodes and groups live, take the lab down on Ctrl-C");
  sub->add_option("--timeout", o.timeout_s, "Seconds to wait for every node to be Up")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  sub->add_option("--clussvc", o.clussvc, "The clussvc to run (default: the one beside wolfpack)");
  return sub;
}

status check_lab_name(std::string_view name) {
  if (name.empty())
    return fail("the lab name is empty");
  if (name.size() > 64)
    return fail("the lab name is longer than 64 characters");
  if (std::isalnum(static_cast<unsigned char>(name.front())) == 0)
    return fail("the lab name '" + std::string(name) + "' must start with a letter or digit");
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') {
      return fail("the lab name '" + std::string(name) +
                  "' may only use letters, digits, '-', '_' and '.'");
    }
  }
  return {};
}

result<lab_state> plan_lab(const up_options& o, const std::optional<lab_state>& existing,
                           const fs::path& dir, const fs::path& clussvc) {
  lab_state lab = existing.value_or(lab_state{});
  lab.dir = dir;
  const int have = static_cast<int>(lab.nodes.size());
  const std::string where = dir.string();
  if (o.nodes == 0 && have == 0)
    return fail("give --nodes N: there is no lab in " + where + " yet");
  if (o.nodes != 0 && o.nodes < have) {
    return fail("the lab in " + where + " has " + std::to_string(have) + " nodes; --nodes " +
                std::to_string(o.nodes) + " would leave members out (give --nodes " +
                std::to_string(have) + " or more, or another --dir)");
  }
  const int count = std::max(o.nodes, have);
  if (existing) {
    if (!o.name.empty() && o.name != lab.name) {
      return fail("the lab in " + where + " is cluster '" + lab.name +
                  "', which its databases record; give --name " + lab.name + " or another --dir");
    }
    if (o.base_port != 0 && o.base_port != lab.settings.base_port) {
      return fail("the lab in " + where + " uses " +
                  (lab.settings.base_port == 0
                       ? std::string("the ports its nodes first got")
                       : "--base-port " + std::to_string(lab.settings.base_port)) +
                  ", which its databases record; leave --base-port out or use another --dir");
    }
  } else {
    lab.name = o.name.empty() ? std::string(default_lab_name) : o.name;
    lab.settings.base_port = o.base_port;
    lab.secret_file = dir / "secret";
  }
  if (auto st = check_lab_name(lab.name); !st)
    return fail(st.error());
  if (auto st = check_base_port(lab.settings.base_port, count); !st)
    return fail(st.error());
  if (o.heartbeat_ms != 0)
    lab.settings.heartbeat_ms = o.heartbeat_ms;
  if (o.threshold != 0)
    lab.settings.threshold = o.threshold;
  if (!o.quorum.empty())
    lab.settings.quorum = o.quorum;
  lab.settings.clussvc = clussvc;
  for (int i = have + 1; i <= count; ++i) {
    lab_node n;
    n.name = lab_node_name(i);
    n.state_dir = dir / n.name;
    lab.nodes.push_back(std::move(n));
  }
  // Nothing runs (up refuses otherwise): fresh processes have no pids and no faults yet.
  for (auto& n : lab.nodes) {
    n.pid = 0;
    n.stale_sessions.clear();
  }
  lab.faults.clear();
  return lab;
}

namespace {

// The pids of a lab that still runs in DIR, as "node1 (pid 12), node2 (pid 14)".
std::string running_pids(const lab_state& lab) {
  std::string text;
  for (const auto& n : lab.nodes) {
    std::vector<int> pids = leftover_processes(n);
    if (process_state(n) != node_process::not_running)
      pids.insert(pids.begin(), n.pid);
    if (pids.empty())
      continue;
    text += (text.empty() ? "" : ", ") + n.name + " (pid";
    for (std::size_t i = 0; i < pids.size(); ++i)
      text += (i == 0 ? " " : ", ") + std::to_string(pids[i]);
    text += ")";
  }
  return text;
}

// Starts node1 alone (it forms the cluster or finds its old members), then the others
// joining through it, and waits until node1 sees all of them Up.
status start_all(lab_state& lab, lab_deadline deadline) {
  lab_node& first = lab.nodes.front();
  if (auto st = spawn_node(lab, first, {}); !st)
    return st;
  if (auto st = wait_for_endpoints(lab, {first.name}, deadline); !st)
    return st;
  std::vector<std::string> others;
  for (std::size_t i = 1; i < lab.nodes.size(); ++i) {
    if (auto st = spawn_node(lab, lab.nodes[i], {first.peer}); !st)
      return st;
    others.push_back(lab.nodes[i].name);
  }
  if (auto st = wait_for_endpoints(lab, others, deadline); !st)
    return st;
  return wait_until_up(lab, first.name, lab.node_names(), deadline);
}

void print_summary(const lab_state& lab, bool restarted, std::ostream& out) {
  out << "Lab '" << lab.name << "' is up" << (restarted ? " again" : "") << ": " << lab.nodes.size()
      << " node(s) in " << lab.dir.string() << "\n";
  std::size_t width = 0;
  for (const auto& n : lab.nodes)
    width = std::max(width, n.name.size());
  for (const auto& n : lab.nodes) {
    out << "  " << n.name << std::string(width - n.name.size(), ' ') << "  pid " << n.pid
        << "  api " << n.api << "  peer " << n.peer << "\n";
  }
  out << "Registered as '" << lab.name << "': 'cluster " << lab.name
      << " node', 'cluster /cluster:" << lab.name << " group'.\n"
      << "'wolfpack status " << dir_arg(lab) << "' shows it, 'wolfpack down " << dir_arg(lab)
      << "' stops it.\n";
}

}  // namespace

int run_up(const up_options& o, std::ostream& out, std::ostream& err) {
  const fs::path dir = absolute_dir(o.dir);
  auto existing = read_lab(dir);
  if (!existing) {
    err << "wolfpack up: " << existing.error() << "\n";
    return exit_failed;
  }
  if (existing->has_value()) {
    if (auto pids = running_pids(**existing); !pids.empty()) {
      err << "wolfpack up: the lab '" << (*existing)->name << "' in " << dir.string()
          << " is running: " << pids << "; 'wolfpack down --dir " << dir.string() << "' stops it\n";
      return exit_failed;
    }
  }
  if (!o.name.empty()) {
    if (auto st = check_lab_name(o.name); !st) {
      err << "wolfpack up: " << st.error() << "\n";
      return exit_usage;
    }
  }
  // Usage errors first: they do not depend on the build.
  auto clussvc = find_clussvc(o.clussvc);
  auto planned = plan_lab(o, *existing, dir, clussvc ? *clussvc : fs::path());
  if (!planned) {
    err << "wolfpack up: " << planned.error() << "\n";
    return exit_usage;
  }
  if (!clussvc) {
    err << "wolfpack up: " << clussvc.error() << "\n";
    return exit_failed;
  }
  lab_state lab = std::move(planned).value();
  const bool restarted = existing->has_value() && !(*existing)->nodes.empty();

  // Another running lab registered under this name keeps it.
  if (auto other = registered_lab_dir(lab.name); other && *other != lab.dir) {
    auto theirs = read_lab(*other);
    if (theirs && theirs->has_value() && !running_pids(**theirs).empty()) {
      err << "wolfpack up: the name '" << lab.name << "' belongs to the running lab in "
          << other->string() << "; give --name or take that one down\n";
      return exit_failed;
    }
  }

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    err << "wolfpack up: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return exit_failed;
  }
  if (auto secret = ensure_secret(lab.secret_file); !secret) {
    err << "wolfpack up: " << secret.error() << "\n";
    return exit_failed;
  }
  if (auto key = use_secret_file(lab.secret_file); !key) {
    err << "wolfpack up: " << key.error() << "\n";
    return exit_failed;
  }
  if (auto st = write_lab(lab); !st) {
    err << "wolfpack up: " << st.error() << "\n";
    return exit_failed;
  }

  platform::stop_flag signals;
  const auto deadline = lab_clock::now() + std::chrono::seconds(o.timeout_s);
  if (auto st = start_all(lab, deadline); !st) {
    err << "wolfpack up: " << st.error() << "\n";
    // A half-started lab is no use to anyone; the logs stay in DIR.
    std::ostringstream ignored;
    if (auto down = stop_nodes(lab, lab.node_names(), 10s, ignored); !down)
      err << "wolfpack up: stopping the nodes it started: " << down.error() << "\n";
    else
      err << "wolfpack up: stopped the nodes it had started; their logs stay in " << dir.string()
          << "\n";
    return exit_failed;
  }
  if (auto st = register_lab(lab); !st) {
    err << "wolfpack up: cannot register '" << lab.name << "': " << st.error() << "\n";
    return exit_failed;
  }
  int code = exit_ok;
  if (lab.settings.quorum == "disk" || lab.settings.quorum == "share") {
    if (auto st = configure_witness(lab, lab_clock::now() + std::chrono::seconds(o.timeout_s), out);
        !st) {
      err << "wolfpack up: --quorum " << lab.settings.quorum << ": " << st.error() << "\n";
      code = exit_failed;
    }
  }
  if (o.demo) {
    if (auto st =
            create_demo_groups(lab, lab_clock::now() + std::chrono::seconds(o.timeout_s), out);
        !st) {
      err << "wolfpack up: --demo: " << st.error() << "\n";
      code = exit_failed;
    }
  }
  print_summary(lab, restarted, out);
  if (!o.foreground)
    return code;
  const bool tty = &out == &std::cout && platform::is_terminal(1);
  return run_live_view(lab, 30s, out, err, tty);
}

}  // namespace wolfpack::tool
