#pragma once

// An exclusive flock(2) on a file, held while the object lives. flock locks belong to the
// open file description: two opens of one file conflict even inside one process, and the
// kernel drops the lock when the holder dies, however it dies.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

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

  file_lock(file_lock&& other) noexcept;
  file_lock& operator=(file_lock&& other) noexcept;
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;
  ~file_lock();

  int fd() const noexcept { return fd_; }
  // The whole file's contents (from offset 0).
  std::string read_all() const;
  // Replaces the file's contents; throws lab_error on failure.
  void write_all(const std::string& text) const;
  // Whether `path` still names the file this lock is on (nobody removed or replaced it).
  bool still_at(const std::filesystem::path& path) const;
  void unlock() noexcept;

 private:
  explicit file_lock(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

// The contents of `path` ("" when it does not exist), read without any lock.
std::string read_file(const std::filesystem::path& path);

}  // namespace wolfpack::lab
