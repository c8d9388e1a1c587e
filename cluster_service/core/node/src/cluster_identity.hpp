// The cluster's name. MSCS keeps it in the cluster database, and SetClusterName changes it
// there, so a node reads it from its database; `--cluster-name` only names a cluster that has
// no database yet (the first node forms it, a joiner asks for it). A rename keeps the names
// the cluster had: a node restarted with the name it was started with before, and a peer that
// has not applied the rename yet, still belong to it (docs/semantics.md, "Renaming").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

struct cluster_identity {
  std::string name;  // what this node calls the cluster now
  // Its other names, none equal to `name`: the ones it had, oldest first, then the name this
  // node was started with when its database knows it by no name of the two (the node was
  // down while the cluster was renamed: the others call the cluster that now).
  std::vector<std::string> earlier;

  // `candidate` is the cluster's name or one it had (ignoring case, as MSCS compares names).
  bool names_it(std::string_view candidate) const;

  bool operator==(const cluster_identity&) const = default;
};

// What the database holds (ClusterName and EarlierClusterNames, each name once); nullopt
// before it names the cluster.
std::optional<cluster_identity> stored_identity(const db_tree& tree);
// The stored identity, plus `configured` among the earlier names when the database knows the
// cluster by no such name; `configured` alone before there is one.
cluster_identity identity_of(const db_tree& tree, std::string_view configured);

// The locker's check of a rename (ops that set ClusterName) against the database as the
// updates ordered before it left it: two renames asked at once through two nodes must not
// lose a name (the second was computed from the name the first replaced), and a node that
// joined meanwhile may have taken the name.
status rename_still_valid(const db_tree& tree, const object_index& index,
                          const std::vector<db_op>& ops);

// Why `name` cannot be a cluster's name (empty: it can). A cluster name is a computer name
// on the network (MSCS: the core Network Name), so it takes no character a NetBIOS or DNS
// name refuses, and a lab registers it as a file name.
std::string cluster_name_problem(std::string_view name);

}  // namespace wolfpack::cluster
