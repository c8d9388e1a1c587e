// What a command shows, independent of how: text_output prints cluster.exe's layout,
// json_output the API's JSON (/json). Commands call these with the API's objects as they came.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_cli/cli_error.hpp"
#include "wolfpack/cluster_cli/command.hpp"

namespace wolfpack::cluster_cli {

// Which "Listing status ..." line goes above a status table.
struct status_heading {
  enum class scope {
    none,     // no heading: the table after an action ("Bringing resource 'X' online...")
    all,      // "Listing status for all available resources:"
    one,      // "Listing status for resource 'X':"
    node,     // "Listing status of resource for node 'X':" (/node: filter)
    network,  // "Listing status of network interface for network 'X':" (/network: filter)
  };
  scope which = scope::all;
  std::string name;  // the object (one), the node (node) or the network (network)
};

class formatter {
 public:
  virtual ~formatter() = default;

  // A progress line before an action, then a blank line: "Bringing resource 'X' online...".
  virtual void announce(std::string_view line) = 0;

  // A line on its own, e.g. "Deleting resource 'X'" or "Resource type 'X' created".
  virtual void note(std::string_view line) = 0;

  // A status table of nodes, groups, resources, networks or network interfaces. `objects` is
  // an array of the API's objects.
  virtual void status(object_kind kind, const status_heading& heading,
                      const nlohmann::json& objects) = 0;

  // The resource type list (restype /list); `name` is set when one type was asked for.
  virtual void resource_types(const std::optional<std::string>& name,
                              const nlohmann::json& types) = 0;

  // Property listings. `objects` is [{"name": OBJECT, "properties": {NAME: typed value}}];
  // `name` is set when one object was asked for.
  virtual void properties(object_kind kind, bool private_properties,
                          const std::optional<std::string>& name,
                          const nlohmann::json& objects) = 0;

  // Preferred owners (group) or possible owners (resource); `raw` is the API's answer.
  virtual void owners(object_kind kind, std::string_view name,
                      const std::vector<std::string>& nodes, const nlohmann::json& raw) = 0;

  // The resources `name` depends on (an array of resource objects); `raw` is the API's answer.
  virtual void dependencies(std::string_view name, const nlohmann::json& resources,
                            const nlohmann::json& raw) = 0;

  // The network interfaces of a node or a network (node /listint, network /listint): an array
  // of the API's interface objects.
  virtual void interfaces(object_kind owner, std::string_view name,
                          const nlohmann::json& interfaces) = 0;

  // The internal networks, first to last (`cluster /listnetpri`, and after /setnetpri with
  // `heading` false); `raw` is the API's answer.
  virtual void network_priority(const std::vector<std::string>& networks, const nlohmann::json& raw,
                                bool heading) = 0;

  // The quorum configuration (`cluster /quorum`): GET /cluster/quorum's answer, {"type",
  // "resource", "resource_type", "holder", "votes"}.
  virtual void quorum(const nlohmann::json& view) = 0;
  // `cluster /ver`: GET /cluster (name, version {major, minor}).
  virtual void version(const nlohmann::json& cluster) = 0;

  // The registered clusters (`cluster /list`).
  virtual void clusters(const std::vector<std::string>& names) = 0;

  // The API's answer to an action that shows no table (set properties, add a dependency,
  // add an owner). Text prints nothing, as cluster.exe.
  virtual void action_result(const nlohmann::json& raw) = 0;

  // A failed command, on the error stream.
  virtual void error(const cli_error& e) = 0;

  // The syntax help (/?).
  virtual void help(std::string_view text) = 0;
};

}  // namespace wolfpack::cluster_cli
