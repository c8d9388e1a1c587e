// `wolfpack node cleanup NODE`: see lab_commands.hpp.

#include <array>
#include <system_error>

#include "lab_api.hpp"
#include "lab_nodes.hpp"
#include "lab_registry.hpp"
#include "lab_verbs.hpp"
#include "wolfpack/tool/cli.hpp"

namespace wolfpack::tool {

namespace fs = std::filesystem;

// What ties a state directory to a cluster: the database (with its WAL and the promised
// regroup epoch), the addresses the running service wrote and its monitors' socket. The logs
// stay: they are the node's history, not its configuration.
constexpr std::array<std::string_view, 7> configuration_files = {
    "clusdb.sqlite", "clusdb.sqlite-wal", "clusdb.sqlite-shm", "clusdb.sqlite-journal",
    "api.endpoint",  "peer.endpoint",     "monitors.sock"};

result<bool> counted_as_member(const lab_state& lab, const lab_node& node) {
  // Every running node is asked: one whose database is behind (it was cut off when the node
  // joined) does not know the node, and must not make a member look evicted.
  std::string why = "no other node of the lab runs";
  bool unknown = false;
  for (const auto& n : lab.nodes) {
    if (n.name == node.name || n.api.empty() || process_state(n) != node_process::running)
      continue;
    auto reply = api_request(n.api, "GET", "/nodes/" + node.name);
    if (!reply) {
      why = reply.error();
      continue;
    }
    if (reply->status == 200)
      return true;
    if (reply->status == 404)
      unknown = true;
    else
      why = n.name + ": " + api_error_text(*reply);
  }
  if (unknown)
    return false;
  return fail("cannot tell whether " + node.name + " was evicted: " + why +
              " (start a member first)");
}

bool has_database(const lab_node& node) {
  std::error_code ec;
  return fs::exists(node.state_dir / configuration_files.front(), ec);
}

status cleanup_node(lab_state& lab, lab_node& node, std::chrono::milliseconds grace,
                    std::ostream& out) {
  auto member = counted_as_member(lab, node);
  if (!member)
    return fail(member.error());
  if (*member) {
    return fail(node.name + " is still a member of cluster '" + lab.name +
                "': evict it first (stop it, then 'cluster /cluster:" + lab.name + " node " +
                node.name + " /evict')");
  }
  // An evicted node that was started again keeps trying to rejoin: it stops first (MSCS's
  // cleanup stops the cluster service too).
  if (process_state(node) != node_process::not_running) {
    if (auto st = stop_nodes(lab, {node.name}, grace, out); !st)
      return st;
  }
  for (auto name : configuration_files) {
    std::error_code ec;
    const auto path = node.state_dir / name;
    if (fs::remove(path, ec); ec)
      return fail("cannot remove " + path.string() + ": " + ec.message());
  }
  node.api.clear();
  node.peer.clear();
  node.pid = 0;
  if (auto st = write_lab(lab); !st)
    return st;
  return register_lab(lab);  // without the node's old API address
}

}  // namespace wolfpack::tool
