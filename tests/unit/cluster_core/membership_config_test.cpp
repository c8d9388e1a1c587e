// Membership against the cluster's newest configuration (docs/semantics.md, "Evicted nodes"
// and "Quorum"): a node whose database predates nodes added or evicted meanwhile counts votes
// as the newest database among the nodes it reaches says, an evicted node started again with
// its old database stays out (whichever ids, whoever coordinates, whoever holds the witness),
// and node ids are never given twice. Scenarios on fake_cluster (multinode_support.hpp).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

bool in_one_view(const fake_cluster& c, const numbers& ns) {
  return view_problem(c, ns).empty();
}

bool logged(const fake_cluster& c, std::size_t n, const std::string& text) {
  const auto& lines = c.node(n).logs();
  return std::any_of(lines.begin(), lines.end(),
                     [&](const auto& l) { return l.message.find(text) != std::string::npos; });
}

// Runs for `ms` and tells whether node `n` was ever in a view with quorum meanwhile.
bool ever_member(fake_cluster& c, std::size_t n, time_ms ms) {
  bool member = false;
  c.run_until(
      [&] {
        member = member || (c.running(n) && c.core(n).has_quorum());
        return false;
      },
      ms);
  return member;
}

// Five nodes; node `stale` crashes, then node `evicted`, and the other three evict `evicted`
// and create group "after-evict": `stale`'s database still lists `evicted`.
void evict_while_another_is_down(fake_cluster& c, std::size_t stale, std::size_t evicted) {
  form(c);
  numbers rest = all_nodes(c);
  c.crash(stale);
  std::erase(rest, stale);
  require_view(c, rest, 10000, "without node" + std::to_string(stale));
  c.crash(evicted);
  std::erase(rest, evicted);
  require_view(c, rest, 10000, "three left");
  require_api(c, rest.front(), "POST", "/nodes/node" + std::to_string(evicted) + "/evict", nullptr,
              {200});
  require_api(c, rest.front(), "POST", "/groups", {{"name", "after-evict"}}, {201});
}

// Nodes 1, 2 and 3 form, then node3 crashes: a view of node1 and node2.
void three_then_two(fake_cluster& c) {
  c.start(1);
  require_state(c, c.run_until([&] { return c.core(1).has_quorum(); }, 5000), "node1 forms");
  c.start(2);
  c.start(3);
  require_view(c, {1, 2, 3}, 10000, "three nodes");
  c.crash(3);
  require_view(c, {1, 2}, 10000, "1 and 2 without node3");
}

// Nodes 1, 2 and 3 form; node1 crashes; 4 and 5 join through node2; node2 crashes. Nodes 3, 4
// and 5 are a view of five configured nodes; node1's database lists 1..3 only.
void grow_without_node1(fake_cluster& c) {
  c.start(1);
  require_state(c, c.run_until([&] { return c.core(1).has_quorum(); }, 5000), "node1 forms");
  c.start(2);
  c.start(3);
  require_view(c, {1, 2, 3}, 10000, "three nodes");
  c.crash(1);
  require_view(c, {2, 3}, 10000, "2 and 3");
  c.restart(4, std::vector<std::string>{"n2"});
  require_view(c, {2, 3, 4}, 10000, "node4 joins");
  c.restart(5, std::vector<std::string>{"n2"});
  require_view(c, {2, 3, 4, 5}, 10000, "node5 joins");
  c.crash(2);
  require_view(c, {3, 4, 5}, 10000, "3, 4 and 5");
}

// After grow_without_node1 and a write by 3, 4 and 5: they stop; node1 (its database lists
// 1..3) and node2 (1..5) start, a majority only of node1's configuration, and must not form;
// then 3, 4 and 5 start and `members` form with the newest database.
void old_nodes_first(fake_cluster& c, const numbers& members) {
  c.advance(1000);
  for (std::size_t n : {3, 4, 5})
    c.crash(n);
  c.restart(2, std::vector<std::string>{});
  c.restart(1, std::vector<std::string>{});
  CHECK_FALSE(ever_member(c, 1, 10000));
  CHECK_FALSE(c.core(2).has_quorum());
  for (std::size_t n : {3, 4, 5})
    c.restart(n, std::vector<std::string>{});
  require_settled(c, members, 30000, "with 3, 4 and 5 back");
}

}  // namespace

TEST_CASE("an evicted node started again with its old database never gets back into a view",
          "[multinode][evict]") {
  fake_cluster c;
  form(c);
  c.crash(3);
  require_view(c, {1, 2}, 5000, "node1 and node2 go on without node3");
  require_api(c, 1, "POST", "/nodes/node3/evict", nullptr, {200});
  const auto epoch = c.core(1).view_epoch();
  const auto seq = c.core(1).database_seq();

  // Its database still names it a member of a three-node cluster; the others' no longer do.
  c.restart(3, std::vector<std::string>{});
  CHECK_FALSE(ever_member(c, 3, 5000));
  CHECK(in_one_view(c, {1, 2}));
  CHECK(c.core(1).view_epoch() == epoch);  // not a single regroup for it
  const auto write = c.api_wait(3, "POST", "/groups", {{"name", "through the evicted node"}});
  CHECK(write.status / 100 != 2);
  CHECK(c.core(1).database_seq() == seq);
  CHECK(c.api(1, "GET", "/nodes/node3").status == 404);
  CHECK(logged(c, 1, "an evicted node, kept out of the membership"));
  CHECK(logged(c, 3, "it was evicted from the cluster"));
  CHECK(logged(c, 3, "cluster node node3 /forcecleanup"));
  check_safety(c);
}

TEST_CASE("a node down during an eviction comes back with the others, the evicted one stays out",
          "[multinode][evict]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  // node1, the lowest id, coordinates with a database that still lists node2.
  evict_while_another_is_down(c, 1, 2);
  c.restart(2, std::vector<std::string>{});
  c.restart(1, std::vector<std::string>{});
  bool evicted_in_view = false;
  const bool formed = c.run_until(
      [&] {
        for (std::size_t n = 1; n <= 5; ++n) {
          if (c.running(n) && c.core(n).has_quorum()) {
            const auto m = c.core(n).members();
            evicted_in_view = evicted_in_view || std::find(m.begin(), m.end(), 2u) != m.end();
          }
        }
        return in_one_view(c, {1, 3, 4, 5});
      },
      20000);
  require_state(c, formed, "node1 rejoins 3, 4 and 5: " + view_problem(c, {1, 3, 4, 5}));
  require_settled(c, {1, 3, 4, 5}, 5000, "node1 takes the newest database");
  CHECK_FALSE(evicted_in_view);
  CHECK(c.api_wait(3, "POST", "/groups", {{"name", "written after"}}).status == 201);
  for (auto n : {1, 3, 4, 5}) {
    CAPTURE(n);
    CHECK(c.api(n, "GET", "/groups/after-evict").status == 200);
    CHECK(c.api(n, "GET", "/nodes/node2").status == 404);
  }
  check_safety(c);
}

TEST_CASE("the evicted node has the lowest id and a member's database predates the eviction",
          "[multinode][evict]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  // node2 still lists node1, which would be its coordinator; 3, 4 and 5 never answer node1.
  evict_while_another_is_down(c, 2, 1);
  c.restart(1, std::vector<std::string>{});
  c.restart(2, std::vector<std::string>{});
  require_settled(c, {2, 3, 4, 5}, 30000, "node2 back with 3, 4 and 5");
  CHECK_FALSE(c.core(1).has_quorum());
  // And the cluster still fails over: node5 goes, the four left regroup.
  c.crash(5);
  require_view(c, {2, 3, 4}, 30000, "2, 3 and 4 after node5 crashed");
  CHECK_FALSE(c.core(1).has_quorum());
  check_safety(c);
}

TEST_CASE("after the eviction all five stop and start again at once: the evicted one stays out",
          "[multinode][evict]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  evict_while_another_is_down(c, 2, 1);
  c.advance(1000);
  for (std::size_t n : {3, 4, 5})
    c.crash(n);
  for (std::size_t n = 1; n <= 5; ++n)
    c.restart(n, std::vector<std::string>{});
  require_settled(c, {2, 3, 4, 5}, 30000, "the four members form again");
  CHECK_FALSE(c.core(1).has_quorum());
  for (auto n : {2, 3, 4, 5}) {
    CAPTURE(n);
    CHECK(c.api(n, "GET", "/groups/after-evict").status == 200);
  }
  check_safety(c);
}

TEST_CASE("two nodes of an old configuration are no quorum of the cluster that grew without them",
          "[multinode][quorum]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  grow_without_node1(c);
  require_api(c, 3, "POST", "/groups", {{"name", "by-3-4-5"}}, {201});
  old_nodes_first(c, {1, 2, 3, 4, 5});
  for (std::size_t n = 1; n <= 5; ++n) {
    CAPTURE(n);
    CHECK(c.api(n, "GET", "/groups/by-3-4-5").status == 200);
  }
  check_safety(c);
}

TEST_CASE("a stale coordinator and an evicted node cannot form without the members that know",
          "[multinode][evict][quorum]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  grow_without_node1(c);
  require_api(c, 3, "POST", "/nodes/node2/evict", nullptr, {200});
  require_api(c, 3, "POST", "/groups", {{"name", "after-evict"}}, {201});
  old_nodes_first(c, {1, 3, 4, 5});
  CHECK_FALSE(c.core(2).has_quorum());
  for (auto n : {1, 3, 4, 5}) {
    CAPTURE(n);
    CHECK(c.api(n, "GET", "/groups/after-evict").status == 200);
    CHECK(c.api(n, "GET", "/nodes/node2").status == 404);
  }
  check_safety(c);
}

TEST_CASE("an evicted node holding the witness gives it up to the members that need it",
          "[multinode][evict][witness]") {
  fake_cluster c(fake_cluster_options{.nodes = 4, .witness_interval_ms = 1000});
  c.start(1);
  require_state(c, c.run_until([&] { return c.core(1).has_quorum(); }, 5000), "node1 forms");
  c.start(2);
  require_view(c, {1, 2}, 10000, "two nodes");
  require_api(c, 1, "POST", "/groups", {{"name", "Cluster Group"}}, {201});
  require_api(c, 1, "POST", "/resources",
              {{"name", "Witness"}, {"group", "Cluster Group"}, {"type", "File Share Witness"}},
              {201});
  require_api(c, 1, "PUT", "/cluster/quorum", {{"resource", "Witness"}}, {200});
  require_state(c, c.run_until([&] { return c.witness()->current().holder.has_value(); }, 5000),
                "the witness is held");
  c.advance(2000);
  c.crash(2);
  require_view(c, {1}, 10000, "node1 with the witness");
  c.start(3);
  require_view(c, {1, 3}, 20000, "node3 joins");
  c.start(4);
  require_view(c, {1, 3, 4}, 20000, "node4 joins");
  c.advance(2000);
  c.crash(1);
  require_view(c, {3, 4}, 20000, "3 and 4 with the witness");
  require_api(c, 3, "POST", "/nodes/node2/evict", nullptr, {200});
  c.advance(3000);
  c.crash(3);
  c.crash(4);
  c.advance(3000);
  // node2 alone, with its database of two nodes and a witness, takes the free witness (the
  // witness record keeps it from forming).
  c.restart(2, std::vector<std::string>{});
  CHECK_FALSE(ever_member(c, 2, 6000));
  c.restart(1, std::vector<std::string>{});
  c.restart(3, std::vector<std::string>{});
  require_view(c, {1, 3}, 40000, "node1 and node3 with the witness");
  const auto holder = c.witness()->current().holder;
  REQUIRE(holder);
  CHECK(holder->first != 2);
  CHECK_FALSE(c.core(2).has_quorum());
  check_safety(c);
}

TEST_CASE("node ids are never given twice: a node joining after an eviction gets a new one",
          "[multinode][evict][join]") {
  fake_cluster c(fake_cluster_options{.nodes = 4});
  three_then_two(c);
  require_api(c, 1, "POST", "/nodes/node3/evict", nullptr, {200});
  // node4 joins: id 4 (view_problem checks that node i has id i), not the evicted node's 3.
  c.start(4);
  require_view(c, {1, 2, 4}, 20000, "node4 joins as node 4");
  // The old node3 comes back with its database and its id: it is not node4 and stays out.
  c.restart(3, std::vector<std::string>{});
  CHECK_FALSE(ever_member(c, 3, 5000));
  CHECK(in_one_view(c, {1, 2, 4}));
  CHECK(c.api(1, "GET", "/nodes/node4").body.value("id", "") == "4");
  // A client cannot lower the floor of the ids through the registry API.
  const auto put = c.api_wait(
      1, "PUT", "/registry/values",
      {{"key", ""}, {"name", "HighestNodeId"}, {"value", {{"type", "DWORD"}, {"value", 1}}}});
  CHECK(put.body["error"]["code"] == 5);
  check_safety(c);
}

TEST_CASE("a view that grew its configuration past its votes orders nothing more",
          "[multinode][quorum][join]") {
  fake_cluster c(fake_cluster_options{.nodes = 5});
  three_then_two(c);
  // node4 joins through node1 and crashes once it has its id and the database, before a
  // regroup takes it in: 1 and 2 are 2 of 4 votes now.
  c.start(4);
  require_state(c,
                c.run_until(
                    [&] {
                      return c.core(4).node_id() == 4 &&
                             c.core(4).database().get("Nodes\\4", "NodeName").has_value();
                    },
                    5000),
                "node4 has joined");
  c.crash(4);
  // Nothing more is ordered: a write through node1 is not acknowledged, and 1 and 2 stop.
  const auto write = c.api_wait(1, "POST", "/groups", {{"name", "by-1"}});
  CHECK(write.status / 100 != 2);
  require_state(
      c, c.run_until([&] { return !c.core(1).has_quorum() && !c.core(2).has_quorum(); }, 5000),
      "1 and 2 have no quorum of four nodes");
  CHECK(logged(c, 1, "has no quorum of the configuration as it is now"));
  // Node3 and node4 back: one view of four, every write acknowledged anywhere still there.
  c.restart(3, std::vector<std::string>{});
  c.restart(4, std::vector<std::string>{});
  require_settled(c, {1, 2, 3, 4}, 30000, "four nodes");
  CHECK((write.status / 100 == 2) == (c.api(3, "GET", "/groups/by-1").status == 200));
  check_safety(c);
}

TEST_CASE("a joiner whose acceptance was lost gets the database from a sponsor that lost quorum",
          "[multinode][quorum][join]") {
  fake_cluster c(fake_cluster_options{.nodes = 2});
  c.start(1);
  require_state(c, c.run_until([&] { return c.core(1).has_quorum(); }, 1000), "node1 forms");
  // node1 adds node2 to the configuration (1 of 2 votes now), but the answer that carries the
  // database never reaches node2, and no regroup takes it in: node1 stops ordering and
  // leaves its view a window later.
  bool lose = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return lose && from == 1 && to == 2 && frame.value("type", "") == "join_accept";
  });
  c.start(2);
  require_state(c,
                c.run_until(
                    [&] {
                      return c.core(1).database().get("Nodes\\2", "NodeName").has_value() &&
                             !c.core(1).has_quorum();
                    },
                    5000),
                "node1 added node2 and lost quorum");
  lose = false;
  // node2 is in the configuration: it must be able to get the database and come in, or
  // neither node ever has quorum again.
  require_settled(c, {1, 2}, 10000, "one view of the two nodes");
  check_safety(c);
}

TEST_CASE("a member that lost its state gets no database from a sponsor without quorum",
          "[multinode][quorum][join]") {
  fake_cluster c;
  form(c);
  // node3 is cut off: node1 and node2 (2 of 3 votes) go on and commit a new group.
  c.partition({{1, 2}, {3}});
  require_view(c, {1, 2}, 5000, "node1 and node2 without node3");
  require_api(c, 1, "POST", "/groups", {{"name", "acked"}}, {201});
  // node1 stops; node2 loses its state directory and starts again with --join n3. node3,
  // alone, has no quorum and a database without the group: node2 must not take it and form
  // a view with node3 (its vote committed the group).
  c.crash(1);
  c.crash(2);
  c.heal();
  c.advance(2 * window_ms);
  REQUIRE_FALSE(c.core(3).has_quorum());
  c.restart_empty(2, {"n3"});
  c.advance(10000);
  for (std::size_t n : {2, 3}) {
    CAPTURE(n);
    if (c.core(n).has_quorum())
      CHECK(c.api(n, "GET", "/groups/acked").status == 200);
  }
  // Once node1 is back, all three have the group.
  c.restart(1);
  require_settled(c, {1, 2, 3}, 10000, "the three nodes");
  for (std::size_t n : {1, 2, 3}) {
    CAPTURE(n);
    CHECK(c.api(n, "GET", "/groups/acked").status == 200);
  }
  check_safety(c);
}
