// Starting lab nodes and waiting for them: see lab_nodes.hpp.

#include "lab_nodes.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <system_error>

#include "lab_api.hpp"
#include "wolfpack/common/platform/process_tree.hpp"
#include "wolfpack/common/platform/stop_flag.hpp"
#include "wolfpack/common/platform/system.hpp"
#include "wolfpack/tool/lab_launch.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Written into clussvc.out before each start, so the output of this run can be told from
// the runs before it.
constexpr std::string_view start_marker = "== wolfpack: starting ";

// The lines clussvc wrote since it was last started (the last `max_lines` of them).
std::string output_of_last_start(const lab_node& node, std::size_t max_lines = 12) {
  std::ifstream in(output_file(node), std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(start_marker))
      lines.clear();
    else
      lines.push_back(line);
  }
  if (lines.size() > max_lines)
    lines.erase(lines.begin(), lines.end() - static_cast<long>(max_lines));
  std::string text;
  for (const auto& l : lines)
    text += "    " + l + "\n";
  return text.empty() ? "    (nothing)\n" : text;
}

std::string ended_text(const lab_node& node) {
  const std::string how = platform::child_exit(node.pid).value_or("ended");
  return node.name + "'s clussvc (pid " + std::to_string(node.pid) + ") " + how +
         " before it was ready; " + output_file(node).string() + " says:\n" +
         output_of_last_start(node) + where_to_look(node);
}

// Ctrl-C while `up` waits for its nodes: the caller stops what it started.
status interrupted() {
  return fail(std::string("interrupted (") + platform::stop_flag::request() + ")");
}

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}

}  // namespace

std::string to_string(node_process p) {
  switch (p) {
    case node_process::running:
      return "running";
    case node_process::frozen:
      return "frozen";
    case node_process::not_running:
      break;
  }
  return "not running";
}

node_process process_state(const lab_node& node) {
  if (node.pid <= 0 || !platform::pid_running(node.pid) ||
      !platform::command_line_has(node.pid, {"--state-dir", node.state_dir.string()}))
    return node_process::not_running;
  auto st = platform::read_proc_stat(node.pid);
  return st && st->stopped() ? node_process::frozen : node_process::running;
}

fs::path output_file(const lab_node& node) {
  return node.state_dir / "clussvc.out";
}

fs::path log_file(const lab_node& node) {
  return node.state_dir / "clussvc.log";
}

std::string where_to_look(const lab_node& node) {
  return "See " + output_file(node).string() + " and " + log_file(node).string() +
         " (monitors: " + (node.state_dir / "monitors").string() + "/).";
}

status spawn_node(lab_state& lab, lab_node& node, std::vector<std::string> join) {
  auto launch = launch_for(lab, node, std::move(join));
  if (!launch)
    return fail(launch.error());
  std::error_code ec;
  fs::create_directories(node.state_dir, ec);
  if (ec)
    return fail("cannot create " + node.state_dir.string() + ": " + ec.message());
  // Endpoint files of an earlier run would be taken for this one's.
  fs::remove(node.state_dir / "api.endpoint", ec);
  fs::remove(node.state_dir / "peer.endpoint", ec);
  const auto args = clussvc_arguments(*launch);
  {
    std::ofstream out(output_file(node), std::ios::binary | std::ios::app);
    out << start_marker << node.name << " at " << now_text() << ": "
        << lab.settings.clussvc.string();
    for (const auto& a : args)
      out << ' ' << a;
    out << '\n';
  }
  // The lab resource types (IP Address, Physical Disk, ...) keep their shared registries in
  // one directory all nodes of this lab see (docs/resource-types.md); a value the user set
  // wins. The node inherits it, and its monitors from the node.
  if (std::getenv("WOLFPACK_LAB_DIR") == nullptr)
    platform::set_environment("WOLFPACK_LAB_DIR", (lab.dir / "shared").string());
  auto pid = platform::spawn_in_session(lab.settings.clussvc, args, output_file(node));
  if (!pid)
    return fail(pid.error());
  node.pid = *pid;
  return write_lab(lab);
}

status wait_for_endpoints(lab_state& lab, const std::vector<std::string>& nodes,
                          lab_deadline deadline) {
  std::vector<std::string> waiting = nodes;
  std::string ended;
  wait_until(
      [&] {
        if (platform::stop_flag::raised())
          return true;
        for (auto it = waiting.begin(); it != waiting.end();) {
          lab_node* n = lab.find_node(*it);
          auto api = read_endpoint_file(n->state_dir / "api.endpoint");
          auto peer = read_endpoint_file(n->state_dir / "peer.endpoint");
          if (api && peer) {
            n->api = *api;
            n->peer = *peer;
            it = waiting.erase(it);
          } else if (!platform::pid_running(n->pid)) {
            ended = ended_text(*n);
            return true;
          } else {
            ++it;
          }
        }
        return waiting.empty();
      },
      deadline, 20ms);
  if (auto st = write_lab(lab); !st)
    return st;
  if (!ended.empty())
    return fail(ended);
  if (platform::stop_flag::raised())
    return interrupted();
  if (!waiting.empty()) {
    std::string text = "nodes not ready in time:";
    for (const auto& name : waiting) {
      const lab_node* n = lab.find_node(name);
      std::string missing;
      for (const char* file : {"api.endpoint", "peer.endpoint"}) {
        if (!read_endpoint_file(n->state_dir / file))
          missing += std::string(missing.empty() ? "" : " and ") + file;
      }
      text += "\n  " + name + " has not written " + missing + ". " + where_to_look(*n) +
              " Its last output:\n" + output_of_last_start(*n);
    }
    return fail(text);
  }
  return {};
}

status wait_until_up(const lab_state& lab, const std::string& observer,
                     const std::vector<std::string>& nodes, lab_deadline deadline) {
  const lab_node* obs = lab.find_node(observer);
  std::map<std::string, std::string> seen;  // node -> state, as the observer reports it
  std::string last_error;
  std::string ended;
  const bool all_up = wait_until(
      [&] {
        if (platform::stop_flag::raised())
          return true;
        for (const auto& name : nodes) {
          const lab_node* n = lab.find_node(name);
          if (!platform::pid_running(n->pid)) {
            ended = n->name + "'s clussvc (pid " + std::to_string(n->pid) + ") " +
                    platform::child_exit(n->pid).value_or("ended") + ". " + where_to_look(*n);
            return true;
          }
        }
        auto reply = api_call(obs->api, "GET", "/nodes", nullptr, 2s);
        if (!reply) {
          last_error = reply.error();
          return false;
        }
        seen.clear();
        if (reply->contains("nodes") && (*reply)["nodes"].is_array()) {
          for (const auto& n : (*reply)["nodes"]) {
            if (n.is_object() && n.value("name", "") != "")
              seen[n["name"].get<std::string>()] = n.value("state", "?");
          }
        }
        for (const auto& name : nodes) {
          auto it = seen.find(name);
          if (it == seen.end() || it->second != "Up")
            return false;
        }
        return true;
      },
      deadline, 200ms);
  if (!ended.empty())
    return fail(ended);
  if (platform::stop_flag::raised())
    return interrupted();
  if (all_up)
    return {};
  std::string text = "not every node is Up in time, as " + observer + " sees it:";
  for (const auto& name : nodes) {
    auto it = seen.find(name);
    if (it != seen.end() && it->second == "Up")
      continue;
    const std::string state = it == seen.end() ? "not listed" : it->second;
    text += "\n  " + name + " (" + state + "): " + where_to_look(*lab.find_node(name));
  }
  if (!last_error.empty())
    text += "\n  last API error: " + last_error;
  return fail(text);
}

std::string responsive_api(const lab_state& lab, const std::string& preferred) {
  if (const lab_node* p = lab.find_node(preferred);
      p != nullptr && !p->api.empty() && process_state(*p) == node_process::running)
    return p->api;
  for (const auto& n : lab.nodes) {
    if (!n.api.empty() && process_state(n) == node_process::running)
      return n.api;
  }
  return {};
}

}  // namespace wolfpack::tool
