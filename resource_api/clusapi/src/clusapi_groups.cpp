// Groups and what they contain (clusapi.h).
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"

using namespace wolfpack::clusapi;

namespace {

// The body of online/move: {"node": NAME} for a destination, {} for "the cluster chooses".
// *error is ERROR_INVALID_HANDLE when a destination was given that is no node handle.
nlohmann::json destination_body(HNODE hDestinationNode, DWORD& error) {
  nlohmann::json body = nlohmann::json::object();
  if (hDestinationNode == nullptr)
    return body;
  const auto node = find<object_handle>(hDestinationNode, handle_kind::node);
  if (!node) {
    error = ERROR_INVALID_HANDLE;
    return body;
  }
  std::string name;
  error = current_name(*node, name);
  body["node"] = name;
  return body;
}

DWORD group_action(HGROUP hGroup, HNODE hDestinationNode, const char* action) {
  return guarded([&]() -> DWORD {
    const auto group = find<object_handle>(hGroup, handle_kind::group);
    if (!group)
      return ERROR_INVALID_HANDLE;
    DWORD error = ERROR_SUCCESS;
    const auto body = destination_body(hDestinationNode, error);
    if (error != ERROR_SUCCESS)
      return error;
    return post_action(*group, action, &body);
  });
}

}  // namespace

extern "C" {

HGROUP WINAPI OpenClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName) {
  return static_cast<HGROUP>(returning_handle([&](DWORD& error) {
    return open_object(hCluster, lpszGroupName, handle_kind::group, error);
  }));
}

HGROUP WINAPI CreateClusterGroup(HCLUSTER hCluster, LPCWSTR lpszGroupName) {
  return static_cast<HGROUP>(returning_handle([&](DWORD& error) -> void* {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster) {
      error = ERROR_INVALID_HANDLE;
      return nullptr;
    }
    if (lpszGroupName == nullptr || *lpszGroupName == L'\0') {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    const nlohmann::json body = {{"name", utf8(lpszGroupName)}};
    const auto answer = cluster->conn->request("POST", "/groups", &body);
    if (!answer.ok()) {
      error = answer.error;
      return nullptr;
    }
    return handle_for(cluster->conn, handle_kind::group, answer.body, error);
  }));
}

DWORD WINAPI DeleteClusterGroup(HGROUP hGroup) {
  return guarded([&]() -> DWORD {
    const auto group = find<object_handle>(hGroup, handle_kind::group);
    if (!group)
      return ERROR_INVALID_HANDLE;
    return group->conn->request("DELETE", object_route(*group)).error;
  });
}

BOOL WINAPI CloseClusterGroup(HGROUP hGroup) {
  return close_object(hGroup, handle_kind::group);
}

CLUSTER_GROUP_STATE WINAPI GetClusterGroupState(HGROUP hGroup, LPWSTR lpszNodeName,
                                                LPDWORD lpcchNodeName) {
  int code = ClusterGroupStateUnknown;
  const DWORD error = guarded([&]() -> DWORD {
    const auto group = find<object_handle>(hGroup, handle_kind::group);
    if (!group)
      return ERROR_INVALID_HANDLE;
    if (lpszNodeName != nullptr && lpcchNodeName == nullptr)
      return ERROR_INVALID_PARAMETER;
    const auto answer = read_object(*group);
    if (!answer.ok())
      return answer.error;
    code = answer.body.value("code", static_cast<int>(ClusterGroupStateUnknown));
    // Without a buffer the node name is not asked for; its length is still reported.
    if (lpcchNodeName != nullptr) {
      const auto owner = wide_field(answer.body, "owner");
      if (lpszNodeName == nullptr) {
        *lpcchNodeName = static_cast<DWORD>(owner.size());
        return ERROR_SUCCESS;
      }
      return copy_name(owner, lpszNodeName, lpcchNodeName);
    }
    return ERROR_SUCCESS;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? static_cast<CLUSTER_GROUP_STATE>(code) : ClusterGroupStateUnknown;
}

DWORD WINAPI OnlineClusterGroup(HGROUP hGroup, HNODE hDestinationNode) {
  return group_action(hGroup, hDestinationNode, "online");
}

DWORD WINAPI OfflineClusterGroup(HGROUP hGroup) {
  return group_action(hGroup, nullptr, "offline");
}

DWORD WINAPI MoveClusterGroup(HGROUP hGroup, HNODE hDestinationNode) {
  return guarded([&]() -> DWORD {
    const auto group = find<object_handle>(hGroup, handle_kind::group);
    if (!group)
      return ERROR_INVALID_HANDLE;
    DWORD error = ERROR_SUCCESS;
    const auto body = destination_body(hDestinationNode, error);
    if (error != ERROR_SUCCESS)
      return error;
    const auto answer = group->conn->request("POST", object_route(*group, "/move"), &body);
    if (!answer.ok())
      return answer.error;
    // The ownership has changed; the group may still be coming online on its new node.
    return answer.body.value("code", 0) == ClusterGroupPending || answer.status == 202
               ? ERROR_IO_PENDING
               : ERROR_SUCCESS;
  });
}

HGROUPENUM WINAPI ClusterGroupOpenEnum(HGROUP hGroup, DWORD dwType) {
  return static_cast<HGROUPENUM>(
      open_enum(hGroup, handle_kind::group, dwType, CLUSTER_GROUP_ENUM_ALL, handle_kind::group_enum,
                [&](const object_handle& group, enum_handle& e) -> DWORD {
                  const auto answer = read_object(group);
                  if (!answer.ok())
                    return answer.error;
                  const auto add = [&](DWORD type, const char* key) {
                    const auto list = answer.body.find(key);
                    if (list == answer.body.end() || !list->is_array())
                      return;
                    for (const auto& name : *list)
                      e.entries.push_back({type, wide(name)});
                  };
                  if ((dwType & CLUSTER_GROUP_ENUM_CONTAINS) != 0)
                    add(CLUSTER_GROUP_ENUM_CONTAINS, "resources");
                  if ((dwType & CLUSTER_GROUP_ENUM_NODES) != 0)
                    add(CLUSTER_GROUP_ENUM_NODES, "preferred_owners");
                  return ERROR_SUCCESS;
                }));
}

DWORD WINAPI ClusterGroupGetEnumCount(HGROUPENUM hGroupEnum) {
  return enum_count(hGroupEnum, handle_kind::group_enum);
}

DWORD WINAPI ClusterGroupEnum(HGROUPENUM hGroupEnum, DWORD dwIndex, LPDWORD lpdwType,
                              LPWSTR lpszResourceName, LPDWORD lpcchName) {
  return enum_entry(hGroupEnum, handle_kind::group_enum, dwIndex, lpdwType, lpszResourceName,
                    lpcchName);
}

DWORD WINAPI ClusterGroupCloseEnum(HGROUPENUM hGroupEnum) {
  return enum_close(hGroupEnum, handle_kind::group_enum);
}

}  // extern "C"
