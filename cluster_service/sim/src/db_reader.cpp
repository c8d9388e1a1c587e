#include "wolfpack/sim/db_reader.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace wolfpack::cluster::sim {

namespace {

// db_schema.hpp's names (private to the core).
constexpr const char* groups_key = "Groups";
constexpr const char* resources_key = "Resources";
constexpr const char* name_value = "Name";
constexpr const char* contains_value = "Contains";
constexpr const char* owner_value = "OwnerNode";
constexpr const char* depends_value = "DependsOn";
constexpr const char* persistent_value = "PersistentState";
constexpr const char* description_value = "Description";

std::string path(const char* parent, const std::string& id) {
  return std::string(parent) + "\\" + id;
}

std::optional<std::string> description(const db_tree& tree, const std::string& key) {
  const auto v = tree.get(key, description_value);
  if (!v)
    return std::nullopt;
  return tree.get_sz(key, description_value, "");
}

std::map<std::string, std::string> resource_names(const db_tree& tree) {
  std::map<std::string, std::string> out;
  for (const auto& id : tree.subkeys(resources_key))
    out[id] = tree.get_sz(path(resources_key, id), name_value, "");
  return out;
}

}  // namespace

std::vector<std::string> read_node_names(const db_tree& tree) {
  std::vector<std::string> out;
  for (const auto& id : tree.subkeys("Nodes"))
    out.push_back(tree.get_sz(path("Nodes", id), "NodeName", ""));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<db_group> read_groups(const db_tree& tree) {
  const auto names = resource_names(tree);
  std::vector<db_group> out;
  for (const auto& id : tree.subkeys(groups_key)) {
    const auto key = path(groups_key, id);
    db_group g;
    g.id = id;
    g.name = tree.get_sz(key, name_value, "");
    g.owner_node = tree.get_sz(key, owner_value, "");
    for (const auto& rid : tree.get_multi_sz(key, contains_value, {})) {
      auto it = names.find(rid);
      if (it != names.end())
        g.resources.push_back(it->second);
    }
    g.description = description(tree, key);
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<db_resource> read_resources(const db_tree& tree) {
  const auto names = resource_names(tree);
  std::vector<db_resource> out;
  for (const auto& [id, name] : names) {
    const auto key = path(resources_key, id);
    db_resource r;
    r.id = id;
    r.name = name;
    for (const auto& pid : tree.get_multi_sz(key, depends_value, {})) {
      auto it = names.find(pid);
      if (it != names.end())
        r.providers.push_back(it->second);
    }
    r.persistent_online = tree.get_dword(key, persistent_value, 0) == 1;
    r.description = description(tree, key);
    out.push_back(std::move(r));
  }
  return out;
}

std::unordered_map<std::string, std::string> resource_ids_by_name(const db_tree& tree) {
  std::unordered_map<std::string, std::string> out;
  // One path buffer, and the names read without a copy but for the map's.
  std::string key = std::string(resources_key) + "\\";
  const std::size_t prefix = key.size();
  tree.for_each_subkey(resources_key, [&](const std::string& id) {
    key.resize(prefix);
    key += id;
    // As get_sz reads it: a name that is no string reads as "".
    const auto* v = tree.find_value(key, name_value);
    const bool text =
        v != nullptr && (v->type == value_type::sz || v->type == value_type::expand_sz);
    out.try_emplace(text ? v->as_string() : std::string(), id);
    return true;
  });
  return out;
}

bool resource_named(const db_tree& tree, const std::string& id, const std::string& name) {
  const auto* v = tree.find_value(path(resources_key, id), name_value);
  const bool text = v != nullptr && (v->type == value_type::sz || v->type == value_type::expand_sz);
  return text && v->as_string() == name;
}

std::vector<std::string> providers_of_id(const db_tree& tree, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& pid : tree.get_multi_sz(path(resources_key, id), depends_value, {}))
    out.push_back(tree.get_sz(path(resources_key, pid), name_value, pid));
  return out;
}

}  // namespace wolfpack::cluster::sim
