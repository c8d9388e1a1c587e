#include "options.hpp"

#include <cctype>
#include <charconv>

namespace wolfpack::monitor {

namespace {

std::optional<std::uint64_t> parse_number(const std::string& v) {
  if (v.empty())
    return std::nullopt;
  std::uint64_t out = 0;
  const char* first = v.data();
  const char* last = v.data() + v.size();
  int base = 10;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    first += 2;
    base = 16;
  }
  auto [p, ec] = std::from_chars(first, last, out, base);
  if (ec != std::errc() || p != last)
    return std::nullopt;
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool parse_param(const std::string& text, std::string& name, nlohmann::json& value,
                 std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    error = "--param '" + text + "': expected NAME=VALUE or NAME:TYPE=VALUE";
    return false;
  }
  std::string left = text.substr(0, eq);
  const std::string v = text.substr(eq + 1);
  std::string type;
  if (auto colon = left.find(':'); colon != std::string::npos) {
    type = lower(left.substr(colon + 1));
    left = left.substr(0, colon);
  }
  name = left;
  if (name.empty()) {
    error = "--param '" + text + "': the property name is empty";
    return false;
  }
  if (type.empty())
    type = parse_number(v) ? "dword" : "sz";
  if (type == "dword" || type == "qword") {
    auto n = parse_number(v);
    if (!n || (type == "dword" && *n > 0xFFFFFFFFull)) {
      error = "--param " + name + ": '" + v + "' is not a " + type + " value";
      return false;
    }
    value = {{"type", type == "dword" ? "DWORD" : "QWORD"}, {"value", *n}};
    return true;
  }
  if (type == "sz" || type == "string") {
    value = {{"type", "SZ"}, {"value", v}};
    return true;
  }
  if (type == "expand_sz" || type == "expandstr") {
    value = {{"type", "EXPAND_SZ"}, {"value", v}};
    return true;
  }
  if (type == "multi_sz" || type == "multistr") {
    nlohmann::json items = nlohmann::json::array();
    std::size_t start = 0;
    while (start <= v.size()) {
      const auto comma = v.find(',', start);
      items.push_back(
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
    value = {{"type", "MULTI_SZ"}, {"value", items}};
    return true;
  }
  if (type == "binary") {
    std::string hex;
    for (char c : v) {
      if (c == ',' || c == ' ')
        continue;
      if (!std::isxdigit(static_cast<unsigned char>(c))) {
        error = "--param " + name + ": '" + v + "' is not hexadecimal";
        return false;
      }
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() % 2 != 0) {
      error = "--param " + name + ": binary value has an odd number of hex digits";
      return false;
    }
    value = {{"type", "BINARY"}, {"value", hex}};
    return true;
  }
  error = "--param " + name + ": unknown type '" + type +
          "' (use dword, qword, sz, expand_sz, multi_sz or binary)";
  return false;
}

}  // namespace wolfpack::monitor
