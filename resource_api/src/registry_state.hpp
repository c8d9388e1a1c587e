// Internals of registry_tree shared with the ClusterReg* functions.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wolfpack/registry_tree.hpp"

namespace wolfpack::detail {

struct registry_key {
  std::wstring name;
  registry_key* parent =
      nullptr;  // the parent owns this key; nullptr for the root and once deleted
  std::vector<std::shared_ptr<registry_key>> subkeys;      // creation order
  std::vector<std::pair<std::wstring, reg_value>> values;  // insertion order
  bool deleted = false;  // removed from the tree while a handle still referred to it
  FILETIME last_write{};
};

struct registry_state {
  // Guards every registry_key of the tree and the observer.
  std::mutex mutex;
  // Held across a plugin write and its observer call so the observer sees writes in the
  // order they took effect. Recursive: an observer may write through ClusterReg* itself.
  std::recursive_mutex write_order;
  std::shared_ptr<registry_key> root = std::make_shared<registry_key>();
  registry_tree::observer observer;
};

// Case-insensitive name comparison (ASCII exactly, other characters by towupper).
bool names_equal(std::wstring_view a, std::wstring_view b);

// Splits "A\\B" into its names, skipping empty ones ("A\\\\B", a trailing backslash).
std::vector<std::wstring_view> split_path(std::wstring_view path);

// All of these expect registry_state::mutex to be held.
std::shared_ptr<registry_key> find_subkey(const registry_key& key, std::wstring_view name);
std::shared_ptr<registry_key> find_key(const std::shared_ptr<registry_key>& from,
                                       const std::vector<std::wstring_view>& names);
// Creates the missing keys; *created says whether the last one is new.
std::shared_ptr<registry_key> create_key(const std::shared_ptr<registry_key>& from,
                                         const std::vector<std::wstring_view>& names,
                                         bool* created);
std::pair<std::wstring, reg_value>* find_value(registry_key& key, std::wstring_view name);
// Sets or replaces (keeping the stored name and position); returns the stored entry.
std::pair<std::wstring, reg_value>& put_value(registry_key& key, std::wstring_view name,
                                              reg_value value);
// "" for the root, "A\\B" below it.
std::wstring key_path(const registry_key& key);
FILETIME filetime_now();

}  // namespace wolfpack::detail
