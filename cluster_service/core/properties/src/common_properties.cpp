#include "wolfpack/cluster_core/common_properties.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

namespace wolfpack::cluster {

namespace {

constexpr std::uint64_t dword_max = 0xFFFFFFFFull;
constexpr std::uint64_t qword_max = std::numeric_limits<std::uint64_t>::max();
// 0xFFFFFFFF (-1 as a DWORD): "use the resource type's value", "number of nodes - 1",
// "no failback window", "no default owner", "never retry", depending on the property.
constexpr std::uint32_t minus_one = 0xFFFFFFFFu;

std::optional<typed_value> dw(std::uint32_t value) {
  return typed_value::dword(value);
}

std::optional<typed_value> qw(std::uint64_t value) {
  return typed_value::qword(value);
}

constexpr property_choice restart_actions[] = {
    {0, "ClusterResourceDontRestart"},
    {1, "ClusterResourceRestartNoNotify"},
    {2, "ClusterResourceRestartNotify"},
};

constexpr property_choice failback_types[] = {
    {0, "ClusterGroupPreventFailback"},
    {1, "ClusterGroupAllowFailback"},
};

constexpr property_choice group_priorities[] = {
    {0, "Disabled"},  // not started automatically
    {1000, "Low"},
    {2000, "Medium"},
    {3000, "High"},
};

// CLUSTER_NETWORK_ROLE; ClientAccess (2) is accepted although Windows documents it as "not
// supported": the reference pages list it among the values Role may take.
constexpr property_choice network_roles[] = {
    {0, "ClusterNetworkRoleNone"},
    {1, "ClusterNetworkRoleInternalUse"},
    {2, "ClusterNetworkRoleClientAccess"},
    {3, "ClusterNetworkRoleInternalAndClient"},
};

constexpr property_choice cold_start_settings[] = {
    {0, "CLUS_GROUP_START_ALWAYS"},
    {1, "CLUS_GROUP_DO_NOT_START"},
    {2, "CLUS_GROUP_START_ALLOWED"},
};

// SPEC.md "Decisions already taken": defaults follow Windows Server 2008 and later, where
// a resource restarts once per RestartPeriod on a node before the group moves on (KB 947712).
// The 2008+ reference table says 3; the decision overrides it (SPEC 4.3, 10.2).
constexpr std::uint32_t default_restart_threshold = 1;

// ASCII case folding: property names are case-insensitive, as in MSCS.
char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool folded_less(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return fold(x) < fold(y); });
}

bool folded_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return fold(x) == fold(y); });
}

// Sorts a table by folded name once; a duplicate name is a bug in the table.
std::vector<property_spec> sorted(std::vector<property_spec> table) {
  std::sort(table.begin(), table.end(), [](const property_spec& a, const property_spec& b) {
    return folded_less(a.name, b.name);
  });
  for (std::size_t i = 1; i < table.size(); ++i) {
    if (folded_equal(table[i - 1].name, table[i].name)) {
      throw std::logic_error("common property '" + std::string(table[i].name) + "' listed twice");
    }
  }
  return table;
}

// Resource common properties (SPEC 6.6, 4.3).
std::vector<property_spec> resource_table() {
  return sorted({
      {.name = "Name", .type = value_type::sz, .maintained = true},                     // rename
      {.name = "Type", .type = value_type::sz, .read_only = true, .maintained = true},  // creation
      {.name = "Description", .type = value_type::sz},
      // 0xFFFFFFFF: use the resource type's value (the resource manager resolves it). One
      // sentinel for both intervals (docs/semantics.md, SPEC 10.4 #3); 1 is no sentinel.
      {.name = "IsAlivePollInterval",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .min = 10,
       .special = minus_one},
      {.name = "LooksAlivePollInterval",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .min = 10,
       .special = minus_one},
      {.name = "PendingTimeout", .type = value_type::dword, .default_value = dw(180000), .min = 10},
      {.name = "RestartAction",
       .type = value_type::dword,
       .default_value = dw(2),
       .max = 2,
       .choices = restart_actions},
      {.name = "RestartThreshold",
       .type = value_type::dword,
       .default_value = dw(default_restart_threshold)},
      // 900000 ms: the reference table's value (SPEC 10.4 #1; the text's 90000 is a slip).
      {.name = "RestartPeriod", .type = value_type::dword, .default_value = dw(900000)},
      // Read-only in the 2012+ reference; Wolfpack lets administrators write it, since the
      // restart policy reads it like RestartPeriod and labs want short delays.
      {.name = "RestartDelay", .type = value_type::dword, .default_value = dw(500)},
      // 0xFFFFFFFF: never retry. Otherwise at least RestartPeriod (check_property_set).
      {.name = "RetryPeriodOnFailure",
       .type = value_type::dword,
       .default_value = dw(3600000),
       .special = minus_one},
      {.name = "SeparateMonitor", .type = value_type::dword, .default_value = dw(0), .max = 1},
      {.name = "PersistentState", .type = value_type::dword, .default_value = dw(0), .max = 1},
      {.name = "DeadlockTimeout",
       .type = value_type::dword,
       .default_value = dw(300000),
       .min = 1000},
      {.name = "MonitorProcessId",
       .type = value_type::dword,
       .read_only = true,
       .maintained = true},
      {.name = "LastOperationStatusCode",
       .type = value_type::qword,
       .default_value = qw(0),
       .max = qword_max,
       .read_only = true,
       .maintained = true},
  });
}

// Resource type common properties (SPEC 6.6). The type's values are what a resource's
// 0xFFFFFFFF intervals resolve to.
std::vector<property_spec> resource_type_table() {
  return sorted({
      {.name = "Name", .type = value_type::sz, .maintained = true},  // the display name
      {.name = "Description", .type = value_type::sz},
      {.name = "DllName", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "LooksAlivePollInterval",
       .type = value_type::dword,
       .default_value = dw(5000),
       .min = 1},
      {.name = "IsAlivePollInterval",
       .type = value_type::dword,
       .default_value = dw(60000),
       .min = 1},
      {.name = "PendingTimeout", .type = value_type::dword, .default_value = dw(180000), .min = 10},
      {.name = "DeadlockTimeout",
       .type = value_type::dword,
       .default_value = dw(300000),
       .min = 30000},
      {.name = "DebugPrefix", .type = value_type::sz},
      {.name = "AdminExtensions", .type = value_type::multi_sz},
  });
}

// Group common properties (SPEC 6.6, 4.3, 4.8, 10.3).
std::vector<property_spec> group_table() {
  return sorted({
      {.name = "Name", .type = value_type::sz, .maintained = true},  // rename
      {.name = "Description", .type = value_type::sz},
      // 0xFFFFFFFF: the number of nodes - 1.
      {.name = "FailoverThreshold",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .special = minus_one},
      {.name = "FailoverPeriod", .type = value_type::dword, .default_value = dw(6), .max = 1193},
      {.name = "AutoFailbackType",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 1,
       .choices = failback_types},
      // Hours of the day in cluster time; 0xFFFFFFFF: no window (both or neither are set).
      {.name = "FailbackWindowStart",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .max = 23,
       .special = minus_one},
      {.name = "FailbackWindowEnd",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .max = 23,
       .special = minus_one},
      {.name = "PersistentState", .type = value_type::dword, .default_value = dw(0), .max = 1},
      {.name = "AntiAffinityClassNames", .type = value_type::multi_sz},
      // The node number last activated on or moved to; 0xFFFFFFFF (-1): none.
      {.name = "DefaultOwner",
       .type = value_type::dword,
       .default_value = dw(minus_one),
       .max = 512,
       .special = minus_one},
      {.name = "Priority",
       .type = value_type::dword,
       .default_value = dw(2000),
       .max = 3000,
       .choices = group_priorities},
      // 9999: Unknown (no role); Wolfpack has no roles that would set the others.
      {.name = "GroupType",
       .type = value_type::dword,
       .default_value = dw(9999),
       .read_only = true},
      {.name = "ColdStartSetting",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 2,
       .choices = cold_start_settings},
      {.name = "GroupStartDelay",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 1800000},
  });
}

// Cluster common properties (SPEC 6.6, 10.2). Ranges from the MsCS reference pages.
// ClusSvcHangTimeout and the ClusSvcRegroup* timeouts are read-only in that reference (set
// through the registry on Windows); Wolfpack has no registry side door, so they are writable
// here, within the documented ranges, like the heartbeat delays and thresholds.
std::vector<property_spec> cluster_table() {
  return sorted({
      {.name = "Description", .type = value_type::sz},
      {.name = "SameSubnetDelay",
       .type = value_type::dword,
       .default_value = dw(1000),
       .min = 250,
       .max = 2000},
      {.name = "SameSubnetThreshold",
       .type = value_type::dword,
       .default_value = dw(5),
       .min = 3,
       .max = 120},
      {.name = "CrossSubnetDelay",
       .type = value_type::dword,
       .default_value = dw(1000),
       .min = 250,
       .max = 4000},
      {.name = "CrossSubnetThreshold",
       .type = value_type::dword,
       .default_value = dw(5),
       .min = 3,
       .max = 120},
      {.name = "QuorumArbitrationTimeMax",
       .type = value_type::dword,
       .default_value = dw(20),
       .min = 1,
       .max = 3600},
      {.name = "ClusSvcHangTimeout", .type = value_type::dword, .default_value = dw(60), .min = 6},
      {.name = "ClusSvcRegroupOpeningTimeout",
       .type = value_type::dword,
       .default_value = dw(5),
       .min = 1,
       .max = 20},
      {.name = "ClusSvcRegroupPruningTimeout",
       .type = value_type::dword,
       .default_value = dw(5),
       .min = 1,
       .max = 30},
      {.name = "ClusSvcRegroupStageTimeout",
       .type = value_type::dword,
       .default_value = dw(5),
       .min = 2,
       .max = 30},
      {.name = "ClusSvcRegroupTickInMilliseconds",
       .type = value_type::dword,
       .default_value = dw(300),
       .min = 50,
       .max = 1000},
      {.name = "ClusterGroupWaitDelay",
       .type = value_type::dword,
       .default_value = dw(120),
       .max = 3600},
      {.name = "ShutdownTimeoutInMinutes",
       .type = value_type::dword,
       .default_value = dw(20),
       .max = 1440},
      {.name = "AddEvictDelay", .type = value_type::dword, .default_value = dw(60), .max = 600},
      {.name = "IgnorePersistentStateOnStartup",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 1},
      {.name = "DrainOnShutdown", .type = value_type::dword, .default_value = dw(1), .max = 1},
      {.name = "ClusterLogLevel", .type = value_type::dword, .default_value = dw(3), .max = 5},
      // Megabytes.
      {.name = "ClusterLogSize",
       .type = value_type::dword,
       .default_value = dw(300),
       .min = 8,
       .max = 1024},
      {.name = "FixQuorum",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 1,
       .read_only = true},
      {.name = "PreventQuorum",
       .type = value_type::dword,
       .default_value = dw(0),
       .max = 1,
       .read_only = true},
      {.name = "DynamicQuorum", .type = value_type::dword, .default_value = dw(1), .max = 1},
      // The Role a network gets when it is discovered; networks found earlier keep theirs.
      {.name = "DefaultNetworkRole",
       .type = value_type::dword,
       .default_value = dw(3),
       .max = 3,
       .choices = network_roles},
  });
}

// Node common properties (SPEC 6.6). The versions are recorded by the service when the
// node joins.
std::vector<property_spec> node_table() {
  return sorted({
      {.name = "NodeName", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Description", .type = value_type::sz},
      // The reference page says default 0, but a node votes unless an administrator removes
      // its vote: every node starts with weight 1.
      {.name = "NodeWeight", .type = value_type::dword, .default_value = dw(1), .max = 1},
      {.name = "NodeHighestVersion",
       .type = value_type::dword,
       .read_only = true,
       .maintained = true},
      {.name = "NodeLowestVersion",
       .type = value_type::dword,
       .read_only = true,
       .maintained = true},
      {.name = "MajorVersion", .type = value_type::dword, .read_only = true, .maintained = true},
      {.name = "MinorVersion", .type = value_type::dword, .read_only = true, .maintained = true},
      {.name = "BuildNumber", .type = value_type::dword, .read_only = true, .maintained = true},
      {.name = "CSDVersion", .type = value_type::sz, .read_only = true, .maintained = true},
  });
}

// Network common properties (SPEC 6.6, 5.1). Address and AddressMask describe the subnet
// the network was discovered on; Priority is its place in the order of internal networks
// (set through the cluster's network priority, not as a property).
std::vector<property_spec> network_table() {
  return sorted({
      {.name = "Name", .type = value_type::sz, .maintained = true},  // rename
      {.name = "Description", .type = value_type::sz},
      {.name = "Role",
       .type = value_type::dword,
       .default_value = dw(3),
       .max = 3,
       .choices = network_roles},
      {.name = "Address", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "AddressMask", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Priority", .type = value_type::dword, .read_only = true, .maintained = true},
  });
}

// Network interface common properties: all recorded by the service from what the node
// reported about its adapter, except Description.
std::vector<property_spec> netinterface_table() {
  return sorted({
      {.name = "Name", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Description", .type = value_type::sz},
      {.name = "Node", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Network", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Adapter", .type = value_type::sz, .read_only = true, .maintained = true},
      {.name = "Address", .type = value_type::sz, .read_only = true, .maintained = true},
  });
}

const std::vector<property_spec>& table_of(object_kind kind) {
  switch (kind) {
    case object_kind::cluster: {
      static const auto table = cluster_table();
      return table;
    }
    case object_kind::node: {
      static const auto table = node_table();
      return table;
    }
    case object_kind::group: {
      static const auto table = group_table();
      return table;
    }
    case object_kind::resource: {
      static const auto table = resource_table();
      return table;
    }
    case object_kind::resource_type: {
      static const auto table = resource_type_table();
      return table;
    }
    case object_kind::network: {
      static const auto table = network_table();
      return table;
    }
    case object_kind::netinterface: {
      static const auto table = netinterface_table();
      return table;
    }
  }
  throw std::logic_error("unknown object_kind " + std::to_string(static_cast<int>(kind)));
}

// "0xFFFFFFFF" reads better than 4294967295 in a message.
std::string number(std::uint64_t n) {
  if (n == dword_max)
    return "0xFFFFFFFF";
  if (n == qword_max)
    return "0xFFFFFFFFFFFFFFFF";
  return std::to_string(n);
}

// "a DWORD", "an SZ".
std::string with_article(value_type type) {
  const auto name = to_string(type);
  const bool vowel_sound = name.starts_with("SZ") || name.starts_with("EXPAND_SZ");
  return std::string(vowel_sound ? "an " : "a ") + std::string(name);
}

property_error error(std::uint32_t code, object_kind kind, std::string_view name,
                     std::string_view what) {
  return property_error{code, std::string(to_string(kind)) + " property '" + std::string(name) +
                                  "'" + std::string(what)};
}

// The numeric checks: choices, else [min, max]; `special` is always accepted.
std::optional<std::string> check_number(const property_spec& spec, std::uint64_t n) {
  if (spec.special && n == *spec.special)
    return std::nullopt;
  if (!spec.choices.empty()) {
    for (const auto& choice : spec.choices) {
      if (choice.value == n)
        return std::nullopt;
    }
    std::string text = ": " + number(n) + " is not one of ";
    for (std::size_t i = 0; i < spec.choices.size(); ++i) {
      if (i > 0)
        text += ", ";
      text += number(spec.choices[i].value) + " (" + std::string(spec.choices[i].name) + ")";
    }
    if (spec.special)
      text += ", " + number(*spec.special);
    return text;
  }
  if (n < spec.min || n > spec.max) {
    std::string text =
        ": " + number(n) + " is out of range " + number(spec.min) + ".." + number(spec.max);
    if (spec.special && (*spec.special < spec.min || *spec.special > spec.max))
      text += " (or " + number(*spec.special) + ")";
    return text;
  }
  return std::nullopt;
}

// The effective number of `name`: the stored value, else the spec's default.
std::optional<std::uint64_t> effective_number(object_kind kind, const property_map& effective,
                                              std::string_view name) {
  if (const auto it = effective.find(name); it != effective.end()) {
    if (const auto* n = std::get_if<std::uint64_t>(&it->second.v))
      return *n;
    return std::nullopt;
  }
  const auto* spec = find_common_property(kind, name);
  if (spec && spec->default_value) {
    if (const auto* n = std::get_if<std::uint64_t>(&spec->default_value->v))
      return *n;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(object_kind kind) {
  switch (kind) {
    case object_kind::cluster:
      return "cluster";
    case object_kind::node:
      return "node";
    case object_kind::group:
      return "group";
    case object_kind::resource:
      return "resource";
    case object_kind::resource_type:
      return "resource type";
    case object_kind::network:
      return "network";
    case object_kind::netinterface:
      return "network interface";
  }
  return "object";
}

std::span<const property_spec> common_properties(object_kind kind) {
  return table_of(kind);
}

const property_spec* find_common_property(object_kind kind, std::string_view name) {
  const auto& table = table_of(kind);
  const auto it = std::lower_bound(
      table.begin(), table.end(), name,
      [](const property_spec& spec, std::string_view key) { return folded_less(spec.name, key); });
  if (it == table.end() || !folded_equal(it->name, name))
    return nullptr;
  return &*it;
}

std::variant<checked_property, property_error> check_common_property(object_kind kind,
                                                                     std::string_view name,
                                                                     const typed_value& value) {
  const auto* spec = find_common_property(kind, name);
  if (!spec) {
    return error(error_unknown_property, kind, name, " does not exist");
  }
  if (spec->read_only) {
    return error(error_access_denied, kind, spec->name, " is read-only");
  }
  if (spec->maintained) {
    // Name: rename the object instead.
    return error(error_access_denied, kind, spec->name,
                 " is maintained by the cluster service and cannot be set");
  }
  return check_property_value(kind, *spec, value);
}

std::variant<checked_property, property_error> check_property_value(object_kind kind,
                                                                    const property_spec& spec,
                                                                    const typed_value& value) {
  const bool widen = spec.type == value_type::qword && value.type == value_type::dword;
  if (value.type != spec.type && !widen) {
    return error(error_property_data_type_mismatch, kind, spec.name,
                 " is " + with_article(spec.type) + ", not " + with_article(value.type));
  }

  if (spec.type == value_type::dword || spec.type == value_type::qword) {
    const auto* n = std::get_if<std::uint64_t>(&value.v);
    if (!n) {
      return error(error_invalid_parameter, kind, spec.name,
                   ": the " + std::string(to_string(value.type)) + " value holds no number");
    }
    if (value.type == value_type::dword && *n > dword_max) {
      return error(error_invalid_parameter, kind, spec.name,
                   ": DWORD value " + std::to_string(*n) + " is out of range");
    }
    if (auto problem = check_number(spec, *n)) {
      return error(error_invalid_parameter, kind, spec.name, *problem);
    }
    return checked_property{std::string(spec.name), widen ? typed_value::qword(*n) : value};
  }
  return checked_property{std::string(spec.name), value};
}

std::optional<property_error> check_property_set(object_kind kind, const property_map& effective) {
  switch (kind) {
    case object_kind::resource: {
      const auto retry = effective_number(kind, effective, "RetryPeriodOnFailure");
      const auto period = effective_number(kind, effective, "RestartPeriod");
      if (retry && period && *retry != minus_one && *retry < *period) {
        return error(error_invalid_parameter, kind, "RetryPeriodOnFailure",
                     ": " + number(*retry) + " is less than RestartPeriod " + number(*period) +
                         " (use 0xFFFFFFFF to never retry)");
      }
      return std::nullopt;
    }
    case object_kind::group: {
      const auto start = effective_number(kind, effective, "FailbackWindowStart");
      const auto end = effective_number(kind, effective, "FailbackWindowEnd");
      const bool start_set = start && *start != minus_one;
      const bool end_set = end && *end != minus_one;
      if (start_set != end_set) {
        const std::string_view set = start_set ? "FailbackWindowStart" : "FailbackWindowEnd";
        const std::string_view unset = start_set ? "FailbackWindowEnd" : "FailbackWindowStart";
        return error(error_invalid_parameter, kind, set,
                     ": " + number(start_set ? *start : *end) + " is set but " +
                         std::string(unset) + " is not (set both hours, or neither)");
      }
      return std::nullopt;
    }
    case object_kind::cluster:
    case object_kind::node:
    case object_kind::resource_type:
    case object_kind::network:  // the rules about Role need the other networks (api_networks)
    case object_kind::netinterface:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace wolfpack::cluster
