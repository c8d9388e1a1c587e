// The ResUtil functions that ask the cluster about other resources: dependencies, resources
// of a type, the core resources, a resource's class. On Windows they go through the
// cluster API (clusapi.dll); in Wolfpack a plugin sees only its own resource (the key
// Open received, the handles resrcmon gives it), so each of them returns its documented
// failure, ERROR_NOT_SUPPORTED, and says why in a log line rather than failing silently.
#include <string>

#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

DWORD refuse(const char* function, const char* what) {
  try {
    log_refusal(std::string(function) + ": " + what +
                " is not visible to a plugin in Wolfpack (it sees only its own resource); "
                "returning ERROR_NOT_SUPPORTED");
  } catch (...) {
    // Logging is best effort; the caller still gets its error.
  }
  return ERROR_NOT_SUPPORTED;
}

HRESOURCE refuse_handle(const char* function, const char* what) {
  SetLastError(refuse(function, what));
  return nullptr;
}

}  // namespace

extern "C" {

HRESOURCE WINAPI ResUtilGetResourceDependency(HANDLE, LPCWSTR) {
  return refuse_handle("ResUtilGetResourceDependency", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByName(HCLUSTER, HANDLE, LPCWSTR, BOOL) {
  return refuse_handle("ResUtilGetResourceDependencyByName", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByClass(HCLUSTER, HANDLE, PCLUS_RESOURCE_CLASS_INFO,
                                                     BOOL) {
  return refuse_handle("ResUtilGetResourceDependencyByClass", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceNameDependency(LPCWSTR, LPCWSTR) {
  return refuse_handle("ResUtilGetResourceNameDependency", "the resource's dependencies");
}

DWORD WINAPI ResUtilGetResourceDependentIPAddressProps(HRESOURCE, LPWSTR, DWORD*, LPWSTR, DWORD*,
                                                       LPWSTR, DWORD*) {
  return refuse("ResUtilGetResourceDependentIPAddressProps", "an IP Address dependency");
}

DWORD WINAPI ResUtilFindDependentDiskResourceDriveLetter(HCLUSTER, HRESOURCE, LPWSTR, DWORD*) {
  return refuse("ResUtilFindDependentDiskResourceDriveLetter", "a Physical Disk dependency");
}

DWORD WINAPI ResUtilEnumResources(HRESOURCE, LPCWSTR, LPRESOURCE_CALLBACK, PVOID) {
  return refuse("ResUtilEnumResources", "the cluster's other resources");
}

DWORD WINAPI ResUtilEnumResourcesEx(HCLUSTER, HRESOURCE, LPCWSTR, LPRESOURCE_CALLBACK_EX, PVOID) {
  return refuse("ResUtilEnumResourcesEx", "the cluster's other resources");
}

DWORD WINAPI ResUtilGetCoreClusterResources(HCLUSTER, HRESOURCE* phClusterNameResource,
                                            HRESOURCE* phClusterIPAddressResource,
                                            HRESOURCE* phClusterQuorumResource) {
  for (HRESOURCE* out :
       {phClusterNameResource, phClusterIPAddressResource, phClusterQuorumResource}) {
    if (out != nullptr)
      *out = nullptr;
  }
  return refuse("ResUtilGetCoreClusterResources", "the cluster's core resources");
}

BOOL WINAPI ResUtilIsResourceClassEqual(PCLUS_RESOURCE_CLASS_INFO, HRESOURCE) {
  SetLastError(refuse("ResUtilIsResourceClassEqual", "another resource's class"));
  return FALSE;
}

CLUSTER_ROLE_STATE WINAPI ResUtilGetClusterRoleState(HCLUSTER, CLUSTER_ROLE) {
  SetLastError(refuse("ResUtilGetClusterRoleState", "the roles installed on the node"));
  return ClusterRoleUnknown;
}

// The Windows Server 2012 forms, which add the access wanted on the handle returned.

HRESOURCE WINAPI ResUtilGetResourceDependencyEx(HANDLE, LPCWSTR, DWORD) {
  return refuse_handle("ResUtilGetResourceDependencyEx", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByNameEx(HCLUSTER, HANDLE, LPCWSTR, BOOL, DWORD) {
  return refuse_handle("ResUtilGetResourceDependencyByNameEx", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceDependencyByClassEx(HCLUSTER, HANDLE, PCLUS_RESOURCE_CLASS_INFO,
                                                       BOOL, DWORD) {
  return refuse_handle("ResUtilGetResourceDependencyByClassEx", "the resource's dependencies");
}

HRESOURCE WINAPI ResUtilGetResourceNameDependencyEx(LPCWSTR, LPCWSTR, DWORD) {
  return refuse_handle("ResUtilGetResourceNameDependencyEx", "the resource's dependencies");
}

DWORD WINAPI ResUtilEnumResourcesEx2(HCLUSTER, HRESOURCE, LPCWSTR, LPRESOURCE_CALLBACK_EX, PVOID,
                                     DWORD) {
  return refuse("ResUtilEnumResourcesEx2", "the cluster's other resources");
}

}  // extern "C"
