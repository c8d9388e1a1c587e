// The cluster itself and the cluster-wide enumeration (clusapi.h).
#include <cstring>
#include <optional>
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"

using namespace wolfpack::clusapi;

namespace {

// The CLUSTER_ENUM_* bits this library fills, in the order their entries come.
struct enum_source {
  DWORD type;
  const char* path;
  const char* list;
};
constexpr enum_source cluster_enum_sources[] = {
    {CLUSTER_ENUM_NODE, "/nodes", "nodes"},
    {CLUSTER_ENUM_RESTYPE, "/resourcetypes", "resourcetypes"},
    {CLUSTER_ENUM_RESOURCE, "/resources", "resources"},
    {CLUSTER_ENUM_GROUP, "/groups", "groups"},
    {CLUSTER_ENUM_NETWORK, "/networks", "networks"},
    {CLUSTER_ENUM_NETINTERFACE, "/netinterfaces", "netinterfaces"},
};

void* open_cluster(LPCWSTR lpszClusterName, DWORD& error) {
  std::optional<std::string> name;
  if (lpszClusterName != nullptr)
    name = utf8(lpszClusterName);
  auto opened = connection::open(name);
  if (!opened.conn) {
    error = opened.error;
    return nullptr;
  }
  return add_handle(std::make_shared<cluster_handle>(std::move(opened.conn)));
}

// GetClusterFrom*: a cluster handle sharing the object's connection, as OpenCluster's
// handles share theirs with the objects opened through them.
HCLUSTER cluster_of(const void* handle, handle_kind kind) {
  return static_cast<HCLUSTER>(returning_handle([&](DWORD& error) -> void* {
    void* cluster = nullptr;
    error = on_object(handle, kind, [&](object_handle& object) -> DWORD {
      cluster = add_handle(std::make_shared<cluster_handle>(object.conn));
      return ERROR_SUCCESS;
    });
    return cluster;
  }));
}

}  // namespace

extern "C" {

HCLUSTER WINAPI OpenCluster(LPCWSTR lpszClusterName) {
  return static_cast<HCLUSTER>(
      returning_handle([&](DWORD& error) { return open_cluster(lpszClusterName, error); }));
}

HCLUSTER WINAPI OpenClusterEx(LPCWSTR lpszClusterName, DWORD DesiredAccess, DWORD* GrantedAccess) {
  return static_cast<HCLUSTER>(returning_handle([&](DWORD& error) -> void* {
    // The API has no access control yet: every right asked for is granted.
    const DWORD known = CLUSAPI_ALL_ACCESS | MAXIMUM_ALLOWED;
    if ((DesiredAccess & ~known) != 0 || (DesiredAccess & CLUSAPI_NO_ACCESS) != 0) {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    void* handle = open_cluster(lpszClusterName, error);
    if (handle != nullptr && GrantedAccess != nullptr) {
      *GrantedAccess = (DesiredAccess & MAXIMUM_ALLOWED) != 0 ? CLUSAPI_ALL_ACCESS : DesiredAccess;
    }
    return handle;
  }));
}

BOOL WINAPI CloseCluster(HCLUSTER hCluster) {
  return close_object(hCluster, handle_kind::cluster);
}

HCLUSTER WINAPI GetClusterFromResource(HRESOURCE hResource) {
  return cluster_of(hResource, handle_kind::resource);
}

HCLUSTER WINAPI GetClusterFromGroup(HGROUP hGroup) {
  return cluster_of(hGroup, handle_kind::group);
}

HCLUSTER WINAPI GetClusterFromNode(HNODE hNode) {
  return cluster_of(hNode, handle_kind::node);
}

DWORD WINAPI GetClusterInformation(HCLUSTER hCluster, LPWSTR lpszClusterName,
                                   LPDWORD lpcchClusterName, LPCLUSTERVERSIONINFO lpClusterInfo) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (lpcchClusterName == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (lpClusterInfo != nullptr &&
        lpClusterInfo->dwVersionInfoSize < sizeof(CLUSTERVERSIONINFO_NT4)) {
      return ERROR_INVALID_PARAMETER;
    }
    const auto answer = cluster->conn->request("GET", "/cluster");
    if (!answer.ok())
      return answer.error;
    if (lpClusterInfo != nullptr) {
      const auto& version =
          answer.body.contains("version") ? answer.body["version"] : nlohmann::json::object();
      const auto major = static_cast<WORD>(version.value("major", 0));
      const auto minor = static_cast<WORD>(version.value("minor", 0));
      const DWORD size = lpClusterInfo->dwVersionInfoSize;
      // Only the fields the caller's structure has: the NT4 one ends at szCSDVersion.
      std::memset(lpClusterInfo, 0, sizeof(CLUSTERVERSIONINFO_NT4));
      lpClusterInfo->dwVersionInfoSize = size;
      lpClusterInfo->MajorVersion = major;
      lpClusterInfo->MinorVersion = minor;
      lpClusterInfo->BuildNumber = 0;
      const std::wstring vendor = L"Wolfpack";
      vendor.copy(lpClusterInfo->szVendorId, vendor.size());
      if (size >= sizeof(CLUSTERVERSIONINFO)) {
        lpClusterInfo->dwClusterHighestVersion = CLUSTER_MAKE_VERSION(major, minor);
        lpClusterInfo->dwClusterLowestVersion = CLUSTER_MAKE_VERSION(major, minor);
        lpClusterInfo->dwFlags = 0;
        lpClusterInfo->dwReserved = 0;
      }
    }
    return copy_name(wide_field(answer.body, "name"), lpszClusterName, lpcchClusterName);
  });
}

// ERROR_SUCCESS rather than MSCS's ERROR_RESOURCE_PROPERTIES_STORED: there is no core Network
// Name to bring online again, the cluster has the new name at once (docs/clusapi.md). A lab's
// registration keeps the old name: `cluster /rename` or `wolfpack rename` moves it.
DWORD WINAPI SetClusterName(HCLUSTER hCluster, LPCWSTR lpszNewClusterName) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (lpszNewClusterName == nullptr)
      return ERROR_INVALID_PARAMETER;
    const nlohmann::json body = {{"name", utf8(lpszNewClusterName)}};
    const auto answer = cluster->conn->request("POST", "/cluster/rename", &body);
    return answer.ok() ? ERROR_SUCCESS : answer.error;
  });
}

HCLUSENUM WINAPI ClusterOpenEnum(HCLUSTER hCluster, DWORD dwType) {
  return static_cast<HCLUSENUM>(returning_handle([&](DWORD& error) -> void* {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster) {
      error = ERROR_INVALID_HANDLE;
      return nullptr;
    }
    if (dwType == 0 || (dwType & ~(CLUSTER_ENUM_ALL | CLUSTER_ENUM_INTERNAL_NETWORK)) != 0) {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    auto e = std::make_shared<enum_handle>(handle_kind::cluster_enum);
    for (const auto& source : cluster_enum_sources) {
      if ((dwType & source.type) == 0)
        continue;
      error = append_listed(*cluster->conn, *e, source.type, source.path, source.list);
      if (error != ERROR_SUCCESS)
        return nullptr;
    }
    // CLUSTER_ENUM_INTERNAL_NETWORK: the networks for internal traffic, highest priority
    // first, each as CLUSTER_ENUM_INTERNAL_NETWORK (SetClusterNetworkPriorityOrder's order).
    if ((dwType & CLUSTER_ENUM_INTERNAL_NETWORK) != 0) {
      error = append_listed(*cluster->conn, *e, CLUSTER_ENUM_INTERNAL_NETWORK,
                            "/cluster/networkpriority", "networks");
      if (error != ERROR_SUCCESS)
        return nullptr;
    }
    return add_handle(std::move(e));
  }));
}

DWORD WINAPI ClusterGetEnumCount(HCLUSENUM hEnum) {
  return enum_count(hEnum, handle_kind::cluster_enum);
}

DWORD WINAPI ClusterEnum(HCLUSENUM hEnum, DWORD dwIndex, LPDWORD lpdwType, LPWSTR lpszName,
                         LPDWORD lpcchName) {
  return enum_entry(hEnum, handle_kind::cluster_enum, dwIndex, lpdwType, lpszName, lpcchName);
}

DWORD WINAPI ClusterCloseEnum(HCLUSENUM hEnum) {
  return enum_close(hEnum, handle_kind::cluster_enum);
}

}  // extern "C"
