#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

// Key paths are components joined by '\' ("Resources\{id}\Parameters"); "" is the root.
// Like the Windows registry, names compare ignoring case and keep the case they were
// created with. Folding is ASCII-only on purpose: it must give the same answer on every
// node and every platform, whatever the locale.
inline constexpr char key_separator = '\\';
// Registry limits: a key name has at most 255 characters, a value name at most 16383.
inline constexpr std::size_t max_key_name_length = 255;
inline constexpr std::size_t max_value_name_length = 16383;

// ASCII A-Z → a-z; every other byte unchanged.
std::string fold_case(std::string_view text);

// Splits a key path into its components (none for the root). Errors say what is wrong:
// "key path 'A\\\\B' has an empty component", "key name '...' is longer than 255 characters".
[[nodiscard]] result<std::vector<std::string>> split_key_path(std::string_view path);
// The same checks, without copying the components: for writers that only need to know.
[[nodiscard]] status check_key_path(std::string_view path);

// Joins components with '\'.
std::string join_key_path(const std::vector<std::string>& components);

// A value name is non-empty, has no NUL and at most 16383 characters.
[[nodiscard]] status check_value_name(std::string_view name);

// A typed_value the tree may hold: its storage matches its type, a DWORD fits 32 bits,
// strings hold no NUL and MULTI_SZ elements are non-empty (so every stored value has a
// JSON form that parse_typed_value accepts back).
[[nodiscard]] status check_value(const typed_value& value);

}  // namespace wolfpack::cluster
