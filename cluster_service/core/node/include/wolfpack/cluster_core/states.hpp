// Resource, group, node, network and network interface states with MSCS's numeric values
// (CLUSTER_RESOURCE_STATE, CLUSTER_GROUP_STATE, CLUSTER_NODE_STATE, CLUSTER_NETWORK_STATE,
// CLUSTER_NETINTERFACE_STATE) and the names the API and events use.
#pragma once

#include <string_view>

namespace wolfpack::cluster {

enum class resource_state : int {
  unknown = -1,
  inherited = 0,
  initializing = 1,
  online = 2,
  offline = 3,
  failed = 4,
  pending = 128,
  online_pending = 129,
  offline_pending = 130,
};

enum class group_state : int {
  unknown = -1,
  online = 0,
  offline = 1,
  failed = 2,
  partial_online = 3,
  pending = 4,
};

enum class node_state : int { unknown = -1, up = 0, down = 1, paused = 2, joining = 3 };

enum class network_state : int { unknown = -1, unavailable = 0, down = 1, partitioned = 2, up = 3 };

enum class netinterface_state : int {
  unknown = -1,
  unavailable = 0,
  failed = 1,
  unreachable = 2,
  up = 3
};

std::string_view to_string(resource_state s);      // "Online", "OnlinePending", ...
std::string_view to_string(group_state s);         // "Online", "PartialOnline", ...
std::string_view to_string(node_state s);          // "Up", "Down", "Paused", "Joining"
std::string_view to_string(network_state s);       // "Unavailable", "Down", "Partitioned", "Up"
std::string_view to_string(netinterface_state s);  // "Unavailable", "Failed", "Unreachable", "Up"
// From the names above (the monitor's state events use them); unknown for anything else.
resource_state parse_resource_state(std::string_view name);

// Offline or Failed: nothing of the resource runs.
inline constexpr bool is_down(resource_state s) {
  return s == resource_state::offline || s == resource_state::failed;
}

inline constexpr int code(resource_state s) {
  return static_cast<int>(s);
}
inline constexpr int code(group_state s) {
  return static_cast<int>(s);
}
inline constexpr int code(node_state s) {
  return static_cast<int>(s);
}
inline constexpr int code(network_state s) {
  return static_cast<int>(s);
}
inline constexpr int code(netinterface_state s) {
  return static_cast<int>(s);
}

}  // namespace wolfpack::cluster
