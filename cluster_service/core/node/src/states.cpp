#include "wolfpack/cluster_core/states.hpp"

namespace wolfpack::cluster {

std::string_view to_string(resource_state s) {
  switch (s) {
    case resource_state::inherited:
      return "Inherited";
    case resource_state::initializing:
      return "Initializing";
    case resource_state::online:
      return "Online";
    case resource_state::offline:
      return "Offline";
    case resource_state::failed:
      return "Failed";
    case resource_state::pending:
      return "Pending";
    case resource_state::online_pending:
      return "OnlinePending";
    case resource_state::offline_pending:
      return "OfflinePending";
    case resource_state::unknown:
      break;
  }
  return "Unknown";
}

std::string_view to_string(group_state s) {
  switch (s) {
    case group_state::online:
      return "Online";
    case group_state::offline:
      return "Offline";
    case group_state::failed:
      return "Failed";
    case group_state::partial_online:
      return "PartialOnline";
    case group_state::pending:
      return "Pending";
    case group_state::unknown:
      break;
  }
  return "Unknown";
}

std::string_view to_string(node_state s) {
  switch (s) {
    case node_state::up:
      return "Up";
    case node_state::down:
      return "Down";
    case node_state::paused:
      return "Paused";
    case node_state::joining:
      return "Joining";
    case node_state::unknown:
      break;
  }
  return "Unknown";
}

std::string_view to_string(network_state s) {
  switch (s) {
    case network_state::unavailable:
      return "Unavailable";
    case network_state::down:
      return "Down";
    case network_state::partitioned:
      return "Partitioned";
    case network_state::up:
      return "Up";
    case network_state::unknown:
      break;
  }
  return "Unknown";
}

std::string_view to_string(netinterface_state s) {
  switch (s) {
    case netinterface_state::unavailable:
      return "Unavailable";
    case netinterface_state::failed:
      return "Failed";
    case netinterface_state::unreachable:
      return "Unreachable";
    case netinterface_state::up:
      return "Up";
    case netinterface_state::unknown:
      break;
  }
  return "Unknown";
}

resource_state parse_resource_state(std::string_view name) {
  for (auto s : {resource_state::inherited, resource_state::initializing, resource_state::online,
                 resource_state::offline, resource_state::failed, resource_state::pending,
                 resource_state::online_pending, resource_state::offline_pending}) {
    if (to_string(s) == name)
      return s;
  }
  return resource_state::unknown;
}

}  // namespace wolfpack::cluster
