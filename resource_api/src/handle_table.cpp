#include "handle_table.hpp"

namespace wolfpack::detail {

handle_table& handle_table::instance() {
  // Leaked on purpose: plugins may still call ClusterReg* while the process exits.
  static handle_table* table = new handle_table();
  return *table;
}

HKEY handle_table::add(key_handle entry) {
  std::lock_guard lock(mutex_);
  const std::uintptr_t value = next_;
  next_ += 0x10;
  handles_.emplace(value, std::move(entry));
  return reinterpret_cast<HKEY>(value);
}

std::optional<key_handle> handle_table::find(HKEY handle) const {
  std::lock_guard lock(mutex_);
  const auto it = handles_.find(reinterpret_cast<std::uintptr_t>(handle));
  if (it == handles_.end())
    return std::nullopt;
  return it->second;
}

handle_table::close_result handle_table::close(HKEY handle) {
  std::lock_guard lock(mutex_);
  const auto it = handles_.find(reinterpret_cast<std::uintptr_t>(handle));
  if (it == handles_.end())
    return close_result::unknown;
  if (it->second.is_root)
    return close_result::root;
  handles_.erase(it);
  return close_result::closed;
}

void handle_table::remove_state(const registry_state* state) {
  std::lock_guard lock(mutex_);
  std::erase_if(handles_, [state](const auto& kv) { return kv.second.state.get() == state; });
}

}  // namespace wolfpack::detail
