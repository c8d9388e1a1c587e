// A JSON object built member by member, each placed at the end of its map: the same JSON as
// from an initializer list, without the pair arrays the list builds and the searches it makes.
// For the frames and events built many times a second (heartbeats, the states of a view, the
// simulated monitors' frames) and the values of a database snapshot.
// Members are best added in key order; any order gives the same object, only slower.
#pragma once

#include <utility>

#include <nlohmann/json.hpp>

namespace wolfpack {

class json_object_builder {
 public:
  template <typename T>
  json_object_builder& add(const char* key, T&& value) {
    auto& members = json_.get_ref<nlohmann::json::object_t&>();
    members.emplace_hint(members.end(), key, std::forward<T>(value));
    return *this;
  }
  nlohmann::json take() { return std::move(json_); }

 private:
  nlohmann::json json_ = nlohmann::json::object();
};

}  // namespace wolfpack
