#pragma once

// An exclusive lock on a file, held while the object lives: flock(2) on POSIX
// (file_lock_posix.cpp), LockFileEx on Windows (file_lock_windows.cpp). Both locks belong to
// the open file (description or handle): two opens of one file conflict even inside one
// process, and the system drops the lock when the holder dies, however it dies. Readers
// without the lock (read_shared_file) still see the file's contents on both systems.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "wolfpack/common/result.hpp"

namespace wolfpack::platform {

class file_lock {
 public:
  // Opens (creating) `path` and waits up to `timeout` for the lock; fails when it cannot open
  // the file or the lock stays taken (a holder frozen inside its critical section).
  static result<file_lock> acquire(const std::filesystem::path& path,
                                   std::chrono::milliseconds timeout);
  // The lock now, or nullopt when someone else holds it; fails on I/O errors.
  static result<std::optional<file_lock>> try_acquire(const std::filesystem::path& path);

  file_lock(file_lock&& other) noexcept;
  file_lock& operator=(file_lock&& other) noexcept;
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;
  ~file_lock();

  // The whole file's contents (from offset 0).
  std::string read_all() const;
  // Replaces the file's contents.
  status write_all(const std::string& text) const;
  // Whether `path` still names the file this lock is on (nobody removed or replaced it).
  bool still_at(const std::filesystem::path& path) const;
  void unlock() noexcept;

 private:
  explicit file_lock(std::intptr_t handle) noexcept : handle_(handle) {}
  std::intptr_t handle_ = -1;  // a descriptor, or a HANDLE; -1 when none
};

}  // namespace wolfpack::platform
