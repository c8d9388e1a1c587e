#include "wolfpack/tool/param_value.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace wolfpack::tool {

namespace {

template <typename T>
bool parse_number(std::string_view s, T& v) {
  if (s.empty())
    return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

result<std::pair<std::string, nlohmann::json>> parse_param_value(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return fail("'" + std::string(text) + "' is not NAME=VALUE or NAME:TYPE=VALUE");
  std::string_view name = text.substr(0, eq);
  const std::string_view value = text.substr(eq + 1);
  std::string type;
  if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    type = lower(name.substr(colon + 1));
    name = name.substr(0, colon);
  }
  if (name.empty())
    return fail("'" + std::string(text) + "' has an empty property name");
  const std::string n(name);
  const std::string what = "property '" + n + "': ";
  if (type.empty()) {
    std::uint32_t d = 0;
    if (parse_number(value, d))
      return std::pair{n, nlohmann::json{{"type", "DWORD"}, {"value", d}}};
    return std::pair{n, nlohmann::json{{"type", "SZ"}, {"value", std::string(value)}}};
  }
  if (type == "dword") {
    std::uint32_t d = 0;
    if (!parse_number(value, d))
      return fail(what + "'" + std::string(value) + "' is not a DWORD");
    return std::pair{n, nlohmann::json{{"type", "DWORD"}, {"value", d}}};
  }
  if (type == "qword") {
    std::uint64_t q = 0;
    if (!parse_number(value, q))
      return fail(what + "'" + std::string(value) + "' is not a QWORD");
    return std::pair{n, nlohmann::json{{"type", "QWORD"}, {"value", q}}};
  }
  if (type == "sz" || type == "expand_sz") {
    return std::pair{n, nlohmann::json{{"type", type == "sz" ? "SZ" : "EXPAND_SZ"},
                                       {"value", std::string(value)}}};
  }
  if (type == "multi_sz") {
    nlohmann::json list = nlohmann::json::array();
    std::size_t start = 0;
    while (start <= value.size() && !value.empty()) {
      const auto comma = value.find(',', start);
      const auto end = comma == std::string_view::npos ? value.size() : comma;
      list.push_back(std::string(value.substr(start, end - start)));
      if (comma == std::string_view::npos)
        break;
      start = comma + 1;
    }
    return std::pair{n, nlohmann::json{{"type", "MULTI_SZ"}, {"value", list}}};
  }
  if (type == "binary") {
    const bool hex = value.size() % 2 == 0 && std::all_of(value.begin(), value.end(), [](char c) {
                       return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                     });
    if (!hex)
      return fail(what + "'" + std::string(value) + "' is not an even number of hex digits");
    return std::pair{n, nlohmann::json{{"type", "BINARY"}, {"value", lower(value)}}};
  }
  return fail(what + "unknown type '" + type + "' (dword, qword, sz, expand_sz, multi_sz, binary)");
}

}  // namespace wolfpack::tool
