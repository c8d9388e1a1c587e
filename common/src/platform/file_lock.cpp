// What the lock does the same on every platform; file_lock_posix.cpp and
// file_lock_windows.cpp take and drop the lock and move the bytes.

#include "wolfpack/common/platform/file_lock.hpp"

#include <thread>
#include <utility>

namespace wolfpack::platform {

namespace fs = std::filesystem;

result<file_lock> file_lock::acquire(const fs::path& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto lock = try_acquire(path);
    if (!lock)
      return fail(lock.error());
    if (*lock)
      return std::move(**lock);
    if (std::chrono::steady_clock::now() >= deadline)
      return fail("the lock " + path.string() + " stayed taken for " +
                  std::to_string(timeout.count()) + " ms");
    // Critical sections under these locks are a few file operations; poll briefly.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

file_lock::file_lock(file_lock&& other) noexcept : handle_(std::exchange(other.handle_, -1)) {}

file_lock& file_lock::operator=(file_lock&& other) noexcept {
  if (this != &other) {
    unlock();
    handle_ = std::exchange(other.handle_, -1);
  }
  return *this;
}

file_lock::~file_lock() {
  unlock();
}

}  // namespace wolfpack::platform
