// The ClusterReg* functions of clusapi.h over registry_tree, with Win32 return codes, under
// the names WpClusterReg* (cluster_registry_entry.h): resutils and libclusapi both export the
// Microsoft names as forwarders to these (cluster_registry_exports.cpp).
// No exception leaves these functions: they are called from C.
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_registry_entry.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cluster_registry_remote.hpp"
#include "handle_table.hpp"
#include "registry_state.hpp"
#include "registry_support.hpp"

namespace {

using wolfpack::reg_value;
using wolfpack::detail::handle_table;
using wolfpack::detail::key_handle;
using wolfpack::detail::registry_key;
using namespace wolfpack::detail::registry_support;

// Holds a plugin write and its notification together (see registry_state::write_order).
struct notification {
  wolfpack::registry_tree::observer observer;
  std::wstring key_path;
  std::vector<std::pair<std::wstring, std::optional<reg_value>>> changes;

  void deliver() const {
    if (!observer)
      return;
    for (const auto& [name, value] : changes) {
      try {
        observer(key_path, name, value ? &*value : nullptr);
      } catch (...) {
        // The host's observer failing must not fail the plugin's write, which took effect.
      }
    }
  }
};

}  // namespace

extern "C" {

LONG WINAPI WpClusterRegCreateKey(HKEY hKey, LPCWSTR lpszSubKey, DWORD dwOptions, REGSAM samDesired,
                                  LPSECURITY_ATTRIBUTES lpSecurityAttributes, PHKEY phkResult,
                                  LPDWORD lpdwDisposition) {
  // Options (volatile), access rights and security are accepted and not enforced.
  (void)dwOptions;
  (void)samDesired;
  (void)lpSecurityAttributes;
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (phkResult == nullptr)
      return ERROR_INVALID_PARAMETER;
    *phkResult = nullptr;
    if (!valid_subkey(lpszSubKey))
      return ERROR_BAD_PATHNAME;
    if (h->remote)
      return wolfpack::detail::remote_open_key(*h->remote, lpszSubKey, true, phkResult,
                                               lpdwDisposition);
    std::shared_ptr<registry_key> key;
    bool created = false;
    {
      std::lock_guard lock(h->state->mutex);
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      key = wolfpack::detail::create_key(h->key, wolfpack::detail::split_path(as_view(lpszSubKey)),
                                         &created);
    }
    *phkResult = handle_table::instance().add({h->state, key, false, nullptr});
    if (lpdwDisposition)
      *lpdwDisposition = created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY;
    return ERROR_SUCCESS;
  });
}

LONG WINAPI WpClusterRegOpenKey(HKEY hKey, LPCWSTR lpszSubKey, REGSAM samDesired, PHKEY phkResult) {
  (void)samDesired;
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (phkResult == nullptr)
      return ERROR_INVALID_PARAMETER;
    *phkResult = nullptr;
    if (!valid_subkey(lpszSubKey))
      return ERROR_BAD_PATHNAME;
    if (h->remote)
      return wolfpack::detail::remote_open_key(*h->remote, lpszSubKey, false, phkResult, nullptr);
    std::shared_ptr<registry_key> key;
    {
      std::lock_guard lock(h->state->mutex);
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      key = wolfpack::detail::find_key(h->key, wolfpack::detail::split_path(as_view(lpszSubKey)));
    }
    if (!key)
      return ERROR_FILE_NOT_FOUND;
    *phkResult = handle_table::instance().add({h->state, key, false, nullptr});
    return ERROR_SUCCESS;
  });
}

LONG WINAPI WpClusterRegDeleteKey(HKEY hKey, LPCWSTR lpszSubKey) {
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (lpszSubKey == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (!valid_subkey(lpszSubKey))
      return ERROR_BAD_PATHNAME;
    if (h->remote)
      return wolfpack::detail::remote_delete_key(*h->remote, lpszSubKey);
    const auto names = wolfpack::detail::split_path(lpszSubKey);
    if (names.empty())
      return ERROR_INVALID_PARAMETER;  // a key cannot delete itself this way
    std::lock_guard order(h->state->write_order);
    notification note;
    {
      std::lock_guard lock(h->state->mutex);
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      auto key = wolfpack::detail::find_key(h->key, names);
      if (!key)
        return ERROR_FILE_NOT_FOUND;
      // Win32 refuses to delete a key with subkeys, with this code.
      if (!key->subkeys.empty())
        return ERROR_ACCESS_DENIED;
      registry_key* parent = key->parent;
      note.observer = h->state->observer;
      note.key_path = wolfpack::detail::key_path(*key);
      for (const auto& entry : key->values)
        note.changes.emplace_back(entry.first, std::nullopt);
      std::erase(parent->subkeys, key);
      parent->last_write = wolfpack::detail::filetime_now();
      key->deleted = true;
      key->parent = nullptr;
    }
    note.deliver();
    return ERROR_SUCCESS;
  });
}

LONG WINAPI WpClusterRegCloseKey(HKEY hKey) {
  switch (handle_table::instance().close(hKey)) {
    case handle_table::close_result::closed:
    case handle_table::close_result::root:
      return ERROR_SUCCESS;
    case handle_table::close_result::unknown:
      break;
  }
  return ERROR_INVALID_HANDLE;
}

LONG WINAPI WpClusterRegEnumKey(HKEY hKey, DWORD dwIndex, LPWSTR lpszName, LPDWORD lpcchName,
                                PFILETIME lpftLastWriteTime) {
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (lpszName == nullptr || lpcchName == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (h->remote)
      return wolfpack::detail::remote_enum_key(*h->remote, dwIndex, lpszName, lpcchName,
                                               lpftLastWriteTime);
    std::lock_guard lock(h->state->mutex);
    if (h->key->deleted)
      return ERROR_KEY_DELETED;
    if (dwIndex >= h->key->subkeys.size())
      return ERROR_NO_MORE_ITEMS;
    const auto& sub = h->key->subkeys[dwIndex];
    const LONG rc = copy_name(sub->name, lpszName, lpcchName);
    if (rc == ERROR_SUCCESS && lpftLastWriteTime)
      *lpftLastWriteTime = sub->last_write;
    return rc;
  });
}

DWORD WINAPI WpClusterRegSetValue(HKEY hKey, LPCWSTR lpszValueName, DWORD dwType,
                                  CONST BYTE* lpData, DWORD cbData) {
  return static_cast<DWORD>(guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (lpData == nullptr && cbData != 0)
      return ERROR_INVALID_PARAMETER;
    reg_value value;
    value.type = dwType;
    if (cbData != 0)
      value.data.assign(lpData, lpData + cbData);
    if (h->remote)
      return wolfpack::detail::remote_set_value(*h->remote, lpszValueName, value);
    std::lock_guard order(h->state->write_order);
    notification note;
    {
      std::lock_guard lock(h->state->mutex);
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      auto& stored = wolfpack::detail::put_value(*h->key, as_view(lpszValueName), std::move(value));
      note.observer = h->state->observer;
      note.key_path = wolfpack::detail::key_path(*h->key);
      note.changes.emplace_back(stored.first, stored.second);
    }
    note.deliver();
    return ERROR_SUCCESS;
  }));
}

DWORD WINAPI WpClusterRegDeleteValue(HKEY hKey, LPCWSTR lpszValueName) {
  return static_cast<DWORD>(guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (h->remote)
      return wolfpack::detail::remote_delete_value(*h->remote, lpszValueName);
    std::lock_guard order(h->state->write_order);
    notification note;
    {
      std::lock_guard lock(h->state->mutex);
      if (h->key->deleted)
        return ERROR_KEY_DELETED;
      auto* entry = wolfpack::detail::find_value(*h->key, as_view(lpszValueName));
      if (!entry)
        return ERROR_FILE_NOT_FOUND;
      note.observer = h->state->observer;
      note.key_path = wolfpack::detail::key_path(*h->key);
      note.changes.emplace_back(entry->first, std::nullopt);
      auto& values = h->key->values;
      values.erase(values.begin() + (entry - values.data()));
      h->key->last_write = wolfpack::detail::filetime_now();
    }
    note.deliver();
    return ERROR_SUCCESS;
  }));
}

LONG WINAPI WpClusterRegQueryValue(HKEY hKey, LPCWSTR lpszValueName, LPDWORD lpdwValueType,
                                   LPBYTE lpData, LPDWORD lpcbData) {
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (lpData != nullptr && lpcbData == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (h->remote)
      return wolfpack::detail::remote_query_value(*h->remote, lpszValueName, lpdwValueType, lpData,
                                                  lpcbData);
    std::lock_guard lock(h->state->mutex);
    if (h->key->deleted)
      return ERROR_KEY_DELETED;
    const auto* entry = wolfpack::detail::find_value(*h->key, as_view(lpszValueName));
    if (!entry)
      return ERROR_FILE_NOT_FOUND;
    if (lpdwValueType)
      *lpdwValueType = entry->second.type;
    return copy_data(entry->second, lpData, lpcbData);
  });
}

DWORD WINAPI WpClusterRegEnumValue(HKEY hKey, DWORD dwIndex, LPWSTR lpszValueName,
                                   LPDWORD lpcchValueName, LPDWORD lpdwType, LPBYTE lpData,
                                   LPDWORD lpcbData) {
  return static_cast<DWORD>(guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (lpszValueName == nullptr || lpcchValueName == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (lpData != nullptr && lpcbData == nullptr)
      return ERROR_INVALID_PARAMETER;
    if (h->remote)
      return wolfpack::detail::remote_enum_value(*h->remote, dwIndex, lpszValueName, lpcchValueName,
                                                 lpdwType, lpData, lpcbData);
    std::lock_guard lock(h->state->mutex);
    if (h->key->deleted)
      return ERROR_KEY_DELETED;
    if (dwIndex >= h->key->values.size())
      return ERROR_NO_MORE_ITEMS;
    const auto& [name, value] = h->key->values[dwIndex];
    // Both results are reported even when one of them does not fit.
    const LONG name_rc = copy_name(name, lpszValueName, lpcchValueName);
    if (lpdwType)
      *lpdwType = value.type;
    const LONG data_rc = copy_data(value, lpData, lpcbData);
    return name_rc != ERROR_SUCCESS ? name_rc : data_rc;
  }));
}

LONG WINAPI WpClusterRegQueryInfoKey(HKEY hKey, LPDWORD lpcSubKeys, LPDWORD lpcchMaxSubKeyLen,
                                     LPDWORD lpcValues, LPDWORD lpcchMaxValueNameLen,
                                     LPDWORD lpcbMaxValueLen, LPDWORD lpcbSecurityDescriptor,
                                     PFILETIME lpftLastWriteTime) {
  return guarded([&]() -> LONG {
    auto h = handle_table::instance().find(hKey);
    if (!h)
      return ERROR_INVALID_HANDLE;
    if (h->remote)
      return wolfpack::detail::remote_query_info(*h->remote, lpcSubKeys, lpcchMaxSubKeyLen,
                                                 lpcValues, lpcchMaxValueNameLen, lpcbMaxValueLen,
                                                 lpcbSecurityDescriptor, lpftLastWriteTime);
    std::lock_guard lock(h->state->mutex);
    const registry_key& key = *h->key;
    if (key.deleted)
      return ERROR_KEY_DELETED;
    std::size_t max_sub = 0, max_name = 0, max_data = 0;
    for (const auto& sub : key.subkeys)
      max_sub = std::max(max_sub, sub->name.size());
    for (const auto& [name, value] : key.values) {
      max_name = std::max(max_name, name.size());
      max_data = std::max(max_data, value.data.size());
    }
    report_key_info(lpcSubKeys, lpcchMaxSubKeyLen, lpcValues, lpcchMaxValueNameLen, lpcbMaxValueLen,
                    lpcbSecurityDescriptor, lpftLastWriteTime, key.subkeys.size(), max_sub,
                    key.values.size(), max_name, max_data, key.last_write);
    return ERROR_SUCCESS;
  });
}

}  // extern "C"
