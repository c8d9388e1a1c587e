// Nodes: opening, state, pause/resume/evict, and what a node holds (clusapi.h).
#include <cstdlib>
#include <optional>
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"

using namespace wolfpack::clusapi;

namespace {

DWORD node_action(HNODE hNode, const char* action) {
  return on_object(hNode, handle_kind::node,
                   [&](const object_handle& node) { return post_action(node, action); });
}

// GetClusterNodeId(NULL): the node "the application runs on". A resource DLL runs in a
// monitor, which names its node in $WOLFPACK_NODE; any other client is taken to run on the node
// of the default cluster ($WOLFPACK_CLUSTER) that answers it.
DWORD local_node_id(LPWSTR lpszNodeId, LPDWORD lpcchName) {
  return guarded([&]() -> DWORD {
    if (lpcchName == nullptr)
      return ERROR_INVALID_PARAMETER;
    auto opened = connection::open(std::nullopt);
    if (!opened.conn)
      return opened.error;
    std::string name;
    if (const char* node = std::getenv("WOLFPACK_NODE"); node != nullptr && *node != '\0') {
      name = node;
    } else {
      const auto cluster = opened.conn->request("GET", "/cluster");
      if (!cluster.ok())
        return cluster.error;
      name = cluster.body.value("node", std::string());
    }
    const auto answer = opened.conn->request("GET", object_path("nodes", name));
    if (!answer.ok())
      return answer.error;
    return copy_name(wide_field(answer.body, "id"), lpszNodeId, lpcchName);
  });
}

}  // namespace

extern "C" {

HNODE WINAPI OpenClusterNode(HCLUSTER hCluster, LPCWSTR lpszNodeName) {
  return static_cast<HNODE>(returning_handle(
      [&](DWORD& error) { return open_object(hCluster, lpszNodeName, handle_kind::node, error); }));
}

BOOL WINAPI CloseClusterNode(HNODE hNode) {
  return close_object(hNode, handle_kind::node);
}

CLUSTER_NODE_STATE WINAPI GetClusterNodeState(HNODE hNode) {
  return static_cast<CLUSTER_NODE_STATE>(
      object_state(hNode, handle_kind::node, ClusterNodeStateUnknown));
}

DWORD WINAPI GetClusterNodeId(HNODE hNode, LPWSTR lpszNodeId, LPDWORD lpcchName) {
  if (hNode == nullptr)
    return local_node_id(lpszNodeId, lpcchName);
  return copy_object_id(hNode, handle_kind::node, lpszNodeId, lpcchName);
}
DWORD WINAPI PauseClusterNode(HNODE hNode) {
  return node_action(hNode, "pause");
}

DWORD WINAPI ResumeClusterNode(HNODE hNode) {
  return node_action(hNode, "resume");
}

DWORD WINAPI EvictClusterNode(HNODE hNode) {
  return node_action(hNode, "evict");
}

HNODEENUM WINAPI ClusterNodeOpenEnum(HNODE hNode, DWORD dwType) {
  return static_cast<HNODEENUM>(open_enum(
      hNode, handle_kind::node, dwType, CLUSTER_NODE_ENUM_ALL, handle_kind::node_enum,
      [&](const object_handle& node, enum_handle& e) -> DWORD {
        // The node must still exist, as for every other handle-based call.
        const auto answer = read_object(node);
        if (!answer.ok())
          return answer.error;
        const std::string name = node.name();
        if ((dwType & CLUSTER_NODE_ENUM_NETINTERFACES) != 0) {
          const auto error = append_listed(*node.conn, e, CLUSTER_NODE_ENUM_NETINTERFACES,
                                           object_route(node, "/interfaces"), "netinterfaces");
          if (error != ERROR_SUCCESS)
            return error;
        }
        if ((dwType & CLUSTER_NODE_ENUM_GROUPS) == 0)
          return ERROR_SUCCESS;
        return append_listed(*node.conn, e, CLUSTER_NODE_ENUM_GROUPS, "/groups", "groups",
                             [&](const nlohmann::json& group) {
                               return group.is_object() && group.value("owner", "") == name;
                             });
      }));
}

DWORD WINAPI ClusterNodeGetEnumCount(HNODEENUM hNodeEnum) {
  return enum_count(hNodeEnum, handle_kind::node_enum);
}

DWORD WINAPI ClusterNodeEnum(HNODEENUM hNodeEnum, DWORD dwIndex, LPDWORD lpdwType, LPWSTR lpszName,
                             LPDWORD lpcchName) {
  return enum_entry(hNodeEnum, handle_kind::node_enum, dwIndex, lpdwType, lpszName, lpcchName);
}

DWORD WINAPI ClusterNodeCloseEnum(HNODEENUM hNodeEnum) {
  return enum_close(hNodeEnum, handle_kind::node_enum);
}

}  // extern "C"
