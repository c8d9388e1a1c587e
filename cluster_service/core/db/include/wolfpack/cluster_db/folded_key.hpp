// Lookups in containers keyed by case-folded names (db_path.hpp, fold_case) with a name as
// written, without folding it into a new string first: the core looks names up far more
// often than it stores them, and most lookups would otherwise allocate.
//
// The stored keys must already be folded; the name looked up may be spelled in any case.
// Order and equality are those of the folded strings compared as std::string does, so a
// container using them iterates exactly as one keyed by fold_case() strings with std::less.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wolfpack::cluster {

constexpr unsigned char folded_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u - 'A' + 'a') : u;
}

struct folded_less {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto x = folded_byte(a[i]);
      const auto y = folded_byte(b[i]);
      if (x != y)
        return x < y;
    }
    return a.size() < b.size();
  }
};

struct folded_equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    if (a.size() != b.size())
      return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (folded_byte(a[i]) != folded_byte(b[i]))
        return false;
    }
    return true;
  }
};

// FNV-1a over the folded bytes: stable across platforms and runs (no seed), which keeps
// the iteration order of a hashed container the same everywhere, though nothing here relies
// on that order.
struct folded_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : s) {
      h ^= folded_byte(c);
      h *= 1099511628211ull;
    }
    return static_cast<std::size_t>(h);
  }
};

}  // namespace wolfpack::cluster
