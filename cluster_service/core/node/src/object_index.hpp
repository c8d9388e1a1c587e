// The cluster's objects as the core looks them up: kept up to date with the database tree after
// every applied update, so lookups by name (ignoring case, as MSCS does) and the
// group/resource relations never walk the tree. An update refreshes only the objects it
// touched; the index then answers exactly as one rebuilt from the whole tree would.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "name_table.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/cluster_db/folded_key.hpp"

namespace wolfpack::cluster {

struct node_entry {
  std::string id;  // "1", "2", ...
  std::string name;
};

struct type_entry {
  std::string id;  // the key name: the type's name ("Dummy")
  std::string display_name;
  std::string dll;
};

struct group_entry {
  std::string id;
  std::string name;
  std::vector<std::string> resources;         // ids, in Contains order
  std::vector<std::string> preferred_owners;  // node ids, in order
};

struct resource_entry {
  std::string id;
  std::string name;
  std::string type;                     // type id
  std::string group;                    // group id ("" if no group contains it: a damaged database)
  std::vector<std::string> depends_on;  // provider ids
  std::vector<std::string> dependents;  // ids of resources that depend on this one
  std::vector<std::string> possible_owners;  // node ids; empty = every node
};

class object_index {
 public:
  void rebuild(const db_tree& tree);
  // `ops` were just applied to `tree`: the objects they touched are read again (everything,
  // when an op replaced a whole branch of objects).
  void apply(const db_tree& tree, const std::vector<db_op>& ops);
  // Whether an op can change what the index holds (an object's key, or one of the values it
  // reads). Most updates (properties, owners, states) cannot.
  static bool indexes(const db_op& op);

  const node_entry* node_by_name(std::string_view name) const;
  const node_entry* node_by_id(std::string_view id) const;
  const type_entry* type_by_name(std::string_view name) const;  // id or display name
  const group_entry* group_by_name(std::string_view name) const;
  const group_entry* group_by_id(std::string_view id) const;
  const resource_entry* resource_by_name(std::string_view name) const;
  const resource_entry* resource_by_id(std::string_view id) const;

  // In name order (ignoring case): what every listing shows.
  std::vector<const node_entry*> nodes() const;
  std::vector<const type_entry*> types() const;
  std::vector<const group_entry*> groups() const;
  std::vector<const resource_entry*> resources() const;
  std::vector<const resource_entry*> resources_of_type(std::string_view type_id) const;

  // The resources of a group ordered so that every provider comes before its dependents
  // (ties by name): the online order; reversed, the offline order. Kept until the next
  // change of a group or resource: the resource manager asks at every reconcile.
  const std::vector<std::string>& online_order(const group_entry& group) const;

  // Changes with every rebuild and apply: an entry found while it stays the same is still the
  // object's entry (entries move only when their object is read again).
  std::uint64_t generation() const { return generation_; }

  // True if `from` depends on `to` directly or through other resources.
  bool depends_transitively(std::string_view from, std::string_view to) const;

  // The resource and everything it needs (providers, their providers, ...), or everything
  // that needs it (dependents, theirs, ...); sorted by id, the resource itself included.
  std::set<std::string> with_providers(std::string_view id) const;
  std::set<std::string> with_dependents(std::string_view id) const;

 private:
  std::set<std::string> closure(std::string_view id, bool providers) const;
  std::vector<std::string> compute_online_order(const group_entry& group) const;

  void rebuild_nodes(const db_tree& tree);
  void rebuild_types(const db_tree& tree);
  // Reads one resource or group again from the tree (removes it when its key is gone), with
  // the relations that depend on it.
  void refresh_resource(const db_tree& tree, std::string_view id);
  void refresh_group(const db_tree& tree, std::string_view id);
  // The relations derived from other objects: a resource's group and its dependents.
  void derive_group(resource_entry& r) const;
  void derive_dependents(resource_entry& r) const;
  void count_dependencies(const resource_entry& r, int sign);
  void count_contents(const group_entry& g, int sign);

  std::map<std::string, node_entry> nodes_;  // by id
  std::map<std::string, type_entry> types_;  // by folded id
  // Hashed: the resource manager looks ids up many times for each input; listings go by name.
  using id_hash = word_hash;
  std::unordered_map<std::string, group_entry, id_hash, std::equal_to<>> groups_;
  std::unordered_map<std::string, resource_entry, id_hash, std::equal_to<>> resources_;
  // The ids of groups and resources as written, found by any spelling.
  std::set<std::string, folded_less> group_ids_;
  std::set<std::string, folded_less> resource_ids_;
  name_table node_names_;
  std::map<std::string, std::string, folded_less>
      type_names_;  // folded display name or id -> folded id
  name_table group_names_;
  name_table resource_names_;
  // What the relations are derived from, kept whether or not the object named exists yet,
  // so that an object created later finds them as a rebuild would:
  // provider id -> dependent id -> how often the dependent lists it in DependsOn
  std::map<std::string, std::map<std::string, int>> dependents_of_;
  // resource id -> folded group id -> group id, for every group whose Contains lists it
  std::map<std::string, std::map<std::string, std::string>> containers_;
  mutable std::map<std::string, std::vector<std::string>> online_orders_;  // by group id
  void forget_orders_listing(const std::string& resource_id);
  // groups(), kept until a group is read again (entries do not move meanwhile): the resource
  // manager and placement list the groups after most updates and views.
  mutable std::optional<std::vector<const group_entry*>> groups_by_name_;
  std::uint64_t generation_ = 0;
};

}  // namespace wolfpack::cluster
