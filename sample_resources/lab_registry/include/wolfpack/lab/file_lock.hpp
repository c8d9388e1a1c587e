#pragma once

// The platform layer's file lock (wolfpack/common/platform/file_lock.hpp) with the lab
// registry's error convention: what the platform reports as a failure is thrown as lab_error.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "wolfpack/common/platform/file_lock.hpp"

namespace wolfpack::lab {

class file_lock {
 public:
  // Opens (creating) `path` and waits up to `timeout` for the lock; throws lab_error when it
  // cannot open the file or the lock stays taken (a holder frozen inside its critical
  // section).
  static file_lock acquire(const std::filesystem::path& path,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The lock now or nullopt when someone else holds it; throws lab_error on I/O errors.
  static std::optional<file_lock> try_acquire(const std::filesystem::path& path);

  // The whole file's contents (from offset 0).
  std::string read_all() const { return lock_.read_all(); }
  // Replaces the file's contents; throws lab_error on failure.
  void write_all(const std::string& text) const;
  // Whether `path` still names the file this lock is on (nobody removed or replaced it).
  bool still_at(const std::filesystem::path& path) const { return lock_.still_at(path); }
  void unlock() noexcept { lock_.unlock(); }

 private:
  explicit file_lock(platform::file_lock&& lock) noexcept : lock_(std::move(lock)) {}
  platform::file_lock lock_;
};

}  // namespace wolfpack::lab
