#pragma once

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

}  // namespace wolfpack::monitor
