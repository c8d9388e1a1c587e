// The ResUtil functions that ask the cluster about other resources: dependencies, a
// dependency's properties, the resources of the cluster, a resource's class. As resutils.dll
// does on Windows, they call the cluster API (libclusapi, found at run time:
// clusapi_entry_points.hpp); the handles they return are libclusapi's, closed with
// CloseClusterResource. A plugin reaches its own node: clussvc gives each monitor the node's
// API address in WOLFPACK_CLUSTER (and its key in WOLFPACK_API_KEY), which OpenCluster(NULL)
// uses. What a lab does not have (core Cluster Name and IP resources, drive letters, roles)
// is refused with ERROR_NOT_SUPPORTED and a log line saying why.
#include <cwchar>
#include <functional>
#include <string>
#include <vector>

#include "cluster_lookup.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

DWORD refuse(const char* function, const char* what) {
  try {
    log_refusal(std::string(function) + ": " + what + "; returning ERROR_NOT_SUPPORTED");
  } catch (...) {
    // Logging is best effort; the caller still gets its error.
  }
  return ERROR_NOT_SUPPORTED;
}

// Runs `fn` (which sets `error`) for a function that returns a handle: the handle, or NULL
// with the last error set.
template <typename Fn>
HRESOURCE returning_resource(Fn&& fn) noexcept {
  HRESOURCE out = nullptr;
  const DWORD error = guarded_status([&] {
    DWORD status = ERROR_SUCCESS;
    out = fn(status);
    return status;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? out : nullptr;
}

// The cluster API, or ERROR_NOT_SUPPORTED when it cannot be loaded (logged by clusapi()).
const clusapi_entry_points* api_or(DWORD& error) {
  const clusapi_entry_points* api = clusapi();
  if (api == nullptr)
    error = ERROR_NOT_SUPPORTED;
  return api;
}

HRESOURCE dependency_by_type(HCLUSTER given_cluster, HANDLE self, LPCWSTR type, bool recurse,
                             DWORD& error) {
  if (self == nullptr || type == nullptr) {
    error = ERROR_INVALID_PARAMETER;
    return nullptr;
  }
  const auto* api = api_or(error);
  if (api == nullptr)
    return nullptr;
  const auto hself = static_cast<HRESOURCE>(self);
  // Without a cluster handle the one `self` was opened through.
  opened_cluster own(*api, given_cluster == nullptr ? api->GetClusterFromResource(hself) : nullptr);
  const HCLUSTER cluster = given_cluster != nullptr ? given_cluster : own.get();
  if (cluster == nullptr) {
    error = GetLastError();
    return nullptr;
  }
  const std::wstring wanted(type);
  return find_dependency(
      *api, cluster, hself,
      [&](HRESOURCE h, bool& matched) { return type_is(*api, h, wanted, matched); }, recurse,
      error);
}

HRESOURCE dependency_by_class(HCLUSTER cluster, HANDLE self, PCLUS_RESOURCE_CLASS_INFO prci,
                              bool recurse, DWORD& error) {
  if (cluster == nullptr || self == nullptr || prci == nullptr) {
    error = ERROR_INVALID_PARAMETER;
    return nullptr;
  }
  const auto* api = api_or(error);
  if (api == nullptr)
    return nullptr;
  const CLUS_RESOURCE_CLASS_INFO wanted = *prci;
  return find_dependency(
      *api, cluster, static_cast<HRESOURCE>(self),
      [&](HRESOURCE h, bool& matched) {
        CLUS_RESOURCE_CLASS_INFO actual{};
        const DWORD status = resource_class(*api, h, actual);
        // A type whose plugin has no class answer is not of the class asked for.
        if (status == ERROR_INVALID_FUNCTION) {
          matched = false;
          return static_cast<DWORD>(ERROR_SUCCESS);
        }
        matched =
            status == ERROR_SUCCESS && actual.rc == wanted.rc && actual.SubClass == wanted.SubClass;
        return status;
      },
      recurse, error);
}

HRESOURCE name_dependency(LPCWSTR name, LPCWSTR type, DWORD& error) {
  if (name == nullptr || type == nullptr) {
    error = ERROR_INVALID_PARAMETER;
    return nullptr;
  }
  const auto* api = api_or(error);
  if (api == nullptr)
    return nullptr;
  opened_cluster cluster(*api, api->OpenCluster(nullptr));
  if (cluster.get() == nullptr) {
    error = GetLastError();
    return nullptr;
  }
  opened_resource self(*api, api->OpenClusterResource(cluster.get(), name));
  if (self.get() == nullptr) {
    error = GetLastError();
    return nullptr;
  }
  return dependency_by_type(cluster.get(), self.get(), type, false, error);
}

// A string value of `key` ("" when it has none), for the property readers below.
DWORD string_value(HKEY key, LPCWSTR name, std::wstring& out) {
  DWORD type = REG_NONE;
  std::vector<std::uint8_t> data;
  const DWORD status = query_value(key, name, type, data);
  if (status == ERROR_FILE_NOT_FOUND) {
    out.clear();
    return ERROR_SUCCESS;
  }
  if (status != ERROR_SUCCESS)
    return status;
  if (type != REG_SZ && type != REG_EXPAND_SZ)
    return ERROR_INVALID_DATA;
  out = string_from_bytes(data);
  return ERROR_SUCCESS;
}

// One output string of the WCHAR-count convention: in, the buffer's size; out, the size
// needed with the terminator. False when it did not fit.
bool deliver(const std::wstring& value, LPWSTR buffer, DWORD* cch) {
  const auto needed = static_cast<DWORD>(value.size() + 1);
  const bool fits = buffer != nullptr && *cch >= needed;
  if (fits)
    std::wmemcpy(buffer, value.c_str(), needed);
  *cch = needed;
  return fits;
}

DWORD enum_resources(HCLUSTER given_cluster, HRESOURCE self, LPCWSTR type,
                     const std::function<DWORD(HCLUSTER, HRESOURCE)>& call) {
  DWORD error = ERROR_SUCCESS;
  const auto* api = api_or(error);
  if (api == nullptr)
    return error;
  opened_cluster own(*api, given_cluster == nullptr ? api->OpenCluster(nullptr) : nullptr);
  const HCLUSTER cluster = given_cluster != nullptr ? given_cluster : own.get();
  if (cluster == nullptr)
    return GetLastError();
  std::wstring self_name;
  if (self != nullptr) {
    if (const DWORD status = resource_string(*api, self, CLUSCTL_RESOURCE_GET_NAME, self_name);
        status != ERROR_SUCCESS)
      return status;
  }
  std::vector<std::wstring> names;
  if (const DWORD status = resource_names(*api, cluster, names); status != ERROR_SUCCESS)
    return status;
  for (const auto& name : names) {
    if (self != nullptr && names_equal(name, self_name))
      continue;
    opened_resource resource(*api, api->OpenClusterResource(cluster, name.c_str()));
    if (resource.get() == nullptr) {
      if (GetLastError() == ERROR_RESOURCE_NOT_FOUND)
        continue;  // deleted since the list was read
      return GetLastError();
    }
    if (type != nullptr) {
      bool matched = false;
      if (const DWORD status = type_is(*api, resource.get(), type, matched);
          status != ERROR_SUCCESS)
        return status;
      if (!matched)
        continue;
    }
    const DWORD status = call(cluster, resource.get());
    if (status == ERROR_NO_MORE_ITEMS)
      return ERROR_SUCCESS;  // the callback's documented way to stop early
    if (status != ERROR_SUCCESS)
      return status;
  }
  return ERROR_SUCCESS;
}

}  // namespace

extern "C" {

HRESOURCE WINAPI ResUtilGetResourceDependency(HANDLE hSelf, LPCWSTR lpszResourceType) {
  return returning_resource([&](DWORD& error) {
    return dependency_by_type(nullptr, hSelf, lpszResourceType, false, error);
  });
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByName(HCLUSTER hCluster, HANDLE hSelf,
                                                    LPCWSTR lpszResourceType, BOOL bRecurse) {
  return returning_resource([&](DWORD& error) -> HRESOURCE {
    if (hCluster == nullptr) {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    return dependency_by_type(hCluster, hSelf, lpszResourceType, bRecurse != FALSE, error);
  });
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByClass(HCLUSTER hCluster, HANDLE hSelf,
                                                     PCLUS_RESOURCE_CLASS_INFO prci,
                                                     BOOL bRecurse) {
  return returning_resource([&](DWORD& error) {
    return dependency_by_class(hCluster, hSelf, prci, bRecurse != FALSE, error);
  });
}

HRESOURCE WINAPI ResUtilGetResourceNameDependency(LPCWSTR lpszResourceName,
                                                  LPCWSTR lpszResourceType) {
  return returning_resource(
      [&](DWORD& error) { return name_dependency(lpszResourceName, lpszResourceType, error); });
}

DWORD WINAPI ResUtilGetResourceDependentIPAddressProps(HRESOURCE hResource, LPWSTR pszAddress,
                                                       DWORD* pcchAddress, LPWSTR pszSubnetMask,
                                                       DWORD* pcchSubnetMask, LPWSTR pszNetwork,
                                                       DWORD* pcchNetwork) {
  if (hResource == nullptr || pcchAddress == nullptr || pcchSubnetMask == nullptr ||
      pcchNetwork == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    DWORD error = ERROR_SUCCESS;
    const auto* api = api_or(error);
    if (api == nullptr)
      return error;
    // Only the direct dependencies, as documented: an IP Address reached through a Network
    // Name does not count.
    const opened_resource ip(*api,
                             dependency_by_type(nullptr, hResource, L"IP Address", false, error));
    if (ip.get() == nullptr)
      return error;
    HKEY resource_key = api->GetClusterResourceKey(ip.get(), KEY_READ);
    if (resource_key == nullptr)
      return GetLastError();
    HKEY parameters = nullptr;
    DWORD status = ClusterRegOpenKey(resource_key, L"Parameters", KEY_READ, &parameters);
    ClusterRegCloseKey(resource_key);
    std::wstring address, mask, network;
    if (status == ERROR_SUCCESS) {
      status = string_value(parameters, L"Address", address);
      if (status == ERROR_SUCCESS)
        status = string_value(parameters, L"SubnetMask", mask);
      if (status == ERROR_SUCCESS)
        status = string_value(parameters, L"Network", network);
      ClusterRegCloseKey(parameters);
    } else if (status == ERROR_FILE_NOT_FOUND) {
      status = ERROR_SUCCESS;  // no property set yet: all three are empty
    }
    if (status != ERROR_SUCCESS)
      return status;
    // Every size is reported, also when an earlier buffer was too small.
    bool fits = deliver(address, pszAddress, pcchAddress);
    fits = deliver(mask, pszSubnetMask, pcchSubnetMask) && fits;
    fits = deliver(network, pszNetwork, pcchNetwork) && fits;
    return fits ? ERROR_SUCCESS : ERROR_MORE_DATA;
  });
}

DWORD WINAPI ResUtilFindDependentDiskResourceDriveLetter(HCLUSTER, HRESOURCE, LPWSTR, DWORD*) {
  return refuse("ResUtilFindDependentDiskResourceDriveLetter",
                "a lab's Physical Disk is a folder (storage/DISK-<signature>/volume), not a "
                "volume with a drive letter");
}

DWORD WINAPI ResUtilEnumResources(HRESOURCE hSelf, LPCWSTR lpszResTypeName,
                                  LPRESOURCE_CALLBACK pResCallBack, PVOID pParameter) {
  if (pResCallBack == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    return enum_resources(nullptr, hSelf, lpszResTypeName, [&](HCLUSTER, HRESOURCE h) {
      return pResCallBack(hSelf, h, pParameter);
    });
  });
}

DWORD WINAPI ResUtilEnumResourcesEx(HCLUSTER hCluster, HRESOURCE hSelf, LPCWSTR lpszResTypeName,
                                    LPRESOURCE_CALLBACK_EX pResCallBack, PVOID pParameter) {
  if (hCluster == nullptr || pResCallBack == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    return enum_resources(hCluster, hSelf, lpszResTypeName, [&](HCLUSTER c, HRESOURCE h) {
      return pResCallBack(c, hSelf, h, pParameter);
    });
  });
}

DWORD WINAPI ResUtilGetCoreClusterResources(HCLUSTER, HRESOURCE* phClusterNameResource,
                                            HRESOURCE* phClusterIPAddressResource,
                                            HRESOURCE* phClusterQuorumResource) {
  for (HRESOURCE* out :
       {phClusterNameResource, phClusterIPAddressResource, phClusterQuorumResource}) {
    if (out != nullptr)
      *out = nullptr;
  }
  return refuse("ResUtilGetCoreClusterResources",
                "a Wolfpack cluster has no core Cluster Name and Cluster IP Address resources");
}

BOOL WINAPI ResUtilIsResourceClassEqual(PCLUS_RESOURCE_CLASS_INFO prci, HRESOURCE hResource) {
  DWORD matched = FALSE;
  const DWORD error = guarded_status([&]() -> DWORD {
    if (prci == nullptr || hResource == nullptr)
      return ERROR_INVALID_PARAMETER;
    DWORD status = ERROR_SUCCESS;
    const auto* api = api_or(status);
    if (api == nullptr)
      return status;
    CLUS_RESOURCE_CLASS_INFO actual{};
    status = resource_class(*api, hResource, actual);
    if (status == ERROR_SUCCESS)
      matched = actual.rc == prci->rc && actual.SubClass == prci->SubClass ? TRUE : FALSE;
    return status;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? static_cast<BOOL>(matched) : FALSE;
}

CLUSTER_ROLE_STATE WINAPI ResUtilGetClusterRoleState(HCLUSTER, CLUSTER_ROLE) {
  SetLastError(refuse("ResUtilGetClusterRoleState",
                      "Windows Server roles (DHCP, WINS, File Server ...) are not installed "
                      "on a Wolfpack node"));
  return ClusterRoleUnknown;
}

// The Windows Server 2012 forms, which add the access wanted on the handle returned.

HRESOURCE WINAPI ResUtilGetResourceDependencyEx(HANDLE hSelf, LPCWSTR lpszResourceType,
                                                DWORD dwDesiredAccess) {
  if (!valid_access(dwDesiredAccess)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return ResUtilGetResourceDependency(hSelf, lpszResourceType);
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByNameEx(HCLUSTER hCluster, HANDLE hSelf,
                                                      LPCWSTR lpszResourceType, BOOL bRecurse,
                                                      DWORD dwDesiredAccess) {
  if (!valid_access(dwDesiredAccess)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return ResUtilGetResourceDependencyByName(hCluster, hSelf, lpszResourceType, bRecurse);
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByClassEx(HCLUSTER hCluster, HANDLE hSelf,
                                                       PCLUS_RESOURCE_CLASS_INFO prci,
                                                       BOOL bRecurse, DWORD dwDesiredAccess) {
  if (!valid_access(dwDesiredAccess)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return ResUtilGetResourceDependencyByClass(hCluster, hSelf, prci, bRecurse);
}

HRESOURCE WINAPI ResUtilGetResourceNameDependencyEx(LPCWSTR lpszResourceName,
                                                    LPCWSTR lpszResourceType,
                                                    DWORD dwDesiredAccess) {
  if (!valid_access(dwDesiredAccess)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return ResUtilGetResourceNameDependency(lpszResourceName, lpszResourceType);
}

DWORD WINAPI ResUtilEnumResourcesEx2(HCLUSTER hCluster, HRESOURCE hSelf, LPCWSTR lpszResTypeName,
                                     LPRESOURCE_CALLBACK_EX pResCallBack, PVOID pParameter,
                                     DWORD dwDesiredAccess) {
  if (!valid_access(dwDesiredAccess))
    return ERROR_INVALID_PARAMETER;
  return ResUtilEnumResourcesEx(hCluster, hSelf, lpszResTypeName, pResCallBack, pParameter);
}

}  // extern "C"
