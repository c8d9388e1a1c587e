// Notification ports (clusapi.h), fed by the node's event stream.
#include <chrono>
#include <optional>

#include "handles.hpp"
#include "notify_port.hpp"
#include "objects.hpp"
#include "registry_key.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/win_base.h"

using namespace wolfpack::clusapi;

namespace {

// The node, group, resource, network or interface handle RegisterClusterNotify is given.
std::shared_ptr<object_handle> registrable(HANDLE hObject) {
  for (const auto kind : {handle_kind::node, handle_kind::group, handle_kind::resource,
                          handle_kind::network, handle_kind::netinterface}) {
    if (auto object = find<object_handle>(hObject, kind))
      return object;
  }
  return nullptr;
}

}  // namespace

extern "C" {

HCHANGE WINAPI CreateClusterNotifyPort(HCHANGE hChange, HCLUSTER hCluster, DWORD dwFilter,
                                       DWORD_PTR dwNotifyKey) {
  return static_cast<HCHANGE>(returning_handle([&](DWORD& error) -> void* {
    const bool new_port = hChange == static_cast<HCHANGE>(INVALID_HANDLE_VALUE);
    const bool no_cluster = hCluster == static_cast<HCLUSTER>(INVALID_HANDLE_VALUE);
    std::shared_ptr<notify_port> port;
    if (new_port) {
      port = std::make_shared<notify_port>();
    } else {
      port = find<notify_port>(hChange, handle_kind::notify_port);
      if (!port) {
        error = ERROR_INVALID_HANDLE;
        return nullptr;
      }
      // Microsoft: an existing port takes filters only together with a cluster.
      if (no_cluster) {
        error = ERROR_INVALID_PARAMETER;
        return nullptr;
      }
    }
    if (!no_cluster) {
      const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
      if (!cluster) {
        error = ERROR_INVALID_HANDLE;
        return nullptr;
      }
      error = port->attach(cluster->conn);
      if (error != ERROR_SUCCESS)
        return nullptr;
      port->add_cluster_filter(dwFilter, dwNotifyKey);
    }
    if (!new_port)
      return hChange;
    register_port(port);
    return add_handle(std::move(port));
  }));
}

DWORD WINAPI RegisterClusterNotify(HCHANGE hChange, DWORD dwFilterType, HANDLE hObject,
                                   DWORD_PTR dwNotifyKey) {
  return guarded([&]() -> DWORD {
    const auto port = find<notify_port>(hChange, handle_kind::notify_port);
    const auto object = registrable(hObject);
    // A cluster registry key (GetClusterKey and the others, ClusterRegOpenKey below them).
    const auto key = object ? nullptr
                            : std::dynamic_pointer_cast<registry_key>(
                                  wolfpack::find_remote_registry_key(static_cast<HKEY>(hObject)));
    if (!port || (!object && !key))
      return ERROR_INVALID_HANDLE;
    if (dwFilterType == 0)
      return ERROR_INVALID_PARAMETER;
    if (key) {
      const DWORD attached = port->attach(key->conn());
      if (attached != ERROR_SUCCESS)
        return attached;
      port->add_registry_filter(dwFilterType, dwNotifyKey, hObject, key->path());
      return ERROR_SUCCESS;
    }
    const DWORD attached = port->attach(object->conn);
    if (attached != ERROR_SUCCESS)
      return attached;
    port->add_object_filter(dwFilterType, dwNotifyKey, hObject, object);
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI GetClusterNotify(HCHANGE hChange, DWORD_PTR* lpdwNotifyKey, LPDWORD lpdwFilterType,
                              LPWSTR lpszName, LPDWORD lpcchName, DWORD dwMilliseconds) {
  return guarded([&]() -> DWORD {
    const auto port = find<notify_port>(hChange, handle_kind::notify_port);
    if (!port)
      return ERROR_INVALID_HANDLE;
    if (lpdwNotifyKey == nullptr || lpdwFilterType == nullptr || lpcchName == nullptr)
      return ERROR_INVALID_PARAMETER;
    std::optional<std::chrono::milliseconds> timeout;
    if (dwMilliseconds != INFINITE)
      timeout = std::chrono::milliseconds(dwMilliseconds);
    return port->next(timeout, lpdwNotifyKey, lpdwFilterType, lpszName, lpcchName);
  });
}

BOOL WINAPI CloseClusterNotifyPort(HCHANGE hChange) {
  const auto port = find<notify_port>(hChange, handle_kind::notify_port);
  if (!port || !remove_handle(hChange, handle_kind::notify_port)) {
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  port->close();
  return TRUE;
}

}  // extern "C"
