#include "handles.hpp"

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace wolfpack::clusapi {
namespace {

// A handle is a token, never an address: an object's memory is reused once it is freed, and
// a handle closed earlier would then work on the object opened next instead of failing.
// Tokens only grow (by 16, so that they look like aligned pointers to a debugger), from a
// value far from where heaps and stacks are mapped.
constexpr std::uintptr_t first_token =
    sizeof(void*) == 8 ? static_cast<std::uintptr_t>(0x5750'0000'0000'0010ULL) : 0x5750'0010u;

struct handle_table {
  std::mutex mutex;
  std::unordered_map<const void*, std::shared_ptr<handle_object>> live;  // guarded by mutex
  std::uintptr_t next = first_token;                                     // guarded by mutex
};

handle_table& table() {
  // Never destroyed: a client may close handles from its own static destructors.
  static auto* const instance = new handle_table;
  return *instance;
}

}  // namespace

void* add_handle(std::shared_ptr<handle_object> object) {
  auto& t = table();
  std::lock_guard lock(t.mutex);
  void* const handle = reinterpret_cast<void*>(t.next);
  t.next += 16;
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
