// What the fake_cluster scenarios of cluster_multinode_test share (multinode_test.cpp,
// membership_config_test.cpp): the lab, views and databases compared across nodes, where a
// group runs, and requests that must succeed.
//
// The lab: cluster "lab", node1..node3 listening at n1..n3, heartbeat every 100 ms, suspicion
// after 5 missed (500 ms), lease = the heartbeat window. node1 forms; the others join through
// n1. Group G holds Dummy resources R1 <- R2 (R2 depends on R1), in the default monitor.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wolfpack/sim/fake_cluster.hpp"

namespace wolfpack::cluster::testing {

using namespace wolfpack::cluster::sim;

using numbers = std::vector<std::size_t>;
using ids = std::vector<std::uint32_t>;

constexpr time_ms window_ms = 100 * 5;  // heartbeat_ms * threshold
constexpr time_ms lease_ms = window_ms;

numbers all_nodes(const fake_cluster& c);

std::string list(const numbers& ns);

// "" when the nodes `expected` are running in one view with quorum whose members are exactly
// they (node i with id i), each showing them Up; otherwise what is wrong first.
std::string view_problem(const fake_cluster& c, const numbers& expected);

// "" when the running nodes of `nodes` have the same database (seq and hash).
std::string database_problem(const fake_cluster& c, const numbers& nodes);

// What the monitors did with `resource` (from `since`), one line per call.
std::string trace_of(const fake_cluster& c, const std::string& resource, time_ms since = 0);

// REQUIRE(ok) showing, when it fails, `what`, every node's state and what the monitors did
// with R1.
void require_state(const fake_cluster& c, bool ok, const std::string& what);

// REQUIRE that the nodes `ns` get into one view (view_problem) within `limit_ms`.
void require_view(fake_cluster& c, const numbers& ns, time_ms limit_ms, const std::string& what);

// The same, and each of them has taken the newest database (database_problem).
void require_settled(fake_cluster& c, const numbers& ns, time_ms limit_ms, const std::string& what);

// The state node `viewer` shows for `node` in GET /nodes ("" when it lists no such node).
std::string node_state_seen(fake_cluster& c, std::size_t viewer, const std::string& node);

// Options for a test that sends nodes broken frames on purpose (fake_node's strict_frames
// off: a dropped frame is not an error).
fake_cluster_options broken_frames_allowed();

// Node 1 forms the cluster alone; then the others start together and join through n1.
void form(fake_cluster& c);

// Nodes (alive: running or frozen) whose default monitor has `resource` Online or on its way.
numbers running_on(const fake_cluster& c, const std::string& resource);

// The node among `candidates` where `group` is Online: the node reports it Online, its
// monitor alone runs each of `resources`, and every running node of `viewers` names it the
// owner. 0 when there is none (yet).
std::size_t placed_on(const fake_cluster& c, const std::string& group, const numbers& candidates,
                      const numbers& viewers,
                      const std::vector<std::string>& resources = {"R1", "R2"});

// The first call of `type` into `resource` that reached a plugin on node `n` at or after
// `since` (any process of the node).
std::optional<cluster_call> first_call(const fake_cluster& c, std::size_t n,
                                       const std::string& resource, const std::string& type,
                                       time_ms since = 0);

// Every run: no resource online on two processes at once, no write the store refused.
void check_safety(const fake_cluster& c);

api_result require_api(fake_cluster& c, std::size_t n, const std::string& method,
                       const std::string& path, const nlohmann::json& body, std::set<int> expected);

// Group G with R1 <- R2 (offline), created through node `via`.
void make_group(fake_cluster& c, std::size_t via);

// Runs until G is Online on `owner` alone and every node names it the owner.
void require_online_on(fake_cluster& c, std::size_t owner, time_ms limit_ms = 3000);

// make_group(c, via), then G moved to `owner` while offline (when another node owns it) and
// brought online there: the set-up of the failover scenarios, which needs only a move and an
// online (online with a destination node has a test of its own).
void make_group_online_on(fake_cluster& c, std::size_t owner, std::size_t via = 2);

}  // namespace wolfpack::cluster::testing
