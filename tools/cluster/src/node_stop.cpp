// `cluster node [N] /stop [/wait[:seconds]]`: the node's cluster service stops (any node
// forwards the request to it). With /wait, cluster waits until the node is Down; when the
// node that answers this command is the one stopping, its silence is the sign.
// `cluster node N /start [/wait[:seconds]]`: a lab node's cluster service starts, through the
// lab launcher (`wolfpack node start`, which waits until it is Up): cluster.exe asks the
// node's service manager, which a lab on one machine does not have.
#include "reply_fields.hpp"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/cluster_cli/commands.hpp"

namespace wolfpack::cluster_cli {

using reply_fields::in_quotes;

std::uint32_t command_runner::stop_node(const command& cmd) {
  auto named = named_or_answering_node(cmd);
  if (!named)
    return last_error_;
  const std::string name = std::move(*named);
  // With /wait, whether the node this command talks to is the one that stops: only then does
  // its silence mean the stop is done.
  bool answering_stops = !cmd.name;
  if (cmd.wait.given && cmd.name) {
    auto answering = answering_node();
    if (!answering)
      return last_error_;
    answering_stops = same_name(*answering, name);
  }
  out_.announce("Stopping the cluster service on node " + in_quotes(name) + "...");
  const auto path = object_path(object_kind::node, name);
  if (!send("POST", path + "/stop"))
    return last_error_;
  if (!cmd.wait.given)
    return 0;
  std::optional<wait_clock::time_point> deadline;
  if (cmd.wait.seconds)
    deadline = clock_.now() + std::chrono::seconds(*cmd.wait.seconds);
  for (;;) {
    const auto answer = api_.call("GET", path, nullptr);
    if (!answer) {
      if (!answering_stops)
        return report(cli_error::unreachable(answer.error()));
      out_.announce("Node " + in_quotes(name) + " stopped.");
      return 0;
    }
    if (answer->status == 200 && answer->body.value("state", std::string()) == "Down") {
      show_row(object_kind::node, answer->body);
      return 0;
    }
    // A refusal (the node was evicted meanwhile) ends the wait; a node between views (5xx)
    // is asked again.
    if (answer->status >= 400 && answer->status < 500)
      return report(cli_error::from_reply(*answer));
    if (deadline && clock_.now() >= *deadline) {
      if (answer->status == 200)
        show_row(object_kind::node, answer->body);
      return report(cli_error::make(error_timeout, in_quotes(name) + " is not Down after " +
                                                       std::to_string(*cmd.wait.seconds) + " s."));
    }
    clock_.sleep_for(poll_interval_);
  }
}

std::uint32_t command_runner::start_node(const command& cmd) {
  constexpr std::uint32_t error_not_supported = 50;
  const std::string name = cmd.name.value_or(std::string());
  if (lab_dir_.empty() || !launcher_) {
    return report(cli_error::make(
        error_not_supported,
        "/start starts the cluster service of a lab's node (a cluster registered by wolfpack "
        "up); otherwise start clussvc on the machine of node " +
            in_quotes(name) + "."));
  }
  // The node must be one of this cluster's, and not running already.
  const auto path = object_path(object_kind::node, name);
  if (const auto answer = api_.call("GET", path, nullptr); answer) {
    if (answer->status >= 400 && answer->status < 500)
      return report(cli_error::from_reply(*answer));
    if (answer->status == 200 && answer->body.value("state", std::string()) != "Down") {
      show_row(object_kind::node, answer->body);
      return report(
          cli_error::make(error_invalid_state, "Node " + in_quotes(name) + " is running already."));
    }
  }
  out_.announce("Starting the cluster service on node " + in_quotes(name) + "...");
  const auto seconds =
      cmd.wait.seconds.value_or(static_cast<std::uint32_t>(default_start_wait.count()));
  if (const auto failed = run_launcher(
          {"node", "start", name, "--dir", lab_dir_, "--timeout", std::to_string(seconds)},
          "start node " + in_quotes(name));
      failed != 0)
    return failed;
  if (const auto answer = api_.call("GET", path, nullptr); answer && answer->status == 200)
    show_row(object_kind::node, answer->body);
  return 0;
}

std::uint32_t command_runner::run_launcher(const std::vector<std::string>& args,
                                           const std::string& doing) {
  std::string why;
  const int code = launcher_(args, why);
  if (code == 0)
    return 0;
  if (code < 0)
    return report(cli_error::make(error_gen_failure, "Cannot run the lab launcher: " + why));
  // "wolfpack node start", "wolfpack rename": the verb, and the action of `node`.
  std::string verb = "wolfpack " + args.front();
  if (args.front() == "node" && args.size() > 1)
    verb += " " + args[1];
  return report(cli_error::make(error_gen_failure, "The lab launcher could not " + doing + " (" +
                                                       verb + " exited " + std::to_string(code) +
                                                       "); its output says why."));
}

}  // namespace wolfpack::cluster_cli
