// The control code functions (clusapi.h): one per kind of object, all through run_control.
#include "connection.hpp"
#include "controls.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"

using namespace wolfpack::clusapi;

namespace {

// hHostNode names the node that should run the control. The API runs it on the node the
// handle is connected to, so a host node is only checked for being a node handle.
bool host_ok(HNODE hHostNode) {
  return hHostNode == nullptr || find<object_handle>(hHostNode, handle_kind::node) != nullptr;
}

DWORD object_control(const void* handle, handle_kind kind, DWORD object, HNODE hHostNode,
                     DWORD code, const control_buffers& buffers) {
  return on_object(handle, kind, [&](const object_handle& o) -> DWORD {
    if (!host_ok(hHostNode))
      return ERROR_INVALID_HANDLE;
    return run_control({o.conn, object, object_base(o), object_query(o)}, code, buffers);
  });
}

}  // namespace

extern "C" {

DWORD WINAPI ClusterResourceControl(HRESOURCE hResource, HNODE hHostNode, DWORD dwControlCode,
                                    LPVOID lpInBuffer, DWORD cbInBufferSize, LPVOID lpOutBuffer,
                                    DWORD cbOutBufferSize, LPDWORD lpBytesReturned) {
  return object_control(
      hResource, handle_kind::resource, CLUS_OBJECT_RESOURCE, hHostNode, dwControlCode,
      {lpInBuffer, cbInBufferSize, lpOutBuffer, cbOutBufferSize, lpBytesReturned});
}

DWORD WINAPI ClusterGroupControl(HGROUP hGroup, HNODE hHostNode, DWORD dwControlCode,
                                 LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                                 DWORD nOutBufferSize, LPDWORD lpBytesReturned) {
  return object_control(hGroup, handle_kind::group, CLUS_OBJECT_GROUP, hHostNode, dwControlCode,
                        {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
}

DWORD WINAPI ClusterNodeControl(HNODE hNode, HNODE hHostNode, DWORD dwControlCode,
                                LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                                DWORD nOutBufferSize, LPDWORD lpBytesReturned) {
  return object_control(hNode, handle_kind::node, CLUS_OBJECT_NODE, hHostNode, dwControlCode,
                        {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
}

DWORD WINAPI ClusterNetworkControl(HNETWORK hNetwork, HNODE hHostNode, DWORD dwControlCode,
                                   LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                                   DWORD nOutBufferSize, LPDWORD lpBytesReturned) {
  return object_control(hNetwork, handle_kind::network, CLUS_OBJECT_NETWORK, hHostNode,
                        dwControlCode,
                        {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
}

DWORD WINAPI ClusterNetInterfaceControl(HNETINTERFACE hNetInterface, HNODE hHostNode,
                                        DWORD dwControlCode, LPVOID lpInBuffer, DWORD nInBufferSize,
                                        LPVOID lpOutBuffer, DWORD nOutBufferSize,
                                        LPDWORD lpBytesReturned) {
  return object_control(hNetInterface, handle_kind::netinterface, CLUS_OBJECT_NETINTERFACE,
                        hHostNode, dwControlCode,
                        {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
}

DWORD WINAPI ClusterResourceTypeControl(HCLUSTER hCluster, LPCWSTR lpszResourceTypeName,
                                        HNODE hHostNode, DWORD dwControlCode, LPVOID lpInBuffer,
                                        DWORD nInBufferSize, LPVOID lpOutBuffer,
                                        DWORD nOutBufferSize, LPDWORD lpBytesReturned) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster || !host_ok(hHostNode))
      return ERROR_INVALID_HANDLE;
    if (lpszResourceTypeName == nullptr || *lpszResourceTypeName == L'\0')
      return ERROR_INVALID_PARAMETER;
    const std::string name = utf8(lpszResourceTypeName);
    return run_control(
        {cluster->conn, CLUS_OBJECT_RESOURCE_TYPE, object_path("resourcetypes", name), ""},
        dwControlCode, {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
  });
}

DWORD WINAPI ClusterControl(HCLUSTER hCluster, HNODE hHostNode, DWORD dwControlCode,
                            LPVOID lpInBuffer, DWORD nInBufferSize, LPVOID lpOutBuffer,
                            DWORD nOutBufferSize, LPDWORD lpBytesReturned) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster || !host_ok(hHostNode))
      return ERROR_INVALID_HANDLE;
    return run_control({cluster->conn, CLUS_OBJECT_CLUSTER, "/cluster", ""}, dwControlCode,
                       {lpInBuffer, nInBufferSize, lpOutBuffer, nOutBufferSize, lpBytesReturned});
  });
}

}  // extern "C"
