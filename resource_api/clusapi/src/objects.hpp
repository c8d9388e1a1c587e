// The steps most exported functions share: opening a named object, closing a handle,
// reading an object, posting an action, reading an enumeration's entry.
#pragma once

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

// GET of the object behind a handle.
api_answer read_object(const object_handle& object, handle_kind kind);

// POST .../ACTION: 202 (under way) gives ERROR_IO_PENDING, other 2xx ERROR_SUCCESS.
DWORD post_action(const object_handle& object, handle_kind kind, std::string_view action,
                  const nlohmann::json* body = nullptr);

// Entry `index` of an enumeration handle of `kind` (ClusterEnum, ClusterGroupEnum).
DWORD enum_entry(const void* handle, handle_kind kind, DWORD index, LPDWORD lpdwType,
                 LPWSTR lpszName, LPDWORD lpcchName) noexcept;
DWORD enum_count(const void* handle, handle_kind kind) noexcept;
DWORD enum_close(const void* handle, handle_kind kind) noexcept;

}  // namespace wolfpack::clusapi
