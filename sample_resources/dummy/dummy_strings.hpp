#pragma once

// Text helpers for the Dummy plugin. The Resource API speaks WCHAR (wchar_t) strings; file
// paths, JSON and log composition are done in UTF-8, converting at the edges with the
// resutils conversions (wolfpack/wide_string.hpp).

#include <filesystem>
#include <string>
#include <string_view>

#include <wolfpack/resapi.h>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::dummy {

static_assert(sizeof(WCHAR) == sizeof(wchar_t), "WCHAR is wchar_t on every platform");

using wide_string = std::wstring;
using wide_string_view = std::wstring_view;

using wolfpack::to_utf8;
inline wide_string to_wide(std::string_view utf8) {
  return wolfpack::from_utf8(utf8);
}

// A path from UTF-8 text, on every platform (std::filesystem::path takes a char string in the
// system's narrow encoding, which on Windows is not UTF-8; a char8_t string is UTF-8).
inline std::filesystem::path path_of_utf8(std::string_view utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

// ASCII-only case-insensitive comparison: property and entry-point names are ASCII, and
// Microsoft's helpers compare them without regard to case.
bool iequals_ascii(wide_string_view a, std::string_view b);
bool iequals_ascii(wide_string_view a, wide_string_view b);

// The NUL-terminated WCHAR string at text as a view (nullptr gives "").
wide_string_view view_of(const WCHAR* text);

}  // namespace wolfpack::dummy
