// The commands of networks and network interfaces (SPEC 7: net, netint, node /listint,
// /listnetpri, /setnetpri). A network is named like any object; an interface by its node and
// network, looked up with GET /netinterfaces?node=N&network=NET.
#include <utility>

#include "reply_fields.hpp"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/cluster_cli/commands.hpp"

namespace wolfpack::cluster_cli {

using namespace reply_fields;

std::optional<nlohmann::json> command_runner::resolve_interface(const std::string& node,
                                                                const std::string& network) {
  auto body = get(interfaces_path(node, network));
  if (!body)
    return std::nullopt;
  const auto list = as_list(*body, object_kind::netinterface);
  if (list.empty()) {
    report(cli_error::make(error_cluster_netinterface_not_found,
                           "Node " + in_quotes(node) + " has no network interface on network " +
                               in_quotes(network) + "."));
    return std::nullopt;
  }
  return list.front();
}

std::uint32_t command_runner::interface_status(const command& cmd) {
  if (cmd.node && cmd.network) {
    auto found = resolve_interface(*cmd.node, *cmd.network);
    if (!found)
      return last_error_;
    out_.status(object_kind::netinterface,
                status_heading{status_heading::scope::one, string_of(*found, "name")}, one(*found));
    return 0;
  }
  auto body = get(interfaces_path(cmd.node, cmd.network));
  if (!body)
    return last_error_;
  status_heading heading{status_heading::scope::all, {}};
  if (cmd.node) {
    heading = status_heading{status_heading::scope::node, *cmd.node};
  } else if (cmd.network) {
    heading = status_heading{status_heading::scope::network, *cmd.network};
  }
  out_.status(object_kind::netinterface, heading, as_list(*body, object_kind::netinterface));
  return 0;
}

std::uint32_t command_runner::interface_properties(const command& cmd) {
  // The parser lets /prop through with both /node: and /network: or with neither.
  if (cmd.node && cmd.network) {
    auto found = resolve_interface(*cmd.node, *cmd.network);
    if (!found)
      return last_error_;
    const std::string name = string_of(*found, "name");
    const std::string target = object_path(object_kind::netinterface, name) + "/properties";
    if (!cmd.settings.empty() || cmd.use_default)
      return set_properties(cmd, target);
    auto props = get(target);
    if (!props)
      return last_error_;
    out_.properties(object_kind::netinterface, false, name,
                    one(nlohmann::json{{"name", name}, {"properties", property_map_of(*props)}}));
    return 0;
  }
  auto body = get(interfaces_path(std::nullopt, std::nullopt));
  if (!body)
    return last_error_;
  nlohmann::json listing = nlohmann::json::array();
  for (const auto& name : names_of(as_list(*body, object_kind::netinterface))) {
    auto props = get(object_path(object_kind::netinterface, name) + "/properties");
    if (!props)
      return last_error_;
    listing.push_back(nlohmann::json{{"name", name}, {"properties", property_map_of(*props)}});
  }
  out_.properties(object_kind::netinterface, false, std::nullopt, listing);
  return 0;
}

std::uint32_t command_runner::no_private_properties(const command& cmd) {
  std::vector<std::string> names;
  std::optional<std::string> shown;
  if (cmd.object == object_kind::netinterface && cmd.node && cmd.network) {
    auto found = resolve_interface(*cmd.node, *cmd.network);
    if (!found)
      return last_error_;
    shown = string_of(*found, "name");
    names.push_back(*shown);
  } else if (cmd.object == object_kind::network && cmd.name) {
    // Read it so that an unknown network is reported as one.
    if (!get(object_path(object_kind::network, *cmd.name)))
      return last_error_;
    shown = *cmd.name;
    names.push_back(*shown);
  } else {
    auto body = get(std::string(collection_path(cmd.object)));
    if (!body)
      return last_error_;
    names = names_of(as_list(*body, cmd.object));
  }
  nlohmann::json listing = nlohmann::json::array();
  for (const auto& name : names)
    listing.push_back(nlohmann::json{{"name", name}, {"properties", nlohmann::json::object()}});
  out_.properties(cmd.object, true, shown, listing);
  return 0;
}

std::uint32_t command_runner::list_interfaces(const command& cmd) {
  // A network's interfaces need its name; a node's may be the answering node's.
  auto named = cmd.object == object_kind::node ? named_or_answering_node(cmd)
                                               : std::optional<std::string>(cmd.name);
  if (!named)
    return last_error_;
  const std::string name = std::move(*named);
  auto body = get(object_path(cmd.object, name) + "/interfaces");
  if (!body)
    return last_error_;
  out_.interfaces(cmd.object, name, as_list(*body, object_kind::netinterface));
  return 0;
}

std::uint32_t command_runner::network_priority(const command& cmd) {
  const bool set = cmd.action == verb::set_net_priority;
  if (set) {
    out_.announce("Setting priority for internal networks...");
    const nlohmann::json body{{"networks", cmd.arguments}};
    auto reply = send("PUT", "/cluster/networkpriority", &body);
    if (!reply)
      return last_error_;
    // The node answers with the new order; an answer without it is read again.
    if (reply->body.is_object() && reply->body.contains("networks")) {
      out_.network_priority(names_of(reply->body["networks"]), reply->body, false);
      return 0;
    }
  }
  auto view = get("/cluster/networkpriority");
  if (!view)
    return last_error_;
  out_.network_priority(names_of(as_list(*view, object_kind::network)), *view, !set);
  return 0;
}

}  // namespace wolfpack::cluster_cli
