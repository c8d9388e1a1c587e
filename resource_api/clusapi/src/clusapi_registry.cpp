// GetClusterKey and the Get*Key functions of the objects: keys of the cluster database with
// the layout of the MSCS cluster hive (Groups\<id>, Resources\<id>, Nodes\<id>,
// ResourceTypes\<name>, Networks\<id>, NetworkInterfaces\<id>), served by the node through
// registry_key.
#include <memory>
#include <string>

#include "handles.hpp"
#include "objects.hpp"
#include "registry_key.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/remote_registry.hpp"

using namespace wolfpack::clusapi;

namespace {

// A handle on `path`, which must exist now (samDesired is accepted and not enforced, as for
// the keys a plugin gets).
void* key_handle(const std::shared_ptr<connection>& conn, std::string path, DWORD& error) {
  auto key = std::make_shared<registry_key>(conn, std::move(path));
  wolfpack::remote_key_listing ignored;
  if (const LONG rc = key->read(ignored); rc != ERROR_SUCCESS) {
    error = static_cast<DWORD>(rc);
    return nullptr;
  }
  return wolfpack::add_remote_registry_key(std::move(key));
}

// The key of the object behind `handle`: `container`\<its id>.
HKEY object_key(const void* handle, handle_kind kind, const char* container) {
  return static_cast<HKEY>(returning_handle([&](DWORD& error) -> void* {
    void* key = nullptr;
    error = on_object(handle, kind, [&](object_handle& object) -> DWORD {
      const auto answer = read_object(object);
      if (!answer.ok())
        return answer.error;
      const auto id = answer.body.find("id");
      if (id == answer.body.end() || !id->is_string())
        return ERROR_INVALID_DATA;
      DWORD rc = ERROR_SUCCESS;
      key = key_handle(object.conn, std::string(container) + "\\" + id->get<std::string>(), rc);
      return rc;
    });
    return key;
  }));
}

// The connection of a live cluster handle, or null with ERROR_INVALID_HANDLE.
std::shared_ptr<connection> connection_of(HCLUSTER handle, DWORD& error) {
  const auto cluster = find<cluster_handle>(handle, handle_kind::cluster);
  if (!cluster) {
    error = ERROR_INVALID_HANDLE;
    return nullptr;
  }
  return cluster->conn;
}

}  // namespace

extern "C" {

HKEY WINAPI GetClusterKey(HCLUSTER hCluster, REGSAM samDesired) {
  (void)samDesired;
  return static_cast<HKEY>(returning_handle([&](DWORD& error) -> void* {
    const auto conn = connection_of(hCluster, error);
    return conn ? key_handle(conn, "", error) : nullptr;
  }));
}

HKEY WINAPI GetClusterGroupKey(HGROUP hGroup, REGSAM samDesired) {
  (void)samDesired;
  return object_key(hGroup, handle_kind::group, "Groups");
}

HKEY WINAPI GetClusterResourceKey(HRESOURCE hResource, REGSAM samDesired) {
  (void)samDesired;
  return object_key(hResource, handle_kind::resource, "Resources");
}

HKEY WINAPI GetClusterNetworkKey(HNETWORK hNetwork, REGSAM samDesired) {
  (void)samDesired;
  return object_key(hNetwork, handle_kind::network, "Networks");
}

HKEY WINAPI GetClusterNetInterfaceKey(HNETINTERFACE hNetInterface, REGSAM samDesired) {
  (void)samDesired;
  return object_key(hNetInterface, handle_kind::netinterface, "NetworkInterfaces");
}

HKEY WINAPI GetClusterNodeKey(HNODE hNode, REGSAM samDesired) {
  (void)samDesired;
  return object_key(hNode, handle_kind::node, "Nodes");
}

HKEY WINAPI GetClusterResourceTypeKey(HCLUSTER hCluster, LPCWSTR lpszTypeName, REGSAM samDesired) {
  (void)samDesired;
  return static_cast<HKEY>(returning_handle([&](DWORD& error) -> void* {
    const auto conn = connection_of(hCluster, error);
    if (!conn)
      return nullptr;
    if (lpszTypeName == nullptr || *lpszTypeName == L'\0') {
      error = ERROR_INVALID_PARAMETER;
      return nullptr;
    }
    // The type's key is named by the type, as the cluster spells it.
    const auto answer = conn->request("GET", object_path("resourcetypes", utf8(lpszTypeName)));
    if (!answer.ok()) {
      error = answer.error;
      return nullptr;
    }
    return key_handle(conn, "ResourceTypes\\" + answer.body.value("name", std::string()), error);
  }));
}

}  // extern "C"
