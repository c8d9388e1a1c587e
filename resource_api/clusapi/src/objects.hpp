// The steps most exported functions share: opening a named object, closing a handle,
// reading an object, posting an action, reading an enumeration's entry.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "connection.hpp"
#include "handles.hpp"
#include "support.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack::clusapi {

// "nodes", "groups", "resources" for the object kinds.
std::string_view collection_of(handle_kind kind);

// The code MSCS returns for a name that names no object of this kind.
DWORD not_found_code(handle_kind kind);

// Runs `f` (returning a handle or NULL with *error set) and sets the last error: the code on
// failure, ERROR_SUCCESS on success.
template <typename F>
void* returning_handle(F&& f) noexcept {
  DWORD error = ERROR_SUCCESS;
  void* handle = nullptr;
  error = guarded([&] {
    handle = f(error);
    return error;
  });
  if (error != ERROR_SUCCESS)
    handle = nullptr;
  SetLastError(error);
  return handle;
}

// GET of a named object of `kind` through an open cluster: a new handle with the name as
// the cluster spells it, or NULL with *error set.
void* open_object(const void* hcluster, LPCWSTR name, handle_kind kind, DWORD& error);

// Wraps a created or read object (its JSON, with "name") in a new handle.
void* handle_for(const std::shared_ptr<connection>& conn, handle_kind kind,
                 const nlohmann::json& object, DWORD& error);

// Close*(): TRUE, or FALSE with ERROR_INVALID_HANDLE as the last error.
BOOL close_object(const void* handle, handle_kind kind) noexcept;

// Runs `f` on the live object_handle of `kind` behind `handle`; ERROR_INVALID_HANDLE when
// there is none.
template <typename F>
DWORD on_object(const void* handle, handle_kind kind, F&& f) noexcept {
  return guarded([&]() -> DWORD {
    const auto object = find<object_handle>(handle, kind);
    if (!object)
      return ERROR_INVALID_HANDLE;
    return f(*object);
  });
}

// Runs `f` on two live object handles (the first of `kind`, the second of `other_kind`), as
// the functions that relate two objects need; ERROR_INVALID_HANDLE when either is missing.
template <typename F>
DWORD on_objects(const void* handle, handle_kind kind, const void* other, handle_kind other_kind,
                 F&& f) noexcept {
  return on_object(handle, kind, [&](object_handle& object) -> DWORD {
    const auto second = find<object_handle>(other, other_kind);
    if (!second)
      return ERROR_INVALID_HANDLE;
    return f(object, *second);
  });
}

// What the ClusterXxxOpenEnum functions of an object share: a live handle of `kind`, a
// `dwType` of bits within `valid`, and `fill` adding the entries (returning a Win32 code).
// The new enumeration handle of `enum_kind`, or NULL with the last error set.
template <typename F>
void* open_enum(const void* handle, handle_kind kind, DWORD dwType, DWORD valid,
                handle_kind enum_kind, F&& fill) noexcept {
  return returning_handle([&](DWORD& error) -> void* {
    auto e = std::make_shared<enum_handle>(enum_kind);
    error = on_object(handle, kind, [&](object_handle& object) -> DWORD {
      if (dwType == 0 || (dwType & ~valid) != 0)
        return ERROR_INVALID_PARAMETER;
      return fill(object, *e);
    });
    return error == ERROR_SUCCESS ? add_handle(std::move(e)) : nullptr;
  });
}

// The state code ("code") of the object behind a handle of `kind`, for the Get*State
// functions; `unknown` with the last error set when the handle or the read fails.
int object_state(const void* handle, handle_kind kind, int unknown) noexcept;

// The object's id (GetClusterNodeId, GetClusterNetworkId) with the buffer convention.
DWORD copy_object_id(const void* handle, handle_kind kind, LPWSTR buffer, LPDWORD lpcch) noexcept;

// The API path of the object behind a handle, then `suffix`: by id when the handle knows it
// ("/groups/<id>/move?by=id"), by name otherwise. object_base and object_query are its two
// halves, for callers that append routes of their own.
std::string object_route(const object_handle& object, std::string_view suffix = {});
std::string object_base(const object_handle& object);
std::string object_query(const object_handle& object);

// The object's name now, read by id (another client may have renamed it): what request bodies
// and paths that name the object must carry. The handle's copy follows.
DWORD current_name(const object_handle& object, std::string& name);

// GET of the object behind a handle; the handle's name follows the answer.
api_answer read_object(const object_handle& object);

// METHOD on the object's path followed by `suffix` ("/owners"): the answer's Win32 code.
DWORD object_call(const object_handle& object, std::string_view method, const std::string& suffix,
                  const nlohmann::json* body = nullptr);

// POST .../ACTION: 202 (under way) gives ERROR_IO_PENDING, other 2xx ERROR_SUCCESS.
DWORD post_action(const object_handle& object, std::string_view action,
                  const nlohmann::json* body = nullptr);

// Appends to `e`, as entries of `type`, the names in list `key` of GET `path` (strings, or
// objects with a "name") that `keep` accepts (all when it is empty).
DWORD append_listed(connection& conn, enum_handle& e, DWORD type, const std::string& path,
                    const char* key,
                    const std::function<bool(const nlohmann::json&)>& keep = nullptr);

// Entry `index` of an enumeration handle of `kind` (ClusterEnum, ClusterGroupEnum).
DWORD enum_entry(const void* handle, handle_kind kind, DWORD index, LPDWORD lpdwType,
                 LPWSTR lpszName, LPDWORD lpcchName) noexcept;
DWORD enum_count(const void* handle, handle_kind kind) noexcept;
DWORD enum_close(const void* handle, handle_kind kind) noexcept;

}  // namespace wolfpack::clusapi
