// Resources (clusapi.h).
#include <set>
#include <string>
#include <vector>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/http/percent_encoding.hpp"
#include "wolfpack/wide_string.hpp"

using namespace wolfpack::clusapi;

namespace {

DWORD resource_action(HRESOURCE hResource, const char* action) {
  return guarded([&]() -> DWORD {
    const auto resource = find<object_handle>(hResource, handle_kind::resource);
    if (!resource)
      return ERROR_INVALID_HANDLE;
    return post_action(*resource, action);
  });
}

// One of the two names GetClusterResourceState returns; a NULL buffer is not asked for (its
// length is still reported when the count pointer is given).
DWORD report_name(const std::wstring& name, LPWSTR buffer, LPDWORD lpcch) {
  if (lpcch == nullptr)
    return ERROR_SUCCESS;
  if (buffer == nullptr) {
    *lpcch = static_cast<DWORD>(name.size());
    return ERROR_SUCCESS;
  }
  return copy_name(name, buffer, lpcch);
}

}  // namespace

extern "C" {

HRESOURCE WINAPI OpenClusterResource(HCLUSTER hCluster, LPCWSTR lpszResourceName) {
  return static_cast<HRESOURCE>(returning_handle([&](DWORD& error) {
    return open_object(hCluster, lpszResourceName, handle_kind::resource, error);
  }));
}

HRESOURCE WINAPI CreateClusterResource(HGROUP hGroup, LPCWSTR lpszResourceName,
                                       LPCWSTR lpszResourceType, DWORD dwFlags) {
  return static_cast<HRESOURCE>(returning_handle([&](DWORD& error) -> void* {
    const auto group = find<object_handle>(hGroup, handle_kind::group);
    if (!group) {
      error = ERROR_INVALID_HANDLE;
      return nullptr;
    }
    if (lpszResourceName == nullptr || *lpszResourceName == L'\0' || lpszResourceType == nullptr ||
        *lpszResourceType == L'\0' ||
        (dwFlags & ~static_cast<DWORD>(CLUSTER_RESOURCE_VALID_FLAGS)) != 0) {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    std::string group_name;
    if (error = current_name(*group, group_name); error != ERROR_SUCCESS)
      return nullptr;
    const nlohmann::json body = {
        {"name", utf8(lpszResourceName)},
        {"group", group_name},
        {"type", utf8(lpszResourceType)},
        {"separate_monitor", (dwFlags & CLUSTER_RESOURCE_SEPARATE_MONITOR) != 0}};
    const auto answer = group->conn->request("POST", "/resources", &body);
    if (!answer.ok()) {
      error = answer.error;
      return nullptr;
    }
    return handle_for(group->conn, handle_kind::resource, answer.body, error);
  }));
}

DWORD WINAPI DeleteClusterResource(HRESOURCE hResource) {
  return guarded([&]() -> DWORD {
    const auto resource = find<object_handle>(hResource, handle_kind::resource);
    if (!resource)
      return ERROR_INVALID_HANDLE;
    return resource->conn->request("DELETE", object_route(*resource)).error;
  });
}

BOOL WINAPI CloseClusterResource(HRESOURCE hResource) {
  return close_object(hResource, handle_kind::resource);
}

CLUSTER_RESOURCE_STATE WINAPI GetClusterResourceState(HRESOURCE hResource, LPWSTR lpszNodeName,
                                                      LPDWORD lpcchNodeName, LPWSTR lpszGroupName,
                                                      LPDWORD lpcchGroupName) {
  int code = ClusterResourceStateUnknown;
  const DWORD error = guarded([&]() -> DWORD {
    const auto resource = find<object_handle>(hResource, handle_kind::resource);
    if (!resource)
      return ERROR_INVALID_HANDLE;
    if ((lpszNodeName != nullptr && lpcchNodeName == nullptr) ||
        (lpszGroupName != nullptr && lpcchGroupName == nullptr)) {
      return ERROR_INVALID_PARAMETER;
    }
    const auto answer = read_object(*resource);
    if (!answer.ok())
      return answer.error;
    code = answer.body.value("code", static_cast<int>(ClusterResourceStateUnknown));
    // Both lengths are reported even when the first name did not fit.
    const DWORD node = report_name(wide_field(answer.body, "owner"), lpszNodeName, lpcchNodeName);
    const DWORD group =
        report_name(wide_field(answer.body, "group"), lpszGroupName, lpcchGroupName);
    return node != ERROR_SUCCESS ? node : group;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? static_cast<CLUSTER_RESOURCE_STATE>(code)
                                : ClusterResourceStateUnknown;
}

DWORD WINAPI OnlineClusterResource(HRESOURCE hResource) {
  return resource_action(hResource, "online");
}

DWORD WINAPI OfflineClusterResource(HRESOURCE hResource) {
  return resource_action(hResource, "offline");
}

DWORD WINAPI FailClusterResource(HRESOURCE hResource) {
  // The failure is under way when the call returns; Windows reports success then.
  const DWORD error = resource_action(hResource, "fail");
  return error == ERROR_IO_PENDING ? ERROR_SUCCESS : error;
}

DWORD WINAPI AddClusterResourceDependency(HRESOURCE hResource, HRESOURCE hDependsOn) {
  return on_objects(hResource, handle_kind::resource, hDependsOn, handle_kind::resource,
                    [&](const object_handle& resource, const object_handle& provider) {
                      std::string name;
                      if (const DWORD error = current_name(provider, name); error != ERROR_SUCCESS)
                        return error;
                      const nlohmann::json body = {{"provider", name}};
                      return object_call(resource, "POST", "/dependencies", &body);
                    });
}

DWORD WINAPI RemoveClusterResourceDependency(HRESOURCE hResource, HRESOURCE hDependsOn) {
  return on_objects(hResource, handle_kind::resource, hDependsOn, handle_kind::resource,
                    [&](const object_handle& resource, const object_handle& provider) {
                      std::string name;
                      if (const DWORD error = current_name(provider, name); error != ERROR_SUCCESS)
                        return error;
                      return object_call(resource, "DELETE",
                                         "/dependencies/" + wolfpack::http::encode_segment(name));
                    });
}

HRESENUM WINAPI ClusterResourceOpenEnum(HRESOURCE hResource, DWORD dwType) {
  return static_cast<HRESENUM>(open_enum(
      hResource, handle_kind::resource, dwType, CLUSTER_RESOURCE_ENUM_ALL,
      handle_kind::resource_enum, [&](const object_handle& resource, enum_handle& e) -> DWORD {
        // One GET for each source that is asked for; the entries come in the order of the bits.
        auto& conn = *resource.conn;
        DWORD error = ERROR_SUCCESS;
        if ((dwType & CLUSTER_RESOURCE_ENUM_DEPENDS) != 0)
          error = append_listed(conn, e, CLUSTER_RESOURCE_ENUM_DEPENDS,
                                object_route(resource, "/dependencies"), "dependencies");
        if (error == ERROR_SUCCESS && (dwType & CLUSTER_RESOURCE_ENUM_PROVIDES) != 0)
          error = append_listed(conn, e, CLUSTER_RESOURCE_ENUM_PROVIDES,
                                object_route(resource, "/dependencies"), "dependents");
        if (error == ERROR_SUCCESS && (dwType & CLUSTER_RESOURCE_ENUM_NODES) != 0) {
          // An empty list of possible owners means every node, as MSCS lists them.
          const auto before = e.entries.size();
          error = append_listed(conn, e, CLUSTER_RESOURCE_ENUM_NODES,
                                object_route(resource, "/owners"), "nodes");
          if (error == ERROR_SUCCESS && e.entries.size() == before)
            error = append_listed(conn, e, CLUSTER_RESOURCE_ENUM_NODES, "/nodes", "nodes");
        }
        return error;
      }));
}

DWORD WINAPI ClusterResourceGetEnumCount(HRESENUM hResEnum) {
  return enum_count(hResEnum, handle_kind::resource_enum);
}

DWORD WINAPI ClusterResourceEnum(HRESENUM hResEnum, DWORD dwIndex, LPDWORD lpdwType,
                                 LPWSTR lpszName, LPDWORD lpcchName) {
  return enum_entry(hResEnum, handle_kind::resource_enum, dwIndex, lpdwType, lpszName, lpcchName);
}

DWORD WINAPI ClusterResourceCloseEnum(HRESENUM hResEnum) {
  return enum_close(hResEnum, handle_kind::resource_enum);
}

BOOL WINAPI GetClusterResourceNetworkName(HRESOURCE hResource, LPWSTR lpBuffer, LPDWORD nSize) {
  const DWORD error = on_object(hResource, handle_kind::resource, [&](object_handle& r) -> DWORD {
    if (nSize == nullptr)
      return ERROR_INVALID_PARAMETER;
    // The providers, breadth first, until one is a Network Name: a dependency reached
    // through others counts too (MS-CMRP ApiGetResourceNetworkName).
    std::string start;
    if (const DWORD error = current_name(r, start); error != ERROR_SUCCESS)
      return error;
    std::vector<std::string> queue{start};
    std::set<std::string> seen{start};
    for (std::size_t i = 0; i < queue.size(); ++i) {
      const auto answer = r.conn->request("GET", object_path("resources", queue[i]));
      if (!answer.ok())
        return answer.error;
      if (i > 0 && answer.body.value("type_name", std::string()) == "Network Name") {
        const auto props = r.conn->request("GET", object_path("resources", queue[i]) + "/private");
        if (!props.ok())
          return props.error;
        const auto name = props.body.value("/properties/Name/value"_json_pointer, std::string());
        if (name.empty())
          return ERROR_FILE_NOT_FOUND;  // the Network Name has no Name yet
        return copy_name(wolfpack::from_utf8(name), lpBuffer, nSize);
      }
      for (const auto& provider : answer.body.value("dependencies", nlohmann::json::array())) {
        if (provider.is_string() && seen.insert(provider.get<std::string>()).second)
          queue.push_back(provider.get<std::string>());
      }
    }
    return ERROR_DEPENDENCY_NOT_FOUND;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? TRUE : FALSE;
}

}  // extern "C"
