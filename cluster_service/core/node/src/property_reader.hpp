// Reads a common property the way the service uses it: the stored value, else the default
// from the property table (SPEC 6.6), so defaults live in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wolfpack/cluster_core/common_properties.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::cluster {

inline std::uint64_t effective_number(const db_tree& tree, object_kind kind, std::string_view path,
                                      std::string_view name) {
  if (auto v = tree.get(path, name);
      v && (v->type == value_type::dword || v->type == value_type::qword)) {
    return v->as_number();
  }
  const auto* spec = find_common_property(kind, name);
  if (spec != nullptr && spec->default_value &&
      (spec->default_value->type == value_type::dword ||
       spec->default_value->type == value_type::qword)) {
    return spec->default_value->as_number();
  }
  return 0;
}

inline std::uint32_t effective_dword(const db_tree& tree, object_kind kind, std::string_view path,
                                     std::string_view name) {
  return static_cast<std::uint32_t>(effective_number(tree, kind, path, name));
}

}  // namespace wolfpack::cluster
