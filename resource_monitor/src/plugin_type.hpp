#pragma once

#include <memory>
#include <string>

#include <wolfpack/resapi.h>

namespace wolfpack::monitor {

// One resource type served by a loaded plugin: the function table its Startup returned.
// The library stays loaded while any plugin_type made from it lives.
class plugin_type {
 public:
  plugin_type(std::string name, std::string path, const CLRES_V1_FUNCTIONS& functions,
              std::shared_ptr<void> library)
      : name_(std::move(name)),
        path_(std::move(path)),
        functions_(functions),
        library_(std::move(library)) {}

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  const CLRES_V1_FUNCTIONS& functions() const { return functions_; }
  bool quorum_capable() const { return functions_.Arbitrate != nullptr; }

 private:
  std::string name_;
  std::string path_;
  CLRES_V1_FUNCTIONS functions_;
  std::shared_ptr<void> library_;
};

}  // namespace wolfpack::monitor
