#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace wolfpack::detail {

// "an object", "a number", ... for error messages about JSON input.
// A std::string so that messages can be built with operator+.
inline std::string json_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    case nlohmann::json::value_t::binary:
      return "binary data";
    case nlohmann::json::value_t::discarded:
      return "discarded";
  }
  return "unknown";
}

// json_kind, with the value of a number or boolean ("a number (-1)"): what was wrong with it
// is then in the message.
inline std::string json_kind_shown(const nlohmann::json& value) {
  if (value.is_number() || value.is_boolean())
    return json_kind(value) + " (" + value.dump() + ")";
  return json_kind(value);
}

}  // namespace wolfpack::detail
