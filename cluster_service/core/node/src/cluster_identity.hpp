// The cluster's name. MSCS keeps it in the cluster database, and SetClusterName changes it
// there, so a node reads it from its database; `--cluster-name` only names a cluster that has
// no database yet (the first node forms it, a joiner asks for it). A rename keeps the names
// the cluster had: a node restarted with the name it was started with before, and a peer that
// has not applied the rename yet, still belong to it (docs/semantics.md, "Renaming").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::cluster {

struct cluster_identity {
  std::string name;                  // what this node calls the cluster now
  std::vector<std::string> earlier;  // names it had, oldest first, none equal to `name`

  // `candidate` is the cluster's name or one it had (ignoring case, as MSCS compares names).
  bool names_it(std::string_view candidate) const;

  bool operator==(const cluster_identity&) const = default;
};

// From the database; `configured` when it has no ClusterName yet.
cluster_identity identity_of(const db_tree& tree, std::string_view configured);

// Why `name` cannot be a cluster's name (empty: it can). A cluster name is a computer name
// on the network (MSCS: the core Network Name), so it takes no character a NetBIOS or DNS
// name refuses, and a lab registers it as a file name.
std::string cluster_name_problem(std::string_view name);

}  // namespace wolfpack::cluster
