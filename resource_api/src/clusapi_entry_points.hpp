// The cluster API functions the ResUtil lookups of other resources call (dependencies, a
// dependency's properties, the resources of the cluster). resutils.dll imports them from
// clusapi.dll on Windows; here libclusapi links resutils (for ClusterReg*), so resutils
// cannot link it back and finds it at run time instead: the copy already loaded in the
// process (a program or plugin that holds an HRESOURCE has loaded it), else the one next to
// resutils.
#pragma once

#include "wolfpack/clusapi.h"

namespace wolfpack::detail {

struct clusapi_entry_points {
  HCLUSTER(WINAPI* OpenCluster)(LPCWSTR);
  BOOL(WINAPI* CloseCluster)(HCLUSTER);
  HCLUSTER(WINAPI* GetClusterFromResource)(HRESOURCE);
  HRESOURCE(WINAPI* OpenClusterResource)(HCLUSTER, LPCWSTR);
  BOOL(WINAPI* CloseClusterResource)(HRESOURCE);
  HRESENUM(WINAPI* ClusterResourceOpenEnum)(HRESOURCE, DWORD);
  DWORD(WINAPI* ClusterResourceEnum)(HRESENUM, DWORD, LPDWORD, LPWSTR, LPDWORD);
  DWORD(WINAPI* ClusterResourceCloseEnum)(HRESENUM);
  HCLUSENUM(WINAPI* ClusterOpenEnum)(HCLUSTER, DWORD);
  DWORD(WINAPI* ClusterEnum)(HCLUSENUM, DWORD, LPDWORD, LPWSTR, LPDWORD);
  DWORD(WINAPI* ClusterCloseEnum)(HCLUSENUM);
  DWORD(WINAPI* ClusterResourceControl)
  (HRESOURCE, HNODE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD);
  BOOL(WINAPI* GetClusterResourceNetworkName)(HRESOURCE, LPWSTR, LPDWORD);
  HKEY(WINAPI* GetClusterResourceKey)(HRESOURCE, REGSAM);
};

// libclusapi's functions, found once and kept; nullptr when it can be neither found nor
// loaded (the reason is logged once, through log_refusal).
const clusapi_entry_points* clusapi();

}  // namespace wolfpack::detail
