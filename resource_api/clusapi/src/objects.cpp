#include "objects.hpp"

#include "notify_port.hpp"
#include "support.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {

std::string_view collection_of(handle_kind kind) {
  switch (kind) {
    case handle_kind::node:
      return "nodes";
    case handle_kind::group:
      return "groups";
    case handle_kind::resource:
      return "resources";
    case handle_kind::network:
      return "networks";
    case handle_kind::netinterface:
      return "netinterfaces";
    default:
      return "";
  }
}

DWORD not_found_code(handle_kind kind) {
  switch (kind) {
    case handle_kind::node:
      return ERROR_CLUSTER_NODE_NOT_FOUND;
    case handle_kind::group:
      return ERROR_GROUP_NOT_FOUND;
    case handle_kind::resource:
      return ERROR_RESOURCE_NOT_FOUND;
    case handle_kind::network:
      return ERROR_CLUSTER_NETWORK_NOT_FOUND;
    case handle_kind::netinterface:
      return ERROR_CLUSTER_NETINTERFACE_NOT_FOUND;
    default:
      return ERROR_NOT_FOUND;
  }
}

void* handle_for(const std::shared_ptr<connection>& conn, handle_kind kind,
                 const nlohmann::json& object, DWORD& error) {
  if (!object.is_object() || !object.contains("name") || !object["name"].is_string()) {
    error = ERROR_INVALID_DATA;  // the node answered something that is not an object
    return nullptr;
  }
  const auto id = object.contains("id") && object["id"].is_string()
                      ? object["id"].get<std::string>()
                      : std::string();
  return add_handle(
      std::make_shared<object_handle>(kind, conn, object["name"].get<std::string>(), id));
}

void* open_object(const void* hcluster, LPCWSTR name, handle_kind kind, DWORD& error) {
  const auto cluster = find<cluster_handle>(hcluster, handle_kind::cluster);
  if (!cluster) {
    error = ERROR_INVALID_HANDLE;
    return nullptr;
  }
  if (name == nullptr) {
    error = ERROR_INVALID_PARAMETER;
    return nullptr;
  }
  const std::string text = utf8(name);
  if (text.empty()) {
    error = not_found_code(kind);
    return nullptr;
  }
  auto answer = cluster->conn->request("GET", object_path(collection_of(kind), text));
  if (!answer.ok()) {
    error = answer.error;
    return nullptr;
  }
  return handle_for(cluster->conn, kind, answer.body, error);
}

BOOL close_object(const void* handle, handle_kind kind) noexcept {
  // The name goes with CLUSTER_CHANGE_HANDLE_CLOSE to the ports with a registration on it.
  std::string name;
  const bool object = kind == handle_kind::node || kind == handle_kind::group ||
                      kind == handle_kind::resource || kind == handle_kind::network ||
                      kind == handle_kind::netinterface;
  if (object) {
    if (const auto o = find<object_handle>(handle, kind))
      name = o->name();
  }
  if (!remove_handle(handle, kind)) {
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
  }
  if (object) {
    guarded([&] {
      notify_handle_closed(handle, name);
      return DWORD{ERROR_SUCCESS};
    });
  }
  return TRUE;
}

int object_state(const void* handle, handle_kind kind, int unknown) noexcept {
  int code = unknown;
  const DWORD error = guarded([&]() -> DWORD {
    const auto object = find<object_handle>(handle, kind);
    if (!object)
      return ERROR_INVALID_HANDLE;
    const auto answer = read_object(*object);
    if (!answer.ok())
      return answer.error;
    code = answer.body.value("code", unknown);
    return ERROR_SUCCESS;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? code : unknown;
}

DWORD copy_object_id(const void* handle, handle_kind kind, LPWSTR buffer, LPDWORD lpcch) noexcept {
  return on_object(handle, kind, [&](const object_handle& object) -> DWORD {
    if (lpcch == nullptr)
      return ERROR_INVALID_PARAMETER;
    const auto answer = read_object(object);
    if (!answer.ok())
      return answer.error;
    return copy_name(wide_field(answer.body, "id"), buffer, lpcch);
  });
}

std::string object_base(const object_handle& object) {
  return object_path(collection_of(object.kind), object.id.empty() ? object.name() : object.id);
}

std::string object_query(const object_handle& object) {
  return object.id.empty() ? std::string() : std::string("?by=id");
}

std::string object_route(const object_handle& object, std::string_view suffix) {
  std::string path = object_base(object);
  path += suffix;
  path += object_query(object);
  return path;
}

api_answer read_object(const object_handle& object) {
  auto answer = object.conn->request("GET", object_route(object));
  if (answer.ok() && answer.body.is_object() && answer.body.contains("name") &&
      answer.body["name"].is_string()) {
    object.rename(answer.body["name"].get<std::string>());
  }
  return answer;
}

DWORD current_name(const object_handle& object, std::string& name) {
  const auto answer = read_object(object);
  if (!answer.ok())
    return answer.error;
  if (!answer.body.is_object() || !answer.body.contains("name") || !answer.body["name"].is_string())
    return ERROR_INVALID_DATA;
  name = answer.body["name"].get<std::string>();
  return ERROR_SUCCESS;
}

DWORD object_call(const object_handle& object, std::string_view method, const std::string& suffix,
                  const nlohmann::json* body) {
  return object.conn->request(method, object_route(object, suffix), body).error;
}

DWORD post_action(const object_handle& object, std::string_view action,
                  const nlohmann::json* body) {
  static const nlohmann::json empty = nlohmann::json::object();
  const std::string path = object_route(object, "/" + std::string(action));
  const auto answer = object.conn->request("POST", path, body != nullptr ? body : &empty);
  if (!answer.ok())
    return answer.error;
  return answer.status == 202 ? ERROR_IO_PENDING : ERROR_SUCCESS;
}

DWORD append_listed(connection& conn, enum_handle& e, DWORD type, const std::string& path,
                    const char* key, const std::function<bool(const nlohmann::json&)>& keep) {
  const auto answer = conn.request("GET", path);
  if (!answer.ok())
    return answer.error;
  const auto list = answer.body.find(key);
  if (list == answer.body.end() || !list->is_array())
    return ERROR_INVALID_DATA;
  for (const auto& item : *list) {
    if (!keep || keep(item))
      e.entries.push_back({type, item.is_string() ? wide(item) : wide_field(item, "name")});
  }
  return ERROR_SUCCESS;
}

DWORD enum_entry(const void* handle, handle_kind kind, DWORD index, LPDWORD lpdwType,
                 LPWSTR lpszName, LPDWORD lpcchName) noexcept {
  return guarded([&]() -> DWORD {
    const auto e = find<enum_handle>(handle, kind);
    if (!e)
      return ERROR_INVALID_HANDLE;
    if (lpcchName == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (index >= e->entries.size())
      return ERROR_NO_MORE_ITEMS;
    const auto& entry = e->entries[index];
    if (lpdwType != nullptr)
      *lpdwType = entry.type;
    return copy_name(entry.name, lpszName, lpcchName);
  });
}

DWORD enum_count(const void* handle, handle_kind kind) noexcept {
  const auto e = find<enum_handle>(handle, kind);
  if (!e) {
    SetLastError(ERROR_INVALID_HANDLE);
    return 0;
  }
  return static_cast<DWORD>(e->entries.size());
}

DWORD enum_close(const void* handle, handle_kind kind) noexcept {
  return remove_handle(handle, kind) ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}

}  // namespace wolfpack::clusapi
