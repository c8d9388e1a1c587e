#pragma once

// Takes a file away from outside while a test runs: a resource whose file (a marker, an
// agent's state file) disappears while it is online must fail.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace wolfpack::testing {

class file_remover {
 public:
  // Removes `path` `delay` after it first appears, watching for it up to `timeout`, on a
  // thread of its own (the test is busy running the harness meanwhile).
  file_remover(std::filesystem::path path, std::chrono::milliseconds delay,
               std::chrono::milliseconds timeout);
  ~file_remover();
  file_remover(const file_remover&) = delete;
  file_remover& operator=(const file_remover&) = delete;

  // Waits for the thread; whether it removed the file.
  bool join();

 private:
  std::atomic<bool> removed_{false};
  std::thread thread_;
};

}  // namespace wolfpack::testing
