// The platform's lock with lab_error for its failures.

#include "wolfpack/lab/file_lock.hpp"

#include <utility>

#include "wolfpack/lab/lab_paths.hpp"

namespace wolfpack::lab {

namespace fs = std::filesystem;

file_lock file_lock::acquire(const fs::path& path, std::chrono::milliseconds timeout) {
  auto lock = platform::file_lock::acquire(path, timeout);
  if (!lock)
    throw lab_error(lock.error());
  return file_lock(std::move(*lock));
}

std::optional<file_lock> file_lock::try_acquire(const fs::path& path) {
  auto lock = platform::file_lock::try_acquire(path);
  if (!lock)
    throw lab_error(lock.error());
  if (!*lock)
    return std::nullopt;
  return file_lock(std::move(**lock));
}

void file_lock::write_all(const std::string& text) const {
  if (auto written = lock_.write_all(text); !written)
    throw lab_error("cannot write a registry record: " + written.error());
}

}  // namespace wolfpack::lab
