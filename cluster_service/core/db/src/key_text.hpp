// Small helpers the tree and the update validation share.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace wolfpack::cluster::detail {

// Whether the key path `prefix` (its components) is `of` or one of its ancestors.
inline bool is_key_prefix(const std::vector<std::string>& prefix,
                          const std::vector<std::string>& of) {
  return prefix.size() <= of.size() && std::equal(prefix.begin(), prefix.end(), of.begin());
}

// 'text', for error messages.
inline std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

}  // namespace wolfpack::cluster::detail
