// What a resource type says its resources must depend on (CLUSCTL_RESOURCE_TYPE_GET_REQUIRED_
// DEPENDENCIES: resource classes and type names) and which class it belongs to
// (CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO), decoded from the monitor's hex answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wolfpack::cluster {

struct required_dependencies {
  std::vector<std::uint32_t> classes;   // CLUS_RESCLASS_*
  std::vector<std::string> type_names;  // resource type names (UTF-8)
};

// The value list of GET_REQUIRED_DEPENDENCIES; nullopt if it does not decode.
std::optional<required_dependencies> parse_required_dependencies(const std::string& hex);

// The class (CLUS_RESOURCE_CLASS_INFO.rc) of GET_CLASS_INFO; nullopt if it does not decode.
std::optional<std::uint32_t> parse_class_info(const std::string& hex);

// "storage", "network", "unknown", "user class 32770".
std::string resource_class_name(std::uint32_t rc);

}  // namespace wolfpack::cluster
