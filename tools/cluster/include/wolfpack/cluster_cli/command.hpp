// The parsed form of one `cluster` command line: what the user asked for, before any API call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wolfpack::cluster_cli {

// The object keyword (`node`, `group`, `res[ource]`, `restype`/`resourcetype`, `net[work]`,
// `netint[erface]`); `cluster` stands for options given without one (`cluster /list`,
// `cluster /prop`).
enum class object_kind {
  cluster,
  node,
  group,
  resource,
  resource_type,
  network,
  netinterface,
};

// "node", "group", "resource", "resourcetype", "network", "netinterface", "cluster": the
// keyword as cluster.exe spells it in its help.
std::string_view keyword(object_kind kind);

// The command options; exactly one per command line (the default fills in when none is given).
enum class verb {
  status,              // /stat[us]
  list,                // /list (restype, and `cluster /list`)
  create,              // /create
  remove,              // /delete
  rename,              // /ren[ame]:NEW
  online,              // /on[line][:NODE]
  offline,             // /off[line]
  fail,                // /fail
  move,                // /move[to][:NODE|GROUP]
  properties,          // /prop[erties] [NAME=VALUE...] | /prop:NAMES /usedefault
  private_properties,  // /priv[properties] ...
  add_dependency,      // /adddep[endency]:RES
  remove_dependency,   // /removedep[endency]:RES
  list_dependencies,   // /listdep[endencies]
  list_owners,         // /listowners
  set_owners,          // /setowners:N1[,N2...]
  add_owner,           // /addowner:NODE
  remove_owner,        // /removeowner:NODE
  maintenance,         // /maint[enancemode][:on|off] (storage resources)
  pause,               // /pause
  resume,              // /resume
  evict,               // /evict
  stop,                // /stop [/wait[:SECONDS]] (a node's cluster service)
  start,               // /start [/wait[:SECONDS]] (a lab node's cluster service)
  force_cleanup,       // /forcecleanup [/wait[:SECONDS]] (an evicted lab node forgets it)
  add_nodes,           // /add[nodes]:N1[,N2...] (the cluster's: lab nodes join it)
  quorum,              // /quorum[resource][:RESOURCE] [/nodemajority] (the cluster's)
  version,             // /ver[sion] (the cluster's)
  list_interfaces,     // /listint[erfaces] (node, network)
  list_net_priority,   // /listnetpri[ority] (the cluster's)
  set_net_priority,    // /setnetpri[ority]:NET1[,NET2...] (the cluster's)
  help,                // /? or /help
};

// The option as the help spells it ("/online", "/properties"), for messages.
std::string_view option_name(verb v);

// Value formats of the property-list syntax (`Name=Value[,Value...][:format]`).
enum class property_format { binary, dword, string, expand_string, multi_string, ularge };

// One `Name=Value[,Value...][:format]` item as typed; converted to a typed JSON value later,
// when the current type of the property may be known (see property_value.hpp).
struct property_setting {
  std::string name;
  // The text after '=', without the format suffix and with one layer of enclosing double
  // quotes removed: what a single string value is.
  std::string text;
  // The same text split at commas outside double quotes, each piece unquoted: the values of
  // a list format (multistr, binary).
  std::vector<std::string> values;
  std::optional<property_format> format;
};

// `/wait[:seconds]`. Not given: the verb's default (until the state settles; group /move:
// 20 s). Given without seconds: no limit. `/wait:0`: do not wait at all.
struct wait_option {
  bool given = false;
  std::optional<std::uint32_t> seconds;
};

struct command {
  // `/cluster:X` or the bare cluster name before the object keyword.
  std::optional<std::string> cluster;
  object_kind object = object_kind::cluster;
  // The object's name (resource, group, node, network or resource type display name); a
  // network interface has none: /node: and /network: name it.
  std::optional<std::string> name;
  verb action = verb::status;
  // The verb's value: new name, node, group, dependency, owner (after the ':').
  std::optional<std::string> argument;
  // Comma lists: /setowners: nodes, /setnetpri: networks, /addnodes: nodes, /prop:NAMES
  // /usedefault property names.
  std::vector<std::string> arguments;

  // Modifiers.
  std::optional<std::string> group;             // /group: (resource /create)
  std::optional<std::string> type;              // /type: (resource and restype /create)
  bool type_flag = false;                       // /type without a value (restype /delete)
  bool separate = false;                        // /separate (resource /create)
  std::optional<std::string> dll;               // /dll[name]: (restype /create)
  std::optional<std::uint32_t> is_alive_ms;     // /isalive: (restype /create)
  std::optional<std::uint32_t> looks_alive_ms;  // /looksalive: (restype /create)
  std::optional<std::string> node;              // /node: (status filter; netinterface)
  std::optional<std::string> network;           // /net[work]: (netinterface)
  wait_option wait;
  bool use_default = false;    // /usedefault
  bool node_majority = false;  // /nodemajority (ours; with /quorum): no witness
  std::vector<property_setting> settings;
  bool json = false;  // /json (ours): print the API's JSON
};

}  // namespace wolfpack::cluster_cli
