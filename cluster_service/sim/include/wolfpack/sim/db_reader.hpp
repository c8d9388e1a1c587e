// Reads the cluster's objects out of a node's database tree for the simulator's checks, by
// the layout of cluster_service/core/node/src/db_schema.hpp (Groups\{id}, Resources\{id}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::cluster::sim {

struct db_group {
  std::string id;
  std::string name;
  std::string owner_node;              // the node id, as the database writes it ("" when none)
  std::vector<std::string> resources;  // names
  std::optional<std::string> description;
};

struct db_resource {
  std::string id;
  std::string name;
  std::vector<std::string> providers;  // names of the resources it depends on
  bool persistent_online = false;      // PersistentState = 1: wanted online
  std::optional<std::string> description;
};

std::vector<db_group> read_groups(const db_tree& tree);
std::vector<db_resource> read_resources(const db_tree& tree);
// The names of the configured nodes (Nodes\{id}\NodeName), sorted.
std::vector<std::string> read_node_names(const db_tree& tree);
// Resource ids by the resource's Name (a name that is no string reads as ""); of resources
// with one name, the first in key order.
std::unordered_map<std::string, std::string> resource_ids_by_name(const db_tree& tree);
// Whether resource `id` exists and is named `name` (as resource_ids_by_name reads names).
bool resource_named(const db_tree& tree, const std::string& id, const std::string& name);
// The names of the providers of resource `id` (DependsOn; a provider without a name as its id).
std::vector<std::string> providers_of_id(const db_tree& tree, const std::string& id);

}  // namespace wolfpack::cluster::sim
