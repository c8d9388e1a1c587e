// Reading a member of a JSON frame without copying it: nlohmann's value(key, default)
// returns a copy, which for a frame that carries a database or a batch of updates is the
// whole payload.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace wolfpack {

// The member `key` of `object`, or `fallback` when it has none. Like value(), a non-object
// `object` is a type_error.
inline const nlohmann::json& member_or(const nlohmann::json& object, std::string_view key,
                                       const nlohmann::json& fallback) {
  if (!object.is_object())
    (void)object.value(std::string(key), fallback);  // throws, with value()'s message
  const auto it = object.find(key);
  return it != object.end() ? *it : fallback;
}

// The string member `key` of `object`, or `fallback` when it has none: value(key, fallback)
// without the copy. As with value(), a member of another type, or a non-object `object`, is a
// type_error.
inline const std::string& string_or(const nlohmann::json& object, std::string_view key,
                                    const std::string& fallback) {
  if (!object.is_object())
    (void)object.value(std::string(key), fallback);  // throws, with value()'s message
  const auto it = object.find(key);
  if (it == object.end())
    return fallback;
  if (!it->is_string())
    (void)object.value(std::string(key), fallback);  // throws, with value()'s message
  return it->get_ref<const std::string&>();
}

// Fallbacks that live as long as the program, for member_or.
inline const nlohmann::json& json_null() {
  static const nlohmann::json value;
  return value;
}
inline const nlohmann::json& json_empty_array() {
  static const nlohmann::json value = nlohmann::json::array();
  return value;
}
inline const nlohmann::json& json_empty_object() {
  static const nlohmann::json value = nlohmann::json::object();
  return value;
}

}  // namespace wolfpack
