#include "required_dependencies.hpp"

#include <cstring>

#include "wolfpack/common/hex.hpp"

#include "wolfpack/clusapi.h"
#include "wolfpack/proplist.hpp"
#include "wolfpack/wide_string.hpp"

namespace wolfpack::cluster {

std::optional<required_dependencies> parse_required_dependencies(const std::string& hex) {
  auto bytes = hex::decode(hex);
  if (!bytes)
    return std::nullopt;
  required_dependencies out;
  if (bytes->empty())
    return out;
  auto list = parse_value_list(bytes->data(), bytes->size());
  if (!list.ok)
    return std::nullopt;
  for (const auto& v : list.values) {
    if (v.syntax == CLUSPROP_SYNTAX_RESCLASS) {
      if (auto rc = v.as_dword())
        out.classes.push_back(*rc);
    } else if (v.syntax == CLUSPROP_SYNTAX_NAME) {
      if (auto name = v.as_sz())
        out.type_names.push_back(to_utf8(*name));
    }
  }
  return out;
}

std::optional<std::uint32_t> parse_class_info(const std::string& hex) {
  auto bytes = hex::decode(hex);
  if (!bytes || bytes->size() < sizeof(std::uint32_t))
    return std::nullopt;
  std::uint32_t rc = 0;
  std::memcpy(&rc, bytes->data(), sizeof rc);
  return rc;
}

std::string resource_class_name(std::uint32_t rc) {
  switch (rc) {
    case CLUS_RESCLASS_UNKNOWN:
      return "unknown";
    case CLUS_RESCLASS_STORAGE:
      return "storage";
    case CLUS_RESCLASS_NETWORK:
      return "network";
    default:
      return "user class " + std::to_string(rc);
  }
}

}  // namespace wolfpack::cluster
