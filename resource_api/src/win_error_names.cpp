#include "wolfpack/win_error_names.hpp"

#include <algorithm>
#include <iterator>

namespace wolfpack {
namespace {

struct error_entry {
  std::uint32_t code;
  const char* name;
  const char* message;
};

// Sorted by code (the unit test checks), so a binary search finds an entry.
constexpr error_entry error_table[] = {
#define WP_WIN32_ERROR(name, value, message) {value, #name, message},
#include "win_error_table.inc"
#undef WP_WIN32_ERROR
};

const error_entry* find_entry(std::uint32_t code) noexcept {
  const auto* it =
      std::lower_bound(std::begin(error_table), std::end(error_table), code,
                       [](const error_entry& e, std::uint32_t c) { return e.code < c; });
  if (it == std::end(error_table) || it->code != code)
    return nullptr;
  return it;
}

}  // namespace

const char* win32_error_name(std::uint32_t code) noexcept {
  const auto* e = find_entry(code);
  return e ? e->name : "";
}

const char* win32_error_message(std::uint32_t code) noexcept {
  const auto* e = find_entry(code);
  return e ? e->message : "Unknown error.";
}

}  // namespace wolfpack
