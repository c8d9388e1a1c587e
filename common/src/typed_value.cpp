#include "wolfpack/common/typed_value.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "wolfpack/common/json_kind.hpp"
#include "wolfpack/common/json_object_builder.hpp"

namespace wolfpack {
namespace {

using detail::json_kind;

constexpr std::uint64_t dword_max = 0xFFFFFFFFu;

std::string type_name(value_type type) {
  return std::string(to_string(type));
}

result<std::uint64_t> parse_number(const nlohmann::json& j, value_type type, std::uint64_t max) {
  const std::string name = type_name(type);
  auto out_of_range = [&] { return fail(name + " value " + j.dump() + " is out of range"); };
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > max)
      return out_of_range();
    return u;
  }
  if (j.is_number_integer()) {
    const auto i = j.get<std::int64_t>();
    if (i < 0 || static_cast<std::uint64_t>(i) > max)
      return out_of_range();
    return static_cast<std::uint64_t>(i);
  }
  if (j.is_number_float()) {
    // Integers beyond 2^64 arrive as floating point; so may "5.0" from some clients.
    const double d = j.get<double>();
    if (!std::isfinite(d) || std::trunc(d) != d) {
      return fail(name + " value " + j.dump() + " is not an integer");
    }
    // 2^64 is exactly representable; anything at or above it does not fit.
    if (d < 0 || d >= 18446744073709551616.0 || static_cast<std::uint64_t>(d) > max) {
      return out_of_range();
    }
    return static_cast<std::uint64_t>(d);
  }
  return fail(name + " value must be a non-negative integer, got " + std::string(json_kind(j)));
}

std::optional<std::string> string_problem(std::string_view s, const std::string& what) {
  if (s.find('\0') != std::string_view::npos) {
    return what + " contains a NUL character";
  }
  return std::nullopt;
}

result<std::string> parse_string(const nlohmann::json& j, value_type type) {
  const std::string name = type_name(type);
  if (!j.is_string()) {
    return fail(name + " value must be a string, got " + std::string(json_kind(j)));
  }
  const auto& s = j.get_ref<const std::string&>();
  if (auto problem = string_problem(s, name + " value"))
    return fail(*problem);
  return s;
}

result<std::vector<std::string>> parse_strings(const nlohmann::json& j) {
  if (!j.is_array()) {
    return fail("MULTI_SZ value must be an array of strings, got " + std::string(json_kind(j)));
  }
  std::vector<std::string> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& e = j[i];
    const std::string what = "MULTI_SZ element " + std::to_string(i);
    if (!e.is_string()) {
      return fail(what + " is " + std::string(json_kind(e)) + ", not a string");
    }
    const auto& s = e.get_ref<const std::string&>();
    // An empty string would end the list in the double-NUL-terminated native form.
    if (s.empty())
      return fail(what + " is empty");
    if (auto problem = string_problem(s, what))
      return fail(*problem);
    out.push_back(s);
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

result<std::vector<std::uint8_t>> parse_binary(const nlohmann::json& j) {
  if (!j.is_string()) {
    return fail("BINARY value must be a lowercase hex string, got " + std::string(json_kind(j)));
  }
  const auto& s = j.get_ref<const std::string&>();
  if (s.size() % 2 != 0) {
    return fail("BINARY value has an odd number of hex digits (" + std::to_string(s.size()) + ")");
  }
  std::vector<std::uint8_t> out;
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = hex_digit(s[i]);
    const int lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) {
      const std::size_t at = hi < 0 ? i : i + 1;
      const auto c = static_cast<unsigned char>(s[at]);
      const std::string shown =
          (c >= 0x20 && c < 0x7F) ? std::string(1, static_cast<char>(c)) : "\\x" + [&] {
            constexpr char digits[] = "0123456789abcdef";
            return std::string{digits[c >> 4], digits[c & 0xF]};
          }();
      return fail("BINARY value has '" + shown + "' at position " + std::to_string(at) +
                  "; expected lowercase hex digits");
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

result<typed_value> parse_value_of(value_type type, const nlohmann::json& j) {
  switch (type) {
    case value_type::dword:
    case value_type::qword: {
      auto n = parse_number(
          j, type,
          type == value_type::dword ? dword_max : std::numeric_limits<std::uint64_t>::max());
      if (!n)
        return fail(n.error());
      return typed_value{type, *n};
    }
    case value_type::sz:
    case value_type::expand_sz: {
      auto s = parse_string(j, type);
      if (!s)
        return fail(s.error());
      return typed_value{type, std::move(s).value()};
    }
    case value_type::multi_sz: {
      auto list = parse_strings(j);
      if (!list)
        return fail(list.error());
      return typed_value{type, std::move(list).value()};
    }
    case value_type::binary: {
      auto bytes = parse_binary(j);
      if (!bytes)
        return fail(bytes.error());
      return typed_value{type, std::move(bytes).value()};
    }
  }
  return fail("unknown value type");
}

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xF]);
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view to_string(value_type type) {
  switch (type) {
    case value_type::dword:
      return "DWORD";
    case value_type::qword:
      return "QWORD";
    case value_type::sz:
      return "SZ";
    case value_type::expand_sz:
      return "EXPAND_SZ";
    case value_type::multi_sz:
      return "MULTI_SZ";
    case value_type::binary:
      return "BINARY";
  }
  return "UNKNOWN";
}

std::optional<value_type> parse_value_type(std::string_view text) {
  for (auto type : {value_type::dword, value_type::qword, value_type::sz, value_type::expand_sz,
                    value_type::multi_sz, value_type::binary}) {
    if (text == to_string(type))
      return type;
  }
  return std::nullopt;
}

typed_value typed_value::dword(std::uint32_t value) {
  return {value_type::dword, std::uint64_t{value}};
}
typed_value typed_value::qword(std::uint64_t value) {
  return {value_type::qword, value};
}
typed_value typed_value::sz(std::string value) {
  return {value_type::sz, std::move(value)};
}
typed_value typed_value::expand_sz(std::string value) {
  return {value_type::expand_sz, std::move(value)};
}
typed_value typed_value::multi_sz(std::vector<std::string> value) {
  return {value_type::multi_sz, std::move(value)};
}
typed_value typed_value::binary(std::vector<std::uint8_t> value) {
  return {value_type::binary, std::move(value)};
}

result<typed_value> parse_typed_value(const nlohmann::json& json) {
  if (!json.is_object()) {
    return fail("typed value must be an object {\"type\":...,\"value\":...}, got " +
                std::string(json_kind(json)));
  }
  for (const auto& [key, _] : json.items()) {
    if (key != "type" && key != "value") {
      return fail("typed value has unexpected field '" + key + "'");
    }
  }
  const auto type_it = json.find("type");
  if (type_it == json.end()) {
    return fail("typed value has no 'type'");
  }
  if (!type_it->is_string()) {
    return fail("typed value 'type' must be a string, got " + std::string(json_kind(*type_it)));
  }
  const auto& type_text = type_it->get_ref<const std::string&>();
  const auto type = parse_value_type(type_text);
  if (!type) {
    return fail("unknown type '" + type_text +
                "' (expected DWORD, QWORD, SZ, EXPAND_SZ, MULTI_SZ or BINARY)");
  }
  const auto value_it = json.find("value");
  if (value_it == json.end()) {
    return fail("typed value of type " + type_text + " has no 'value'");
  }
  return parse_value_of(*type, *value_it);
}

nlohmann::json to_json(const typed_value& value) {
  nlohmann::json out;
  to_json(out, value);
  return out;
}

void to_json(nlohmann::json& json, const typed_value& value) {
  nlohmann::json v;
  switch (value.type) {
    case value_type::dword:
    case value_type::qword:
      if (!std::holds_alternative<std::uint64_t>(value.v))
        break;
      if (value.type == value_type::dword && value.as_number() > dword_max) {
        throw std::logic_error("typed_value: DWORD holds " + std::to_string(value.as_number()));
      }
      v = value.as_number();
      break;
    case value_type::sz:
    case value_type::expand_sz:
      if (!std::holds_alternative<std::string>(value.v))
        break;
      v = value.as_string();
      break;
    case value_type::multi_sz:
      if (!std::holds_alternative<std::vector<std::string>>(value.v))
        break;
      v = value.as_strings();
      break;
    case value_type::binary:
      if (!std::holds_alternative<std::vector<std::uint8_t>>(value.v))
        break;
      v = to_hex(value.as_bytes());
      break;
  }
  if (v.is_null()) {
    throw std::logic_error("typed_value: storage does not match type " + type_name(value.type));
  }
  // Every value of an update or of a database snapshot is written here.
  json = json_object_builder().add("type", to_string(value.type)).add("value", std::move(v)).take();
}

result<property_map> parse_property_map(const nlohmann::json& json) {
  if (!json.is_object()) {
    return fail("properties must be a JSON object, got " + std::string(json_kind(json)));
  }
  property_map out;
  std::map<std::string, std::string> seen;  // lower-case name → name as written
  for (const auto& [name, j] : json.items()) {
    if (name.empty()) {
      return fail("property with an empty name");
    }
    const std::string prefix = "property '" + name + "': ";
    if (auto [it, inserted] = seen.emplace(ascii_lower(name), name); !inserted) {
      return fail(prefix + "same name as property '" + it->second + "' (names ignore case)");
    }
    result<typed_value> value = fail("");
    if (j.is_object()) {
      value = parse_typed_value(j);
    } else if (j.is_number()) {
      value = parse_value_of(value_type::dword, j);
    } else if (j.is_string()) {
      value = parse_value_of(value_type::sz, j);
    } else if (j.is_array()) {
      value = parse_value_of(value_type::multi_sz, j);
    } else {
      return fail(prefix + "unsupported value (" + std::string(json_kind(j)) +
                  "); expected a number, a string, an array of strings or {\"type\",\"value\"}");
    }
    if (!value) {
      return fail(prefix + value.error());
    }
    out.emplace(name, std::move(value).value());
  }
  return out;
}

nlohmann::json to_json(const property_map& properties) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : properties) {
    out[name] = to_json(value);
  }
  return out;
}

}  // namespace wolfpack
