// `cluster node [N] /stop [/wait[:seconds]]`: the node's cluster service stops (any node
// forwards the request to it). With /wait, cluster waits until the node is Down; when the
// node that answers this command is the one stopping, its silence is the sign.
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

}  // namespace wolfpack::cluster_cli
