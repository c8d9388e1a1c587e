#include "required_dependencies.hpp"

#include <cstring>

#include "wolfpack/clusapi.h"
#include "wolfpack/proplist.hpp"
#include "wolfpack/wide_string.hpp"

namespace wolfpack::cluster {

namespace {

std::optional<std::vector<std::uint8_t>> from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0)
    return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace

std::optional<required_dependencies> parse_required_dependencies(const std::string& hex) {
  auto bytes = from_hex(hex);
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
  auto bytes = from_hex(hex);
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
