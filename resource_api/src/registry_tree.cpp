#include "wolfpack/registry_tree.hpp"

#include "handle_table.hpp"
#include "registry_state.hpp"

namespace wolfpack {

registry_tree::registry_tree() : state_(std::make_shared<detail::registry_state>()) {
  state_->root->last_write = detail::filetime_now();
  root_ = detail::handle_table::instance().add({state_, state_->root, true, nullptr});
}

registry_tree::~registry_tree() {
  detail::handle_table::instance().remove_state(state_.get());
}

HKEY registry_tree::root() const noexcept {
  return root_;
}

void registry_tree::set_observer(observer fn) {
  std::lock_guard lock(state_->mutex);
  state_->observer = std::move(fn);
}

void registry_tree::set_value(std::wstring_view key_path, std::wstring_view name, reg_value value) {
  std::lock_guard lock(state_->mutex);
  auto key = detail::create_key(state_->root, detail::split_path(key_path), nullptr);
  detail::put_value(*key, name, std::move(value));
}

bool registry_tree::delete_value(std::wstring_view key_path, std::wstring_view name) {
  std::lock_guard lock(state_->mutex);
  auto key = detail::find_key(state_->root, detail::split_path(key_path));
  if (!key)
    return false;
  auto* entry = detail::find_value(*key, name);
  if (!entry)
    return false;
  key->values.erase(key->values.begin() + (entry - key->values.data()));
  key->last_write = detail::filetime_now();
  return true;
}

void registry_tree::replace_values(std::wstring_view key_path,
                                   std::vector<std::pair<std::wstring, reg_value>> values) {
  std::lock_guard lock(state_->mutex);
  auto key = detail::create_key(state_->root, detail::split_path(key_path), nullptr);
  key->values.clear();
  for (auto& [name, value] : values)
    detail::put_value(*key, name, std::move(value));
  key->last_write = detail::filetime_now();
}

std::optional<reg_value> registry_tree::get_value(std::wstring_view key_path,
                                                  std::wstring_view name) const {
  std::lock_guard lock(state_->mutex);
  auto key = detail::find_key(state_->root, detail::split_path(key_path));
  if (!key)
    return std::nullopt;
  const auto* entry = detail::find_value(*key, name);
  if (!entry)
    return std::nullopt;
  return entry->second;
}

std::vector<std::pair<std::wstring, reg_value>> registry_tree::values(
    std::wstring_view key_path) const {
  std::lock_guard lock(state_->mutex);
  auto key = detail::find_key(state_->root, detail::split_path(key_path));
  if (!key)
    return {};
  return key->values;
}

std::vector<std::wstring> registry_tree::subkeys(std::wstring_view key_path) const {
  std::lock_guard lock(state_->mutex);
  auto key = detail::find_key(state_->root, detail::split_path(key_path));
  std::vector<std::wstring> names;
  if (!key)
    return names;
  for (const auto& sub : key->subkeys)
    names.push_back(sub->name);
  return names;
}

bool registry_tree::key_exists(std::wstring_view key_path) const {
  std::lock_guard lock(state_->mutex);
  return detail::find_key(state_->root, detail::split_path(key_path)) != nullptr;
}

}  // namespace wolfpack
