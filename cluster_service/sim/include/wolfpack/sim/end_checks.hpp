// The checks of a simulated run once every fault has healed (docs/internals/simulator.md).
// Each returns what is wrong, or nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/sim/fake_cluster.hpp"
#include "wolfpack/sim/sim_client.hpp"

namespace wolfpack::cluster::sim {

// The nodes the cluster is made of: those whose id the newest database among the running
// nodes lists (all of them, unless one was evicted: the evict fault), and that newest node.
struct cluster_nodes {
  std::vector<std::size_t> members;
  std::vector<std::size_t> evicted;  // running, but not listed
  std::size_t newest = 1;
};
cluster_nodes nodes_of(const fake_cluster& cluster);

// At one moment (each "" when it holds):
// - one view: every node runs; the members are in one view (same epoch, every member in it,
//   with quorum, each seeing every member Up); an evicted node is in no view with quorum;
// - same database: every member has the same database (seq and hash);
// - placement: every resource whose PersistentState is 1 (wanted online) runs Online in the
//   monitors of its group's owner, which reports it Online, and in no other node's monitors.
// Liveness is the three together, within a bound after the last fault healed.
std::string view_problem(const fake_cluster& cluster);
std::string database_problem(const fake_cluster& cluster);
std::string placement_problem(const fake_cluster& cluster);

// Acknowledged updates survive, judged on the final database `tree` against what the client
// asked (every crash in a run keeps the store, so a quorum always keeps its databases):
// - an object whose creation was acknowledged exists, unless the client asked to delete it;
//   an object whose deletion was acknowledged does not;
// - an object's Description is a value the client wrote, and not one that was acknowledged
//   before another write of that Description was sent which was acknowledged too (that later
//   write must have been ordered after it); with no Description, no write of it was
//   acknowledged.
std::optional<std::string> lost_acknowledged(const db_tree& tree,
                                             const std::vector<client_op>& ops);

}  // namespace wolfpack::cluster::sim
