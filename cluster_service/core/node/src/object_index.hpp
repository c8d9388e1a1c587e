// The cluster's objects as the core looks them up: built from the database tree after every
// applied update, so lookups by name (ignoring case, as MSCS does) and the group/resource
// relations never walk the tree.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"

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
  // Whether an op can change what the index holds (an object's key, or one of the values it
  // reads). Most updates (properties, owners, states) cannot, and under load rebuilding for
  // each would cost more than the update.
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
  // (ties by name): the online order; reversed, the offline order.
  std::vector<std::string> online_order(const group_entry& group) const;

  // True if `from` depends on `to` directly or through other resources.
  bool depends_transitively(std::string_view from, std::string_view to) const;

  // The resource and everything it needs (providers, their providers, ...), or everything
  // that needs it (dependents, theirs, ...); sorted by id, the resource itself included.
  std::set<std::string> with_providers(std::string_view id) const;
  std::set<std::string> with_dependents(std::string_view id) const;

 private:
  std::set<std::string> closure(std::string_view id, bool providers) const;

  std::map<std::string, node_entry> nodes_;  // by id
  std::map<std::string, type_entry> types_;  // by folded id
  std::map<std::string, group_entry> groups_;
  std::map<std::string, resource_entry> resources_;
  std::map<std::string, std::string> node_names_;      // folded name -> id
  std::map<std::string, std::string> type_names_;      // folded display name -> id
  std::map<std::string, std::string> group_names_;     // folded name -> id
  std::map<std::string, std::string> resource_names_;  // folded name -> id
};

}  // namespace wolfpack::cluster
