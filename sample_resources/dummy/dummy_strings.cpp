#include "dummy_strings.hpp"

#include <cstdint>

namespace wolfpack::dummy {

bool iequals_ascii(wide_string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<std::uint32_t>(a[i]);
    auto y = static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
    if (x >= 'A' && x <= 'Z')
      x += 'a' - 'A';
    if (y >= 'A' && y <= 'Z')
      y += 'a' - 'A';
    if (x != y)
      return false;
  }
  return true;
}

bool iequals_ascii(wide_string_view a, wide_string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<std::uint32_t>(a[i]);
    auto y = static_cast<std::uint32_t>(b[i]);
    if (x >= 'A' && x <= 'Z')
      x += 'a' - 'A';
    if (y >= 'A' && y <= 'Z')
      y += 'a' - 'A';
    if (x != y)
      return false;
  }
  return true;
}

wide_string_view view_of(const WCHAR* text) {
  if (text == nullptr)
    return {};
  return wide_string_view(text);
}

}  // namespace wolfpack::dummy
