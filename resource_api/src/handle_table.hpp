// The process-wide table of live cluster registry handles. ClusterReg* functions receive
// an HKEY from a plugin that may be stale, closed or garbage; the table is how they tell a
// live handle from anything else without ever dereferencing it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "registry_state.hpp"
#include "wolfpack/remote_registry.hpp"

namespace wolfpack::detail {

// A key of a remote_registry_key provider, with what the last ClusterRegEnumKey or
// ClusterRegEnumValue at index 0 read: the later indices walk that listing, so one
// enumeration sees one consistent key.
struct remote_handle {
  std::shared_ptr<remote_registry_key> key;
  std::mutex mutex;
  std::shared_ptr<const remote_key_listing> listing;  // guarded by mutex
};

// Either a key of a local tree (state and key) or a remote one (remote).
struct key_handle {
  std::shared_ptr<registry_state> state;
  std::shared_ptr<registry_key> key;
  bool is_root = false;
  std::shared_ptr<remote_handle> remote;
};

class handle_table {
 public:
  static handle_table& instance();

  // A new handle value, never reused.
  HKEY add(key_handle entry);
  std::optional<key_handle> find(HKEY handle) const;
  enum class close_result { closed, root, unknown };
  close_result close(HKEY handle);
  // Forgets every handle of a tree (the tree is being destroyed).
  void remove_state(const registry_state* state);

 private:
  handle_table() = default;

  mutable std::mutex mutex_;
  std::unordered_map<std::uintptr_t, key_handle> handles_;  // guarded by mutex_
  // Handle values are tokens, not addresses, and count up so that a closed handle never
  // aliases a later one.
  std::uintptr_t next_ = 0x1000;  // guarded by mutex_
};

}  // namespace wolfpack::detail
