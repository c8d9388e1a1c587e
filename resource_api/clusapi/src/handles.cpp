#include "handles.hpp"

#include <mutex>
#include <unordered_map>

namespace wolfpack::clusapi {
namespace {

struct handle_table {
  std::mutex mutex;
  std::unordered_map<const void*, std::shared_ptr<handle_object>> live;  // guarded by mutex
};

handle_table& table() {
  // Never destroyed: a client may close handles from its own static destructors.
  static auto* const instance = new handle_table;
  return *instance;
}

}  // namespace

void* add_handle(std::shared_ptr<handle_object> object) {
  void* const handle = object.get();
  auto& t = table();
  std::lock_guard lock(t.mutex);
  t.live.emplace(handle, std::move(object));
  return handle;
}

std::shared_ptr<handle_object> find_handle(const void* handle, handle_kind kind) {
  if (handle == nullptr)
    return nullptr;
  auto& t = table();
  std::lock_guard lock(t.mutex);
  const auto it = t.live.find(handle);
  if (it == t.live.end() || it->second->kind != kind)
    return nullptr;
  return it->second;
}

bool remove_handle(const void* handle, handle_kind kind) {
  std::shared_ptr<handle_object> removed;  // destroyed after the lock is released
  auto& t = table();
  std::lock_guard lock(t.mutex);
  const auto it = t.live.find(handle);
  if (handle == nullptr || it == t.live.end() || it->second->kind != kind)
    return false;
  removed = std::move(it->second);
  t.live.erase(it);
  return true;
}

}  // namespace wolfpack::clusapi
