#include "wolfpack/cluster_cli/commands.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <utility>

#include "reply_fields.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/cluster_cli/property_value.hpp"
#include "wolfpack/cluster_cli/state_waiter.hpp"
#include "wolfpack/cluster_cli/text_output.hpp"
#include "wolfpack/common/hex.hpp"

namespace wolfpack::cluster_cli {
namespace {

using std::chrono::milliseconds;
using namespace reply_fields;

// The node list of an owners answer: {"nodes":[...]} or a bare array.
std::vector<std::string> owner_nodes(const nlohmann::json& body) {
  if (body.is_object() && body.contains("nodes"))
    return names_of(body["nodes"]);
  return names_of(body);
}

bool resource_pending(std::string_view state) {
  return state == "OnlinePending" || state == "OfflinePending" || state == "Pending" ||
         state == "Initializing" || state.empty();
}

bool group_pending(std::string_view state) {
  return state == "Pending" || state.empty();
}

std::string_view properties_suffix(bool private_properties) {
  return private_properties ? "/private" : "/properties";
}

}  // namespace

command_runner::command_runner(api_backend& api, formatter& out, wait_clock& clock,
                               milliseconds poll_interval)
    : api_(api), out_(out), clock_(clock), poll_interval_(poll_interval) {}

std::uint32_t command_runner::report(const cli_error& e) {
  out_.error(e);
  last_error_ = e.code == 0 ? error_gen_failure : e.code;
  return last_error_;
}

std::optional<api_reply> command_runner::send(std::string_view method, const std::string& target,
                                              const nlohmann::json* body) {
  auto reply = api_.call(method, target, body);
  if (!reply) {
    report(cli_error::unreachable(reply.error()));
    return std::nullopt;
  }
  if (reply->status < 200 || reply->status >= 300) {
    report(cli_error::from_reply(*reply));
    return std::nullopt;
  }
  return std::move(*reply);
}

std::optional<nlohmann::json> command_runner::get(const std::string& target) {
  auto reply = send("GET", target);
  if (!reply)
    return std::nullopt;
  return std::move(reply->body);
}

std::uint32_t command_runner::run(const command& cmd) {
  last_error_ = 0;
  switch (cmd.action) {
    case verb::status:
      return status(cmd);
    case verb::list:
      return list_types(cmd);
    case verb::create:
      return create(cmd);
    case verb::remove:
      return remove(cmd);
    case verb::rename:
      return rename(cmd);
    case verb::online:
    case verb::offline:
      return change_state(cmd);
    case verb::move:
      return cmd.object == object_kind::resource ? move_resource(cmd) : change_state(cmd);
    case verb::fail:
      return fail(cmd);
    case verb::maintenance:
      return maintenance(cmd);
    case verb::properties:
    case verb::private_properties:
      return properties(cmd);
    case verb::add_dependency:
    case verb::remove_dependency:
      return dependency(cmd);
    case verb::list_dependencies:
      return list_dependencies(cmd);
    case verb::list_owners:
      return list_owners(cmd);
    case verb::set_owners:
      return set_owners(cmd);
    case verb::add_owner:
    case verb::remove_owner:
      return change_owner(cmd);
    case verb::pause:
    case verb::resume:
    case verb::evict:
      return node_action(cmd);
    case verb::stop:
      return stop_node(cmd);
    case verb::start:
      return start_node(cmd);
    case verb::force_cleanup:
      return force_cleanup(cmd);
    case verb::add_nodes:
      return add_nodes(cmd);
    case verb::quorum:
      return quorum(cmd);
    case verb::version:
      return version();
    case verb::list_interfaces:
      return list_interfaces(cmd);
    case verb::list_net_priority:
    case verb::set_net_priority:
      return network_priority(cmd);
    case verb::help:
      break;
  }
  return report(cli_error::make(error_invalid_parameter, "This command needs no cluster."));
}

void command_runner::show_row(object_kind kind, const nlohmann::json& object) {
  out_.status(kind, status_heading{status_heading::scope::none, {}}, one(object));
}

std::optional<nlohmann::json> command_runner::object_after(object_kind kind,
                                                           const std::string& name,
                                                           const api_reply& reply) {
  if (reply.body.is_object() && reply.body.contains("name") && reply.body.contains("state")) {
    return reply.body;
  }
  return get(object_path(kind, name));
}

// ---------------------------------------------------------------------------------------------
// Status and lists

std::uint32_t command_runner::status(const command& cmd) {
  if (cmd.object == object_kind::netinterface)
    return interface_status(cmd);
  if (cmd.name) {
    auto object = get(object_path(cmd.object, *cmd.name));
    if (!object)
      return last_error_;
    out_.status(cmd.object, status_heading{status_heading::scope::one, *cmd.name}, one(*object));
    return 0;
  }
  auto body = get(std::string(collection_path(cmd.object)));
  if (!body)
    return last_error_;
  nlohmann::json list = as_list(*body, cmd.object);
  if (cmd.node) {
    nlohmann::json owned = nlohmann::json::array();
    for (const auto& item : list) {
      if (same_name(string_of(item, "owner"), *cmd.node))
        owned.push_back(item);
    }
    out_.status(cmd.object, status_heading{status_heading::scope::node, *cmd.node}, owned);
    return 0;
  }
  out_.status(cmd.object, status_heading{status_heading::scope::all, {}}, list);
  return 0;
}

std::optional<std::string> command_runner::resolve_type(const std::string& display_or_name,
                                                        nlohmann::json* type_object) {
  auto reply = api_.call("GET", object_path(object_kind::resource_type, display_or_name), nullptr);
  if (!reply) {
    report(cli_error::unreachable(reply.error()));
    return std::nullopt;
  }
  if (reply->status >= 200 && reply->status < 300) {
    if (type_object)
      *type_object = reply->body;
    const std::string name = string_of(reply->body, "name");
    return name.empty() ? display_or_name : name;
  }
  if (reply->status != 404) {
    report(cli_error::from_reply(*reply));
    return std::nullopt;
  }
  // cluster.exe addresses types by display name; the API by type name.
  auto all = get(std::string(collection_path(object_kind::resource_type)));
  if (!all)
    return std::nullopt;
  for (const auto& t : as_list(*all, object_kind::resource_type)) {
    if (same_name(string_of(t, "display_name"), display_or_name) ||
        same_name(string_of(t, "name"), display_or_name)) {
      if (type_object)
        *type_object = t;
      return string_of(t, "name");
    }
  }
  report(cli_error::from_reply(*reply));
  return std::nullopt;
}

std::uint32_t command_runner::list_types(const command& cmd) {
  if (cmd.name) {
    nlohmann::json type;
    if (!resolve_type(*cmd.name, &type))
      return last_error_;
    out_.resource_types(cmd.name, one(type));
    return 0;
  }
  auto body = get(std::string(collection_path(object_kind::resource_type)));
  if (!body)
    return last_error_;
  out_.resource_types(std::nullopt, as_list(*body, object_kind::resource_type));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Create, delete, rename

std::uint32_t command_runner::create(const command& cmd) {
  const std::string& name = *cmd.name;
  switch (cmd.object) {
    case object_kind::group: {
      out_.announce("Creating resource group " + in_quotes(name) + "...");
      const nlohmann::json body{{"name", name}};
      auto reply = send("POST", "/groups", &body);
      if (!reply)
        return last_error_;
      auto object = object_after(object_kind::group, name, *reply);
      if (!object)
        return last_error_;
      show_row(object_kind::group, *object);
      return 0;
    }
    case object_kind::resource: {
      out_.announce("Creating resource " + in_quotes(name) + "...");
      nlohmann::json body{{"name", name}, {"group", *cmd.group}, {"type", *cmd.type}};
      if (cmd.separate)
        body["separate_monitor"] = true;
      auto reply = send("POST", "/resources", &body);
      if (!reply)
        return last_error_;
      auto object = object_after(object_kind::resource, name, *reply);
      if (!object)
        return last_error_;
      show_row(object_kind::resource, *object);
      return 0;
    }
    case object_kind::resource_type: {
      // `cluster restype "Display Name" /create /dll:X [/type:TypeName]`.
      nlohmann::json body{{"name", cmd.type.value_or(name)}, {"dll", *cmd.dll}};
      body["display_name"] = name;
      if (cmd.looks_alive_ms)
        body["looks_alive_ms"] = *cmd.looks_alive_ms;
      if (cmd.is_alive_ms)
        body["is_alive_ms"] = *cmd.is_alive_ms;
      auto reply = send("POST", "/resourcetypes", &body);
      if (!reply)
        return last_error_;
      out_.note("Resource type " + in_quotes(name) + " created");
      out_.action_result(reply->body);
      return 0;
    }
    default:
      break;
  }
  return report(cli_error::make(error_invalid_parameter, "/create is not valid here."));
}

std::uint32_t command_runner::remove(const command& cmd) {
  const std::string& name = *cmd.name;
  switch (cmd.object) {
    case object_kind::group:
    case object_kind::resource: {
      out_.note(std::string(cmd.object == object_kind::group ? "Deleting resource group "
                                                             : "Deleting resource ") +
                in_quotes(name));
      auto reply = send("DELETE", object_path(cmd.object, name));
      if (!reply)
        return last_error_;
      out_.action_result(reply->body);
      return 0;
    }
    case object_kind::resource_type: {
      // `display-name /delete`, or `type-name /delete /type` when the display name cannot be
      // read (cluster.exe: the DLL is unavailable).
      std::string type_name = name;
      if (!cmd.type_flag) {
        auto resolved = resolve_type(name);
        if (!resolved)
          return last_error_;
        type_name = *resolved;
      }
      auto reply = send("DELETE", object_path(object_kind::resource_type, type_name));
      if (!reply)
        return last_error_;
      out_.note("Resource type " + in_quotes(name) + " deleted");
      out_.action_result(reply->body);
      return 0;
    }
    default:
      break;
  }
  return report(cli_error::make(error_invalid_parameter, "/delete is not valid here."));
}

std::uint32_t command_runner::rename(const command& cmd) {
  if (cmd.object == object_kind::cluster)
    return rename_cluster(cmd);
  const std::string& name = *cmd.name;
  const std::string& new_name = *cmd.argument;
  std::string noun = "resource";
  if (cmd.object == object_kind::group)
    noun = "resource group";
  else if (cmd.object == object_kind::network)
    noun = "network";
  out_.announce("Renaming " + noun + " " + in_quotes(name) + "...");
  const nlohmann::json body{{"name", new_name}};
  auto reply = send("POST", object_path(cmd.object, name) + "/rename", &body);
  if (!reply)
    return last_error_;
  auto object = object_after(cmd.object, new_name, *reply);
  if (!object)
    return last_error_;
  show_row(cmd.object, *object);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Online, offline, move: send, then wait for the state to settle.

std::uint32_t command_runner::change_state(const command& cmd) {
  const object_kind kind = cmd.object;
  const std::string& name = *cmd.name;
  const bool group = kind == object_kind::group;

  // How long to wait: /wait:0 not at all; /wait without seconds and the default of /online and
  // /offline without limit; group /move 20 s by default.
  std::optional<milliseconds> limit;
  bool wait = true;
  if (cmd.wait.given && cmd.wait.seconds) {
    wait = *cmd.wait.seconds > 0;
    limit = milliseconds(std::chrono::seconds(*cmd.wait.seconds));
  } else if (!cmd.wait.given && cmd.action == verb::move) {
    limit = std::chrono::duration_cast<milliseconds>(default_move_wait);
  }

  std::string action_path;
  nlohmann::json body = nlohmann::json::object();
  std::function<bool(std::string_view)> settled;
  std::string target_state;
  switch (cmd.action) {
    case verb::online:
      out_.announce(std::string(group ? "Bringing resource group " : "Bringing resource ") +
                    in_quotes(name) + " online...");
      action_path = "/online";
      if (cmd.argument)
        body["node"] = *cmd.argument;
      target_state = "Online";
      break;
    case verb::offline:
      out_.announce(group ? "Bringing resource group " + in_quotes(name) + " offline..."
                          : "Taking resource " + in_quotes(name) + " offline...");
      action_path = "/offline";
      target_state = "Offline";
      break;
    default:  // group /move
      out_.announce("Moving resource group " + in_quotes(name) + "...");
      action_path = "/move";
      if (cmd.argument)
        body["node"] = *cmd.argument;
      break;
  }

  if (cmd.action == verb::move && wait) {
    // A move restores the pre-move state on the new owner; only an online group has anything
    // to wait for, and its passing Offline between the two nodes must not end the wait.
    auto before = get(object_path(kind, name));
    if (!before)
      return last_error_;
    const std::string state = state_name(*before);
    if (state == "Online" || state == "PartialOnline" || state == "Pending") {
      target_state = state == "PartialOnline" ? "PartialOnline" : "Online";
      settled = [](std::string_view s) {
        return s == "Online" || s == "PartialOnline" || s == "Failed";
      };
    } else {
      wait = false;
    }
  } else {
    settled = [group](std::string_view s) {
      return group ? !group_pending(s) : !resource_pending(s);
    };
  }

  const bool events = wait && api_.subscribe_events();
  // Group /online and /move carry the optional node; the others take no body.
  const nlohmann::json* body_ptr = group && cmd.action != verb::offline ? &body : nullptr;
  auto reply = send("POST", object_path(kind, name) + action_path, body_ptr);
  if (!reply)
    return last_error_;

  // 200: already in that state (online/offline) or moved with nothing to restore.
  const bool pending = reply->status == 202 || cmd.action == verb::move;
  if (!wait || !pending) {
    auto object = object_after(kind, name, *reply);
    if (!object)
      return last_error_;
    show_row(kind, *object);
    return 0;
  }

  state_waiter waiter(api_, clock_, events, poll_interval_);
  wait_request request{kind, name, settled, limit};
  const wait_result result = waiter.wait(request);
  switch (result.what) {
    case wait_result::outcome::failed:
      return report(result.error);
    case wait_result::outcome::timed_out: {
      show_row(kind, result.object);
      std::string detail = in_quotes(name) + " is still " + display_state(kind, result.object);
      if (limit) {
        detail += " after " + std::to_string(limit->count() / 1000) + " s";
        if (!cmd.wait.given)
          detail += " (give /wait:SECONDS to wait longer)";
      }
      return report(cli_error::make(error_timeout, detail + "."));
    }
    case wait_result::outcome::settled:
      break;
  }
  show_row(kind, result.object);

  const std::string final_state = state_name(result.object);
  if (target_state.empty() || final_state == target_state)
    return 0;
  const std::string detail = in_quotes(name) + " is " + display_state(kind, result.object) +
                             ", not " +
                             display_state(kind, nlohmann::json{{"state", target_state}}) + ".";
  if (!group && final_state == "Failed")
    return report(cli_error::make(error_resource_failed, detail));
  if (group && target_state != "Offline") {
    return report(cli_error::make(error_group_not_online, detail));
  }
  return report(cli_error::make(error_invalid_state, detail));
}

std::uint32_t command_runner::fail(const command& cmd) {
  const std::string& name = *cmd.name;
  out_.announce("Failing resource " + in_quotes(name) + "...");
  auto reply = send("POST", object_path(object_kind::resource, name) + "/fail");
  if (!reply)
    return last_error_;
  auto object = object_after(object_kind::resource, name, *reply);
  if (!object)
    return last_error_;
  show_row(object_kind::resource, *object);
  return 0;
}

// /maint[enancemode][:on|off]: ClusterResourceControl's SET/QUERY_MAINTENANCE_MODE through the
// API's control route; the resource's plugin decides (storage class only: others answer
// ERROR_INVALID_FUNCTION). Without a value it only shows the mode.
std::uint32_t command_runner::maintenance(const command& cmd) {
  const std::string& name = *cmd.name;
  const std::string target = object_path(object_kind::resource, name) + "/control";
  // The control route answers 200 whatever the code's status: a failed status is the error.
  const auto control = [&](std::uint32_t code,
                           const nlohmann::json& request) -> std::optional<nlohmann::json> {
    nlohmann::json body = request;
    body["code"] = code;
    auto reply = send("POST", target, &body);
    if (!reply)
      return std::nullopt;
    const auto status = reply->body.value("status", std::uint32_t{error_gen_failure});
    if (status != 0) {
      report(cli_error::make(
          status,
          "resource " + in_quotes(name) + ": " +
              (code == CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE ? "cannot change its maintenance mode"
                                                             : "cannot read its maintenance mode") +
              (status == ERROR_INVALID_FUNCTION ? " (only storage class resources have one)"
                                                : "")));
      return std::nullopt;
    }
    return std::move(reply->body);
  };
  if (cmd.argument) {
    std::string word = *cmd.argument;
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word != "on" && word != "off") {
      return report(cli_error::make(ERROR_INVALID_PARAMETER, "'/maintenancemode:" + *cmd.argument +
                                                                 "': the value is on or off"));
    }
    const bool on = word == "on";
    out_.announce((on ? "Putting resource " + in_quotes(name) + " in maintenance mode..."
                      : "Taking resource " + in_quotes(name) + " out of maintenance mode..."));
    const CLUS_MAINTENANCE_MODE_INFO info{on ? TRUE : FALSE};
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&info);
    if (!control(CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE,
                 {{"in", hex::encode(std::span<const std::uint8_t>(bytes, sizeof info))}}))
      return last_error_;
  }
  const auto answer = control(CLUSCTL_RESOURCE_QUERY_MAINTENANCE_MODE,
                              {{"out_size", sizeof(CLUS_MAINTENANCE_MODE_INFO)}});
  if (!answer)
    return last_error_;
  const auto out = hex::decode(answer->value("out", ""));
  CLUS_MAINTENANCE_MODE_INFO info{};
  if (!out || out->size() < sizeof info) {
    return report(cli_error::make(
        ERROR_INVALID_DATA, "resource " + in_quotes(name) + ": a maintenance mode answer of " +
                                std::to_string(out ? out->size() : 0) + " bytes"));
  }
  std::memcpy(&info, out->data(), sizeof info);
  const bool on = info.InMaintenance != FALSE;
  out_.note("Maintenance mode of resource " + in_quotes(name) + ": " + (on ? "On" : "Off"));
  out_.action_result({{"resource", name}, {"maintenance", on}});
  return 0;
}

std::uint32_t command_runner::move_resource(const command& cmd) {
  const std::string& name = *cmd.name;
  const std::string& group = *cmd.argument;
  out_.announce("Moving resource " + in_quotes(name) + " to group " + in_quotes(group) + "...");
  const nlohmann::json body{{"group", group}};
  auto reply = send("POST", object_path(object_kind::resource, name) + "/move", &body);
  if (!reply)
    return last_error_;
  auto object = object_after(object_kind::resource, name, *reply);
  if (!object)
    return last_error_;
  show_row(object_kind::resource, *object);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Properties

std::uint32_t command_runner::properties(const command& cmd) {
  const bool priv = cmd.action == verb::private_properties;
  const std::string suffix(properties_suffix(priv));
  if (priv && (cmd.object == object_kind::network || cmd.object == object_kind::netinterface))
    return no_private_properties(cmd);
  if (cmd.object == object_kind::netinterface)
    return interface_properties(cmd);

  if (cmd.object == object_kind::cluster) {
    if (!cmd.settings.empty() || cmd.use_default)
      return set_properties(cmd, "/cluster" + suffix);
    auto cluster = get("/cluster");
    if (!cluster)
      return last_error_;
    auto props = get("/cluster" + suffix);
    if (!props)
      return last_error_;
    const std::string name = string_of(*cluster, "name");
    out_.properties(object_kind::cluster, priv, name,
                    one(nlohmann::json{{"name", name}, {"properties", property_map_of(*props)}}));
    return 0;
  }

  if (cmd.name) {
    std::string path_name = *cmd.name;
    if (cmd.object == object_kind::resource_type) {
      auto resolved = resolve_type(*cmd.name);
      if (!resolved)
        return last_error_;
      path_name = *resolved;
    }
    const std::string target = object_path(cmd.object, path_name) + suffix;
    if (!cmd.settings.empty() || cmd.use_default)
      return set_properties(cmd, target);
    auto props = get(target);
    if (!props)
      return last_error_;
    out_.properties(
        cmd.object, priv, cmd.name,
        one(nlohmann::json{{"name", *cmd.name}, {"properties", property_map_of(*props)}}));
    return 0;
  }

  // Every object of the kind, one request each.
  auto body = get(std::string(collection_path(cmd.object)));
  if (!body)
    return last_error_;
  nlohmann::json listing = nlohmann::json::array();
  for (const auto& item : as_list(*body, cmd.object)) {
    const std::string name = string_of(item, "name");
    auto props = get(object_path(cmd.object, name) + suffix);
    if (!props)
      return last_error_;
    std::string shown = name;
    if (cmd.object == object_kind::resource_type && !string_of(item, "display_name").empty()) {
      shown = string_of(item, "display_name");
    }
    listing.push_back(nlohmann::json{{"name", shown}, {"properties", property_map_of(*props)}});
  }
  out_.properties(cmd.object, priv, std::nullopt, listing);
  return 0;
}

std::uint32_t command_runner::set_properties(const command& cmd, const std::string& target) {
  nlohmann::json values = nlohmann::json::object();
  if (cmd.use_default) {
    // null = back to the default (common) or removed (private).
    for (const auto& name : cmd.arguments)
      values[name] = nullptr;
  } else {
    // Without a format the property keeps its current type, as cluster.exe does.
    nlohmann::json current = nlohmann::json::object();
    if (needs_current_types(cmd.settings)) {
      auto body = get(target);
      if (!body)
        return last_error_;
      current = property_map_of(*body);
    }
    for (const auto& setting : cmd.settings) {
      std::optional<std::string> type;
      for (const auto& [name, value] : current.items()) {
        if (same_name(name, setting.name) && value.is_object() && value.contains("type") &&
            value["type"].is_string()) {
          type = value["type"].get<std::string>();
        }
      }
      auto typed = to_typed_value(setting, type);
      if (!typed)
        return report(cli_error::make(error_invalid_parameter, typed.error()));
      values[setting.name] = std::move(*typed);
    }
  }
  const nlohmann::json body{{"properties", values}};
  auto reply = send("PUT", target, &body);
  if (!reply)
    return last_error_;
  out_.action_result(reply->body);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Dependencies and owners

std::uint32_t command_runner::dependency(const command& cmd) {
  const std::string& name = *cmd.name;
  const std::string& provider = *cmd.argument;
  const std::string base = object_path(object_kind::resource, name) + "/dependencies";
  std::optional<api_reply> reply;
  if (cmd.action == verb::add_dependency) {
    out_.announce("Making resource " + in_quotes(name) + " depend on resource " +
                  in_quotes(provider) + "...");
    const nlohmann::json body{{"provider", provider}};
    reply = send("POST", base, &body);
  } else {
    out_.announce("Removing dependency of resource " + in_quotes(name) + " on resource " +
                  in_quotes(provider) + "...");
    reply = send("DELETE", base + "/" + encode_segment(provider));
  }
  if (!reply)
    return last_error_;
  out_.action_result(reply->body);
  return 0;
}

std::uint32_t command_runner::list_dependencies(const command& cmd) {
  const std::string& name = *cmd.name;
  auto deps = get(object_path(object_kind::resource, name) + "/dependencies");
  if (!deps)
    return last_error_;
  const auto providers = names_of(
      deps->is_object() && deps->contains("dependencies") ? (*deps)["dependencies"] : *deps);
  nlohmann::json rows = nlohmann::json::array();
  if (!providers.empty()) {
    auto all = get("/resources");
    if (!all)
      return last_error_;
    const auto resources = as_list(*all, object_kind::resource);
    for (const auto& provider : providers) {
      nlohmann::json row{{"name", provider}};
      for (const auto& r : resources) {
        if (same_name(string_of(r, "name"), provider))
          row = r;
      }
      rows.push_back(row);
    }
  }
  out_.dependencies(name, rows, *deps);
  return 0;
}

std::uint32_t command_runner::list_owners(const command& cmd) {
  const std::string& name = *cmd.name;
  if (cmd.object == object_kind::resource_type) {
    // Every node runs the same resrcmon and plugins, so every node can host every type.
    if (!resolve_type(name))
      return last_error_;
    auto all = get("/nodes");
    if (!all)
      return last_error_;
    const auto nodes = names_of(as_list(*all, object_kind::node));
    out_.owners(cmd.object, name, nodes, nlohmann::json{{"nodes", nodes}});
    return 0;
  }
  auto body = get(object_path(cmd.object, name) + "/owners");
  if (!body)
    return last_error_;
  auto nodes = owner_nodes(*body);
  if (nodes.empty() && cmd.object == object_kind::resource) {
    // No possible-owner list means every node may own the resource.
    auto all = get("/nodes");
    if (!all)
      return last_error_;
    nodes = names_of(as_list(*all, object_kind::node));
  }
  out_.owners(cmd.object, name, nodes, *body);
  return 0;
}

std::uint32_t command_runner::set_owners(const command& cmd) {
  const nlohmann::json body{{"nodes", cmd.arguments}};
  auto reply = send("PUT", object_path(object_kind::group, *cmd.name) + "/owners", &body);
  if (!reply)
    return last_error_;
  out_.action_result(reply->body);
  return 0;
}

std::uint32_t command_runner::change_owner(const command& cmd) {
  const std::string& name = *cmd.name;
  const std::string& node = *cmd.argument;
  const std::string base = object_path(object_kind::resource, name) + "/owners";
  std::optional<api_reply> reply;
  if (cmd.action == verb::add_owner) {
    out_.announce("Adding " + in_quotes(node) + " to possible owners of " + in_quotes(name) +
                  "...");
    const nlohmann::json body{{"node", node}};
    reply = send("POST", base, &body);
  } else {
    out_.announce("Removing " + in_quotes(node) + " from possible owners of " + in_quotes(name) +
                  "...");
    reply = send("DELETE", base + "/" + encode_segment(node));
  }
  if (!reply)
    return last_error_;
  out_.action_result(reply->body);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Nodes

std::optional<std::string> command_runner::answering_node() {
  auto cluster = get("/cluster");
  if (!cluster)
    return std::nullopt;
  std::string name = string_of(*cluster, "node");
  if (name.empty()) {
    report(cli_error::make(error_invalid_parameter,
                           "A node name must be specified (the node did not say its name)."));
    return std::nullopt;
  }
  return name;
}

std::optional<std::string> command_runner::named_or_answering_node(const command& cmd) {
  if (cmd.name)
    return *cmd.name;
  return answering_node();
}

std::uint32_t command_runner::node_action(const command& cmd) {
  auto named = named_or_answering_node(cmd);
  if (!named)
    return last_error_;
  const std::string name = std::move(*named);
  std::string action;
  switch (cmd.action) {
    case verb::pause:
      out_.announce("Pausing node " + in_quotes(name) + "...");
      action = "/pause";
      break;
    case verb::resume:
      out_.announce("Resuming node " + in_quotes(name) + "...");
      action = "/resume";
      break;
    default:
      out_.announce("Evicting node " + in_quotes(name) + "...");
      action = "/evict";
      break;
  }
  auto reply = send("POST", object_path(object_kind::node, name) + action);
  if (!reply)
    return last_error_;
  if (reply->body.is_object() && reply->body.contains("name")) {
    show_row(object_kind::node, reply->body);
  } else {
    out_.action_result(reply->body);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The quorum

std::uint32_t command_runner::quorum(const command& cmd) {
  if (cmd.argument || cmd.node_majority) {
    // "" is the API's "no witness".
    const std::string resource = cmd.argument.value_or("");
    out_.announce(cmd.argument ? "Making resource " + in_quotes(resource) + " the quorum witness..."
                               : std::string("Changing the quorum to node majority..."));
    const nlohmann::json body{{"resource", resource}};
    auto reply = send("PUT", "/cluster/quorum", &body);
    if (!reply)
      return last_error_;
    // The node answers with the new configuration; an answer without it is read again.
    if (reply->body.is_object() && reply->body.contains("type")) {
      out_.quorum(reply->body);
      return 0;
    }
  }
  auto view = get("/cluster/quorum");
  if (!view)
    return last_error_;
  out_.quorum(*view);
  return 0;
}

std::uint32_t command_runner::version() {
  auto cluster = get("/cluster");
  if (!cluster)
    return last_error_;
  out_.version(*cluster);
  return 0;
}

}  // namespace wolfpack::cluster_cli
