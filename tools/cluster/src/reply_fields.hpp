// Reading the API's answers, shared by the files that run commands (commands.cpp,
// network_commands.cpp). Inline and in a named namespace: the library is compiled in unity
// batches, where two files' file-local helpers of the same name would collide.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace wolfpack::cluster_cli::reply_fields {

inline std::string in_quotes(std::string_view name) {
  return "'" + std::string(name) + "'";
}

// A one-element array, the shape the formatter takes for one object.
inline nlohmann::json one(nlohmann::json object) {
  nlohmann::json list = nlohmann::json::array();
  list.push_back(std::move(object));
  return list;
}

// Names from a list that holds strings or objects with a "name".
inline std::vector<std::string> names_of(const nlohmann::json& list) {
  std::vector<std::string> names;
  if (!list.is_array())
    return names;
  for (const auto& item : list) {
    if (item.is_string()) {
      names.push_back(item.get<std::string>());
    } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
      names.push_back(item["name"].get<std::string>());
    }
  }
  return names;
}

// The property map of a properties answer: {"properties":{...}} or the map itself.
inline nlohmann::json property_map_of(const nlohmann::json& body) {
  if (body.is_object() && body.contains("properties") && body["properties"].is_object()) {
    return body["properties"];
  }
  if (body.is_object())
    return body;
  return nlohmann::json::object();
}

inline std::string string_of(const nlohmann::json& object, const char* key) {
  if (object.is_object() && object.contains(key) && object[key].is_string()) {
    return object[key].get<std::string>();
  }
  return {};
}

}  // namespace wolfpack::cluster_cli::reply_fields
