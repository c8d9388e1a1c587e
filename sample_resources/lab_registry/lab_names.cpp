#include "wolfpack/lab/lab_names.hpp"

#include <cctype>

namespace wolfpack::lab {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t value = 0;
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.')
        return std::nullopt;
      ++pos;
    }
    const std::size_t start = pos;
    unsigned number = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0 &&
           pos - start < 3) {
      number = number * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    const std::size_t digits = pos - start;
    if (digits == 0 || number > 255 || (digits > 1 && text[start] == '0'))
      return std::nullopt;
    value = value << 8 | number;
  }
  if (pos != text.size())
    return std::nullopt;
  return value;
}

std::string check_ipv4_address(std::string_view text) {
  const auto a = parse_ipv4(text);
  if (!a)
    return "'" + std::string(text) + "' is not a dotted-quad IPv4 address";
  if (*a == 0 || *a == 0xFFFFFFFFu)
    return std::string(text) + " is not an address a resource can hold";
  return {};
}

std::string check_subnet_mask(std::string_view text) {
  const auto m = parse_ipv4(text);
  if (!m)
    return "'" + std::string(text) + "' is not a dotted-quad subnet mask";
  const std::uint32_t inverted = ~*m;
  // Contiguous: the inverted mask is 2^k - 1, so adding one leaves no bit in common.
  if (*m == 0 || (inverted & (inverted + 1)) != 0)
    return std::string(text) + " is not a contiguous subnet mask";
  return {};
}

std::string check_netbios_name(std::string_view text) {
  if (text.empty() || text.size() > 15)
    return "a NetBIOS name has 1 to 15 characters ('" + std::string(text) + "' has " +
           std::to_string(text.size()) + ")";
  bool all_digits = true;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7F ||
        std::string_view("\\/:*?\"<>|. ,~!@#$%^&'(){}").find(c) != std::string_view::npos) {
      return "'" + std::string(text) + "' has a character a NetBIOS name may not have";
    }
    all_digits = all_digits && std::isdigit(b) != 0;
  }
  if (all_digits)
    return "a NetBIOS name may not be only digits";
  return {};
}

std::string check_share_name(std::string_view text) {
  if (text.empty() || text.size() > 80)
    return "a share name has 1 to 80 characters";
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || std::string_view("\\/:*?\"<>|").find(c) != std::string_view::npos)
      return "'" + std::string(text) + "' has a character a share name may not have";
  }
  return {};
}

}  // namespace wolfpack::lab
