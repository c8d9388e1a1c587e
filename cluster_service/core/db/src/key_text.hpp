// Small helpers the tree and the update validation share.
#pragma once

#include <string>
#include <string_view>

namespace wolfpack::cluster::detail {

// Whether the valid key path `prefix` is `of` or one of its ancestors (both folded, or
// both spelled alike): components are whole between separators.
inline bool is_key_prefix(std::string_view prefix, std::string_view of) {
  return prefix.empty() ||
         (of.starts_with(prefix) && (of.size() == prefix.size() || of[prefix.size()] == '\\'));
}

// 'text', for error messages.
inline std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

}  // namespace wolfpack::cluster::detail
