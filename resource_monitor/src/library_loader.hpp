#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core_types.hpp"

namespace wolfpack::monitor {

// Loads plugin files, calls Startup for a type, checks the table it returns, and refuses a
// bad plugin with a message naming the file and the fault. A file is loaded once per monitor
// however many types it serves.
class library_loader final : public plugin_loader {
 public:
  call_outcome load(const std::string& path, const std::string& type_name) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<void>> libraries_;
};

// What Startup answered when called with a chosen version range (resrcmon --probe-startup,
// used by `wolfpack check-plugin`). The type is not registered: nothing else is called.
struct startup_probe {
  bool loaded = false;  // the file loaded and exports Startup
  std::string error;    // why not, when !loaded
  std::uint32_t status = 0;
  bool table_returned = false;
  std::uint32_t table_version = 0;
};
startup_probe probe_startup(const std::string& path, const std::string& type_name,
                            std::uint32_t min_version, std::uint32_t max_version);

}  // namespace wolfpack::monitor
