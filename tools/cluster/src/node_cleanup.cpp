// `cluster node N /forcecleanup [/wait[:seconds]]`: an evicted node forgets the cluster (its
// configuration goes, so that `cluster /add:N` can add it again). MSCS asks the node's machine to
// clean itself up; a lab's nodes are the lab launcher's to clean (`wolfpack node cleanup`), which
// stops the node's service if it runs again and removes its database. /wait's seconds bound
// that stop; the command always waits for the cleanup to finish.
#include <algorithm>

#include "reply_fields.hpp"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/cluster_cli/commands.hpp"

namespace wolfpack::cluster_cli {

using reply_fields::in_quotes;

std::uint32_t command_runner::force_cleanup(const command& cmd) {
  constexpr std::uint32_t error_not_supported = 50;
  constexpr std::uint32_t error_already_member = 5065;  // ERROR_CLUSTER_NODE_ALREADY_MEMBER
  const std::string& name = *cmd.name;
  if (lab_dir_.empty() || !launcher_) {
    return report(cli_error::make(
        error_not_supported,
        "/forcecleanup cleans up a lab's node (a cluster registered by wolfpack up); on another "
        "machine stop clussvc there and remove clusdb.sqlite from its state directory."));
  }
  // A member is not cleaned up: it must be evicted first (the launcher checks again).
  if (const auto answer = api_.call("GET", object_path(object_kind::node, name), nullptr);
      answer && answer->status == 200) {
    show_row(object_kind::node, answer->body);
    return report(cli_error::make(error_already_member,
                                  "Node " + in_quotes(name) +
                                      " is a member of the cluster; evict it first (node " + name +
                                      " /evict, with its service stopped)."));
  }
  out_.announce("Cleaning up the cluster configuration of node " + in_quotes(name) + "...");
  std::vector<std::string> args{"node", "cleanup", name, "--dir", lab_dir_};
  if (cmd.wait.seconds) {
    args.push_back("--timeout");
    args.push_back(std::to_string(std::max<std::uint32_t>(1, *cmd.wait.seconds)));
  }
  return run_launcher(args, "clean up node " + in_quotes(name));
}

// `cluster [NAME] /add[nodes]:N1[,N2...]`: lab nodes that are not members (evicted and
// cleaned up, or never started) join the cluster through the lab launcher (`wolfpack node
// start`, which joins a node without a database through a running member). MSCS's /add also
// installs the cluster service on those machines, which a lab on one machine has already.
std::uint32_t command_runner::add_nodes(const command& cmd) {
  constexpr std::uint32_t error_not_supported = 50;
  constexpr std::uint32_t error_already_member = 5065;  // ERROR_CLUSTER_NODE_ALREADY_MEMBER
  if (lab_dir_.empty() || !launcher_) {
    return report(cli_error::make(
        error_not_supported,
        "/add adds a lab's nodes (a cluster registered by wolfpack up); on another machine "
        "start clussvc with --join and the address of a member."));
  }
  for (const auto& name : cmd.arguments) {
    const auto path = object_path(object_kind::node, name);
    if (const auto answer = api_.call("GET", path, nullptr); answer && answer->status == 200) {
      show_row(object_kind::node, answer->body);
      return report(cli_error::make(error_already_member,
                                    "Node " + in_quotes(name) + " is a member already."));
    }
    out_.announce("Adding node " + in_quotes(name) + " to the cluster...");
    if (const auto failed = run_launcher({"node", "start", name, "--dir", lab_dir_, "--timeout",
                                          std::to_string(default_start_wait.count())},
                                         "add node " + in_quotes(name));
        failed != 0)
      return failed;
    if (const auto answer = api_.call("GET", path, nullptr); answer && answer->status == 200)
      show_row(object_kind::node, answer->body);
  }
  return 0;
}

}  // namespace wolfpack::cluster_cli
