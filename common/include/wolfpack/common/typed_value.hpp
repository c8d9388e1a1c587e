#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/common/result.hpp"

namespace wolfpack {

// The registry-like value types of cluster properties (CLUSPROP_FORMAT_*), as they travel
// in JSON between clussvc and resrcmon and in the API:
//   {"type":"DWORD","value":5000}            non-negative integer up to 0xFFFFFFFF
//   {"type":"QWORD","value":5000000000}      non-negative integer up to 2^64-1
//   {"type":"SZ","value":"text"}             string (no NUL characters)
//   {"type":"EXPAND_SZ","value":"%TEMP%\\x"} string, environment variables unexpanded
//   {"type":"MULTI_SZ","value":["a","b"]}    array of non-empty strings (no NULs)
//   {"type":"BINARY","value":"00ff10"}       lowercase hex, two digits per byte
enum class value_type { dword, qword, sz, expand_sz, multi_sz, binary };

// "DWORD", "QWORD", "SZ", "EXPAND_SZ", "MULTI_SZ", "BINARY".
std::string_view to_string(value_type type);
std::optional<value_type> parse_value_type(std::string_view text);

struct typed_value {
  using storage =
      std::variant<std::uint64_t, std::string, std::vector<std::string>, std::vector<std::uint8_t>>;

  // Invariant: the alternative held by v matches type (uint64 for DWORD/QWORD, string for
  // SZ/EXPAND_SZ, strings for MULTI_SZ, bytes for BINARY). The factories keep it.
  value_type type = value_type::dword;
  storage v = std::uint64_t{0};

  static typed_value dword(std::uint32_t value);
  static typed_value qword(std::uint64_t value);
  static typed_value sz(std::string value);
  static typed_value expand_sz(std::string value);
  static typed_value multi_sz(std::vector<std::string> value);
  static typed_value binary(std::vector<std::uint8_t> value);

  // Typed access; throws std::bad_variant_access on a mismatch.
  std::uint64_t as_number() const { return std::get<std::uint64_t>(v); }
  const std::string& as_string() const { return std::get<std::string>(v); }
  const std::vector<std::string>& as_strings() const {
    return std::get<std::vector<std::string>>(v);
  }
  const std::vector<std::uint8_t>& as_bytes() const {
    return std::get<std::vector<std::uint8_t>>(v);
  }

  bool operator==(const typed_value&) const = default;
};

// Parses the full form {"type":..., "value":...}. Errors say what is wrong, e.g.
// "DWORD value 5000000000 is out of range", "unknown type 'WORD'".
[[nodiscard]] result<typed_value> parse_typed_value(const nlohmann::json& json);

// The full form. A typed_value whose v does not match its type is a bug: throws
// std::logic_error.
nlohmann::json to_json(const typed_value& value);
// Lets nlohmann convert implicitly: nlohmann::json j = value;
void to_json(nlohmann::json& json, const typed_value& value);

// Properties by name, in name order (deterministic iteration).
using property_map = std::map<std::string, typed_value, std::less<>>;

// Parses a JSON object of properties. Each value is the full form or a shorthand:
//   a JSON number        → DWORD (non-negative integer up to 0xFFFFFFFF)
//   a JSON string        → SZ
//   an array of strings  → MULTI_SZ
// Errors name the property: "property 'OnlineDelayMs': DWORD value 5000000000 is out of
// range". Names must be non-empty and unique ignoring ASCII case (property names are
// case-insensitive in MSCS).
[[nodiscard]] result<property_map> parse_property_map(const nlohmann::json& json);

// Always the full form for every property.
nlohmann::json to_json(const property_map& properties);

}  // namespace wolfpack
