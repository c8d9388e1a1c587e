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
#include <cstring>
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

// Eight bytes at a time, each ASCII upper-case letter made lower case: paths are long (a
// key's path carries a GUID) and every database lookup hashes and compares one.
namespace detail {

// `n` bytes (at most 8) as one word, zero-padded. A copy of all 8 is one load; a copy of a
// length not known when compiling is a call.
inline std::uint64_t load_word(const char* p, std::size_t n) {
  std::uint64_t w = 0;
  if (n == 8)
    std::memcpy(&w, p, 8);
  else
    std::memcpy(&w, p, n);
  return w;
}

inline std::uint64_t load_folded(const char* p, std::size_t n) {
  const std::uint64_t w = load_word(p, n);
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t high = 0x8080808080808080ull;
  const std::uint64_t low7 = w & ~high;
  // Per byte, without carries between bytes (a 7-bit value plus at most 0x3F stays below
  // 0x100): the high bit tells >= 'A', and > 'Z'; bytes of 0x80 and above are left alone.
  const std::uint64_t at_least_a = low7 + ones * (0x80 - 'A');
  const std::uint64_t above_z = low7 + ones * (0x80 - 'Z' - 1);
  const std::uint64_t upper = at_least_a & ~above_z & ~w & high;
  return w | (upper >> 2);
}

// visit(offset, length) for the words of a string of `size` bytes, until it returns false;
// false if it did. Eight bytes each, the last one overlapping the one before when the size is
// no multiple of 8 (so that no read is shorter and none calls memcpy); a string shorter than
// 8 bytes is one word. Strings of one size have their words at the same offsets.
template <typename Visit>
bool for_each_word(std::size_t size, Visit&& visit) {
  if (size < 8)
    return size == 0 || visit(std::size_t{0}, size);
  std::size_t i = 0;
  for (; i + 8 < size; i += 8) {
    if (!visit(i, std::size_t{8}))
      return false;
  }
  return visit(size - 8, std::size_t{8});
}

}  // namespace detail

struct folded_equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    if (a.size() != b.size())
      return false;
    return detail::for_each_word(a.size(), [&a, &b](std::size_t at, std::size_t n) {
      return detail::load_folded(a.data() + at, n) == detail::load_folded(b.data() + at, n);
    });
  }
};

namespace detail {

// A multiply-and-rotate hash over the words `load` reads, with a final mix: stable across runs
// (no seed).
template <std::uint64_t (*load)(const char*, std::size_t)>
std::size_t hash_words(std::string_view s) {
  constexpr std::uint64_t k = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = s.size() * k;
  for_each_word(s.size(), [&h, &s](std::size_t at, std::size_t n) {
    h = (h ^ load(s.data() + at, n)) * k;
    h = (h << 29) | (h >> 35);
    return true;
  });
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return static_cast<std::size_t>(h);
}

}  // namespace detail

// The hash of the folded words. Nothing relies on the iteration order of a container hashed
// with it.
struct folded_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const {
    return detail::hash_words<detail::load_folded>(s);
  }
};

// The same over the bytes as written, for ids looked up exactly (GUIDs): several times
// cheaper than std::hash, which the resource manager and the index paid on every lookup.
// For containers whose iteration order reaches no output.
struct word_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const {
    return detail::hash_words<detail::load_word>(s);
  }
};

}  // namespace wolfpack::cluster
