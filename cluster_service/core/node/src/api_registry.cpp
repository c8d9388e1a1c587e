// The cluster database as the cluster registry functions see it (docs/api.md "Cluster
// registry"): any key read, writes as global updates under registry_policy.
#include "api_handler.hpp"
#include "registry_policy.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

// CLUSTER_CHANGE_REGISTRY_NAME (a key made or removed) and _VALUE (a value set or deleted).
constexpr int registry_name_filter = CLUSTER_CHANGE_REGISTRY_NAME;
constexpr int registry_value_filter = CLUSTER_CHANGE_REGISTRY_VALUE;

std::string key_words(const std::string& path) {
  return path.empty() ? std::string("the root key") : "key '" + path + "'";
}

}  // namespace

nlohmann::json api_handler::registry_key_view(const std::string& path) const {
  const auto& tree = db_.tree();
  nlohmann::json values = nlohmann::json::array();
  for (const auto& v : tree.values(path)) {
    nlohmann::json entry = to_json(v.value);
    entry["name"] = v.name;
    values.push_back(std::move(entry));
  }
  return {{"key", path}, {"subkeys", tree.subkeys(path)}, {"values", std::move(values)}};
}

void api_handler::route_registry(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  const auto key_it = req.query.find("key");
  const std::string key = key_it != req.query.end() ? key_it->second : std::string();
  if (p.size() == 1) {
    if (m != "GET")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /registry");
    if (auto parts = split_key_path(key); !parts)
      return error(req, ERROR_BAD_PATHNAME, parts.error());
    if (!db_.tree().key_exists(key))
      return error(req, ERROR_FILE_NOT_FOUND, key_words(key) + " does not exist");
    return reply(req, 200, registry_key_view(key));
  }
  if (p.size() == 2 && p[1] == "values") {
    if (m == "PUT")
      return set_registry_value(req);
    if (m == "DELETE") {
      const auto name = req.query.find("name");
      if (name == req.query.end())
        return error(req, ERROR_INVALID_PARAMETER, "query parameter 'name' is missing");
      return delete_registry_value(req, key, name->second);
    }
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /registry/values");
  }
  if (p.size() == 2 && p[1] == "keys") {
    if (m == "POST")
      return create_registry_key(req);
    if (m == "DELETE") {
      if (key_it == req.query.end())
        return error(req, ERROR_INVALID_PARAMETER, "query parameter 'key' is missing");
      return delete_registry_key(req, key);
    }
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /registry/keys");
  }
  error(req, ERROR_NOT_FOUND, "no such API path under /registry");
}

void api_handler::set_registry_value(const request& req) {
  if (!check_body(req, {{"key", true, nlohmann::json::value_t::string},
                        {"name", true, nlohmann::json::value_t::string},
                        {"value", true, nlohmann::json::value_t::object}}))
    return;
  if (refuse_while_shutting_down(req))
    return;
  const auto path = req.body["key"].get<std::string>();
  const auto name = req.body["name"].get<std::string>();
  auto value = parse_typed_value(req.body["value"]);
  if (!value)
    return error(req, ERROR_INVALID_PARAMETER, "field 'value': " + value.error());
  const auto& tree = db_.tree();
  typed_value stored;
  std::string canonical;
  if (auto no = refuse_value_write(tree, path, name, *value, &stored, &canonical))
    return error(req, no->code, no->message);
  if (!tree.key_exists(path))
    return error(req, ERROR_KEY_DELETED, key_words(path) + " has been deleted");
  auto answer = [path, canonical, stored] {
    return nlohmann::json{{"key", path}, {"name", canonical}, {"value", to_json(stored)}};
  };
  if (tree.get(path, canonical) == stored)
    return reply(req, 200, answer());
  auto ev = object_event("REGISTRY_VALUE", registry_value_filter, "registry", path, "");
  ev["value"] = canonical;
  commit(req, {db_op::set_value(path, canonical, stored)}, {ev}, 200, answer);
}

void api_handler::delete_registry_value(const request& req, const std::string& path,
                                        const std::string& name) {
  if (refuse_while_shutting_down(req))
    return;
  const auto& tree = db_.tree();
  std::string canonical;
  if (auto no = refuse_value_write(tree, path, name, std::nullopt, nullptr, &canonical))
    return error(req, no->code, no->message);
  if (!tree.key_exists(path))
    return error(req, ERROR_KEY_DELETED, key_words(path) + " has been deleted");
  if (!tree.get(path, name))
    return error(req, ERROR_FILE_NOT_FOUND, key_words(path) + " has no value '" + name + "'");
  auto ev = object_event("REGISTRY_VALUE", registry_value_filter, "registry", path, "");
  ev["value"] = canonical;
  commit(req, {db_op::delete_value(path, name)}, {ev}, 200, [path, canonical] {
    return nlohmann::json{{"key", path}, {"name", canonical}, {"deleted", true}};
  });
}

void api_handler::create_registry_key(const request& req) {
  if (!check_body(req, {{"key", true, nlohmann::json::value_t::string}}))
    return;
  if (refuse_while_shutting_down(req))
    return;
  const auto path = req.body["key"].get<std::string>();
  const auto& tree = db_.tree();
  if (auto parts = split_key_path(path); !parts)
    return error(req, ERROR_BAD_PATHNAME, parts.error());
  if (tree.key_exists(path))
    return reply(req, 200, {{"key", path}, {"created", false}});
  if (auto no = refuse_key_write(tree, path, true))
    return error(req, no->code, no->message);
  auto ev = object_event("REGISTRY_NAME", registry_name_filter, "registry", path, "");
  commit(req, {db_op::create_key(path)}, {ev}, 201, [path] {
    return nlohmann::json{{"key", path}, {"created", true}};
  });
}

void api_handler::delete_registry_key(const request& req, const std::string& path) {
  if (refuse_while_shutting_down(req))
    return;
  const auto& tree = db_.tree();
  if (auto parts = split_key_path(path); !parts)
    return error(req, ERROR_BAD_PATHNAME, parts.error());
  if (!tree.key_exists(path))
    return error(req, ERROR_FILE_NOT_FOUND, key_words(path) + " does not exist");
  if (auto no = refuse_key_write(tree, path, false))
    return error(req, no->code, no->message);
  // As RegDeleteKey: a key with subkeys stays (delete them first).
  if (!tree.subkeys(path).empty())
    return error(req, ERROR_ACCESS_DENIED, key_words(path) + " has subkeys; delete them first");
  auto ev = object_event("REGISTRY_NAME", registry_name_filter, "registry", path, "");
  commit(req, {db_op::delete_key(path)}, {ev}, 200, [path] {
    return nlohmann::json{{"key", path}, {"deleted", true}};
  });
}

}  // namespace wolfpack::cluster
