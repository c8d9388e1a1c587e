#include "wolfpack/cluster_cli/property_value.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>

namespace wolfpack::cluster_cli {
namespace {

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty())
    return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::optional<std::uint32_t> parse_dword(std::string_view text) {
  if (!text.empty() && text[0] == '-') {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < -2147483648LL) {
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(value));
  }
  auto value = parse_unsigned(text);
  if (!value || *value > 0xFFFFFFFFull)
    return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

std::optional<property_format> format_of_type(std::string_view type) {
  if (type == "DWORD")
    return property_format::dword;
  if (type == "QWORD")
    return property_format::ularge;
  if (type == "SZ")
    return property_format::string;
  if (type == "EXPAND_SZ")
    return property_format::expand_string;
  if (type == "MULTI_SZ")
    return property_format::multi_string;
  if (type == "BINARY")
    return property_format::binary;
  return std::nullopt;
}

failure bad(const property_setting& s, const std::string& what) {
  return fail("Property '" + s.name + "': " + what);
}

result<std::string> single_value(const property_setting& s, std::string_view format_name) {
  if (s.values.size() != 1) {
    return bad(s, "the " + std::string(format_name) + " format takes one value, got " +
                      std::to_string(s.values.size()) + ".");
  }
  if (s.values.front().empty()) {
    return bad(s, "a value must be specified.");
  }
  return s.values.front();
}

}  // namespace

bool needs_current_types(const std::vector<property_setting>& settings) {
  return std::any_of(settings.begin(), settings.end(),
                     [](const property_setting& s) { return !s.format.has_value(); });
}

result<nlohmann::json> to_typed_value(const property_setting& setting,
                                      std::optional<std::string_view> current_type) {
  std::optional<property_format> format = setting.format;
  if (!format && current_type)
    format = format_of_type(*current_type);
  if (!format) {
    const bool one_number = setting.values.size() == 1 && parse_dword(setting.values.front());
    format = one_number ? property_format::dword : property_format::string;
  }

  switch (*format) {
    case property_format::dword: {
      auto text = single_value(setting, "dword");
      if (!text)
        return failure{text.error()};
      auto value = parse_dword(*text);
      if (!value)
        return bad(setting, "'" + *text + "' is not a DWORD (0 to 4294967295, or 0x hex).");
      return nlohmann::json{{"type", "DWORD"}, {"value", *value}};
    }
    case property_format::ularge: {
      auto text = single_value(setting, "ularge");
      if (!text)
        return failure{text.error()};
      auto value = parse_unsigned(*text);
      if (!value)
        return bad(setting, "'" + *text + "' is not an unsigned 64-bit number.");
      return nlohmann::json{{"type", "QWORD"}, {"value", *value}};
    }
    case property_format::string:
      return nlohmann::json{{"type", "SZ"}, {"value", setting.text}};
    case property_format::expand_string:
      return nlohmann::json{{"type", "EXPAND_SZ"}, {"value", setting.text}};
    case property_format::multi_string:
      return nlohmann::json{{"type", "MULTI_SZ"}, {"value", setting.values}};
    case property_format::binary: {
      static constexpr char digits[] = "0123456789abcdef";
      std::string hex;
      if (setting.text.empty())
        return nlohmann::json{{"type", "BINARY"}, {"value", hex}};
      for (const auto& piece : setting.values) {
        auto value = parse_unsigned(piece);
        if (!value || *value > 255) {
          return bad(setting, "'" + piece + "' is not a byte (0 to 255, or 0x hex).");
        }
        hex += digits[*value >> 4];
        hex += digits[*value & 0xF];
      }
      return nlohmann::json{{"type", "BINARY"}, {"value", hex}};
    }
  }
  return bad(setting, "unknown format.");
}

}  // namespace wolfpack::cluster_cli
