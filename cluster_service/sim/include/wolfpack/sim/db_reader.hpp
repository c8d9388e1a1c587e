// Reads the cluster's objects out of a node's database tree for the simulator's checks, by
// the layout of cluster_service/core/node/src/db_schema.hpp (Groups\{id}, Resources\{id}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
// The providers of the resource named `name` (empty when there is no such resource).
std::vector<std::string> providers_of(const db_tree& tree, const std::string& name);

}  // namespace wolfpack::cluster::sim
