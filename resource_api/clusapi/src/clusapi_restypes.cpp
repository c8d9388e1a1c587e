// Resource types: registering, removing, and what a type has (clusapi.h).
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"

using namespace wolfpack::clusapi;

namespace {

// Runs `f` with the connection of a live cluster handle and a type name that is given.
template <typename F>
DWORD on_type(HCLUSTER hCluster, LPCWSTR type_name, F&& f) noexcept {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (type_name == nullptr || *type_name == L'\0')
      return ERROR_INVALID_PARAMETER;
    return f(*cluster->conn, utf8(type_name));
  });
}

}  // namespace

extern "C" {

DWORD WINAPI CreateClusterResourceType(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName,
                                       LPCWSTR lpszDisplayName, LPCWSTR lpszResourceTypeDll,
                                       DWORD dwLooksAlivePollInterval,
                                       DWORD dwIsAlivePollInterval) {
  return on_type(hCluster, lpszResourceTypeName, [&](connection& conn, const std::string& name) {
    if (lpszResourceTypeDll == nullptr || *lpszResourceTypeDll == L'\0')
      return static_cast<DWORD>(ERROR_INVALID_PARAMETER);
    nlohmann::json body = {{"name", name},
                           {"dll", utf8(lpszResourceTypeDll)},
                           {"looks_alive_ms", dwLooksAlivePollInterval},
                           {"is_alive_ms", dwIsAlivePollInterval}};
    // Without a display name the type shows its name, as the API does by default.
    if (lpszDisplayName != nullptr && *lpszDisplayName != L'\0')
      body["display_name"] = utf8(lpszDisplayName);
    return conn.request("POST", "/resourcetypes", &body).error;
  });
}

DWORD WINAPI DeleteClusterResourceType(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName) {
  return on_type(hCluster, lpszResourceTypeName, [&](connection& conn, const std::string& name) {
    return conn.request("DELETE", object_path("resourcetypes", name)).error;
  });
}

HRESTYPEENUM WINAPI ClusterResourceTypeOpenEnum(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName,
                                                DWORD dwType) {
  return static_cast<HRESTYPEENUM>(returning_handle([&](DWORD& error) -> void* {
    auto e = std::make_shared<enum_handle>(handle_kind::restype_enum);
    error = on_type(hCluster, lpszResourceTypeName, [&](connection& conn, const std::string& name) {
      if (dwType == 0 || (dwType & ~static_cast<DWORD>(CLUSTER_RESOURCE_TYPE_ENUM_ALL)) != 0)
        return static_cast<DWORD>(ERROR_INVALID_PARAMETER);
      const auto type = conn.request("GET", object_path("resourcetypes", name));
      if (!type.ok())
        return type.error;
      // Every node can host every registered type: the possible owners are all the nodes.
      if ((dwType & CLUSTER_RESOURCE_TYPE_ENUM_NODES) != 0) {
        const DWORD listed =
            append_listed(conn, *e, CLUSTER_RESOURCE_TYPE_ENUM_NODES, "/nodes", "nodes");
        if (listed != ERROR_SUCCESS)
          return listed;
      }
      if ((dwType & CLUSTER_RESOURCE_TYPE_ENUM_RESOURCES) != 0) {
        const std::string type_name = type.body.value("name", name);
        return append_listed(conn, *e, CLUSTER_RESOURCE_TYPE_ENUM_RESOURCES, "/resources",
                             "resources", [&](const nlohmann::json& resource) {
                               return resource.is_object() &&
                                      resource.value("type_name", "") == type_name;
                             });
      }
      return static_cast<DWORD>(ERROR_SUCCESS);
    });
    if (error != ERROR_SUCCESS)
      return nullptr;
    return add_handle(std::move(e));
  }));
}

DWORD WINAPI ClusterResourceTypeGetEnumCount(HRESTYPEENUM hResTypeEnum) {
  return enum_count(hResTypeEnum, handle_kind::restype_enum);
}

DWORD WINAPI ClusterResourceTypeEnum(HRESTYPEENUM hResTypeEnum, DWORD dwIndex, LPDWORD lpdwType,
                                     LPWSTR lpszName, LPDWORD lpcchName) {
  return enum_entry(hResTypeEnum, handle_kind::restype_enum, dwIndex, lpdwType, lpszName,
                    lpcchName);
}

DWORD WINAPI ClusterResourceTypeCloseEnum(HRESTYPEENUM hResTypeEnum) {
  return enum_close(hResTypeEnum, handle_kind::restype_enum);
}

}  // extern "C"
