// Cluster registry keys served by someone else than this process's registry_tree: the keys
// libclusapi hands out (GetClusterKey, GetClusterResourceKey, ...) live in the cluster
// database behind a node's API. The ClusterReg* functions of clusapi.h are one set of
// exported functions for both kinds of key; a handle made here routes them to its provider.
//
// Host side API (libclusapi), not for plugins.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wolfpack/reg_value.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack {

// A key's content as read at one moment, in the order the provider enumerates it.
struct remote_key_listing {
  std::vector<std::wstring> subkeys;
  std::vector<std::pair<std::wstring, reg_value>> values;
};

// Every call returns a Win32 code (ERROR_SUCCESS, ERROR_KEY_DELETED when the key is gone,
// ERROR_ACCESS_DENIED for a write the owner refuses, ...). Called from any thread.
class remote_registry_key {
 public:
  virtual ~remote_registry_key() = default;
  virtual LONG read(remote_key_listing& out) = 0;
  // The key `subkey` below this one ("" is not asked for); made first when `create` and
  // missing (*created says so).
  virtual LONG open(std::wstring_view subkey, bool create,
                    std::shared_ptr<remote_registry_key>& out, bool* created) = 0;
  virtual LONG delete_subkey(std::wstring_view subkey) = 0;
  virtual LONG set_value(std::wstring_view name, const reg_value& value) = 0;
  virtual LONG delete_value(std::wstring_view name) = 0;
};

// An HKEY for the ClusterReg* functions that reaches `key`; ClusterRegCloseKey closes it.
// Never returns nullptr (throws std::bad_alloc).
WP_RESUTILS_API HKEY add_remote_registry_key(std::shared_ptr<remote_registry_key> key);
// The key behind an HKEY that add_remote_registry_key made and that is still open; nullptr
// for anything else (a plugin's key, a closed or foreign handle).
WP_RESUTILS_API std::shared_ptr<remote_registry_key> find_remote_registry_key(HKEY handle);

}  // namespace wolfpack
