#pragma once

// File Marker, the example resource type of docs/plugin-guide.md: Online creates a file
// (after DelayMs, as a pending operation), Offline removes it, IsAlive checks it is there.
// Removing the file from outside fails the resource.

#include <mutex>
#include <string>

#include <wolfpack/plugin.hpp>

namespace wolfpack::example {

// The private properties, declared once in file_marker::properties().
struct file_marker_params {
  std::wstring path;   // Path (SZ, required): the file to create; an absolute path
  DWORD mode = 0644;   // Mode (DWORD, 0..0777): its permission bits
  DWORD delay_ms = 0;  // DelayMs (DWORD, 0..3600000): Online goes pending this long first
};

class file_marker : public plugin::resource<file_marker_params> {
 public:
  static constexpr DWORD max_delay_ms = 3600000;

  static plugin::property_table<file_marker_params> properties();
  // Path must be absolute (VALIDATE and SET refuse a relative one).
  static plugin::outcome validate_parameters(const file_marker_params& merged);

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;

 private:
  // Writes the file (throws plugin::error on failure).
  void create_marker(const std::string& path, DWORD mode);
  // Removes the file if present; true when it is gone.
  bool remove_marker() const;

  std::string created_path() const;

  // terminate() may run while online() is still running on another thread.
  mutable std::mutex mutex_;
  std::string created_path_;  // the file this instance created; guarded by mutex_
};

}  // namespace wolfpack::example
