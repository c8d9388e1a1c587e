// The cluster registry a resource DLL sees: a tree of keys and typed values behind the
// HKEY passed to its Open, read and written with the ClusterReg* functions of clusapi.h.
//
// Host side (resource monitor) API, not for plugins. The monitor fills a tree from the
// cluster database before Open, hands root() to the plugin, and learns about the plugin's
// writes through the observer so it can forward them to clussvc.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wolfpack/reg_value.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack {

namespace detail {
struct registry_state;
}

// Thread-safe: plugins call ClusterReg* from any thread. Key and value names compare
// case-insensitively, as on Windows; values keep their insertion order, and so do keys.
// Key paths are relative to the root: "" is the root, "Parameters", "A\\B".
class WP_RESUTILS_API registry_tree {
 public:
  // Called synchronously on the plugin's thread after each write (ClusterRegSetValue) or
  // delete (ClusterRegDeleteValue, and each value of a key removed by ClusterRegDeleteKey;
  // value == nullptr) made through ClusterReg*. Host writes below do not call it. The
  // calls of one tree are serialised, in the order the writes took effect; the observer
  // may read the tree.
  using observer = std::function<void(const std::wstring& key_path, const std::wstring& value_name,
                                      const reg_value* value)>;

  registry_tree();
  // Invalidates root() and every key handle opened below it: later ClusterReg* calls on
  // them return ERROR_INVALID_HANDLE.
  ~registry_tree();
  registry_tree(const registry_tree&) = delete;
  registry_tree& operator=(const registry_tree&) = delete;

  // The handle for the plugin's Open; valid while the tree lives. ClusterRegCloseKey on it
  // is harmless.
  HKEY root() const noexcept;

  void set_observer(observer fn);

  // Host writes: create missing keys, never call the observer.
  void set_value(std::wstring_view key_path, std::wstring_view name, reg_value value);
  // false if there was no such value.
  bool delete_value(std::wstring_view key_path, std::wstring_view name);
  // Replaces all values of the key (created if missing); a later duplicate name (compared
  // case-insensitively) replaces an earlier one in place.
  void replace_values(std::wstring_view key_path,
                      std::vector<std::pair<std::wstring, reg_value>> values);

  std::optional<reg_value> get_value(std::wstring_view key_path, std::wstring_view name) const;
  // In insertion order; empty if the key does not exist.
  std::vector<std::pair<std::wstring, reg_value>> values(std::wstring_view key_path) const;
  // Names of the direct subkeys, in creation order; empty if the key does not exist.
  std::vector<std::wstring> subkeys(std::wstring_view key_path) const;
  bool key_exists(std::wstring_view key_path) const;

 private:
  std::shared_ptr<detail::registry_state> state_;
  HKEY root_ = nullptr;
};

}  // namespace wolfpack
