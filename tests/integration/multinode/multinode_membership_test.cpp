// Forming a cluster of three real nodes, and forming it again after a full stop.

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "multinode_fixture.hpp"

using namespace wolfpack::itest;
using clock_type = std::chrono::steady_clock;

TEST_CASE("three nodes form one cluster: all Up on every node with the same database",
          "[multinode]") {
  const auto started = clock_type::now();
  multinode_cluster c(3);
  WARN("three nodes formed (started, joined, all Up in one view) in " << ms_since(started)
                                                                      << " ms");

  std::optional<cluster_view> first;
  for (const auto& observer : c.names()) {
    INFO("observer " << observer);
    const auto v = c.view(observer);
    REQUIRE(v);
    CHECK(v->node_states ==
          std::map<std::string, std::string>{{"node1", "Up"}, {"node2", "Up"}, {"node3", "Up"}});
    if (!first) {
      first = v;
    } else {
      CHECK(v->db_hash == first->db_hash);
      CHECK(v->db_seq == first->db_seq);
    }
    // Each node knows who it is, and the cluster lists the three.
    const auto cluster = api_ok(c.node(observer), "GET", "/cluster");
    CHECK(cluster.at("node") == observer);
    CHECK(cluster.at("nodes").size() == 3);
  }

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}

TEST_CASE(
    "stopped nodes started again in another order on their old ports form the same cluster and "
    "bring the online group back",
    "[multinode]") {
  multinode_cluster c(3);
  create_dummy_group(c.node("node2"), "G", {"R1", "R2", "R3"});
  api_ok(c.node("node2"), "POST", "/groups/G/online", json::object());
  REQUIRE(c.wait_group_online("G", c.names()) == "node2");
  // An offline group and some properties, so that the database holds more than one group.
  create_dummy_group(c.node("node1"), "Idle", {"I1"});
  api_ok(c.node("node3"), "PUT", "/groups/Idle/properties",
         json{{"properties", {{"Description", "kept across the restart"}}}});
  REQUIRE(c.wait_one_view(c.names()));
  const auto before = c.view("node1");
  REQUIRE(before);
  // What the cluster holds, apart from which node owns a group: a node that stops first
  // leaves cleanly and its groups may move to a node still running (docs/semantics.md, "A
  // clean stop"), which changes OwnerNode and so the database's hash.
  const auto holdings = [&](const std::string& node) {
    std::vector<std::string> out;
    for (const auto* what : {"groups", "resources"}) {
      const auto listed = api_ok(c.node(node), "GET", std::string("/") + what);
      for (const auto& o : listed.at(what))
        out.push_back(std::string(what) + ":" + o.at("name").get<std::string>() + ":" +
                      o.at("id").get<std::string>());
    }
    return out;
  };
  const auto held_before = holdings("node1");

  std::map<std::string, std::string> peer;
  for (const auto& n : c.names()) {
    peer[n] = c.node(n).peer_address();
    REQUIRE_FALSE(peer[n].empty());
  }

  // All three at once: SIGTERM, each exits 0, no monitor left behind.
  const auto stopping = clock_type::now();
  REQUIRE(c.shut_down() == "");
  REQUIRE(c.processes_of_dir().empty());
  WARN("three nodes stopped (SIGTERM, exit 0) in " << ms_since(stopping) << " ms");

  // Again, node3 first; no --join: their databases list each other at the old addresses.
  const auto restarting = clock_type::now();
  for (const auto& n : {"node3", "node2", "node1"}) {
    c.start(n, std::nullopt, peer[n]);
  }
  REQUIRE(c.wait_one_view(c.names(), 60s));
  const auto formed_ms = ms_since(restarting);
  const auto owner = c.wait_group_online("G", c.names(), {}, 30s);
  CHECK_FALSE(owner.empty());
  WARN("restarted in the order node3, node2, node1: one view after "
       << formed_ms << " ms, G Online on " << owner << " after " << ms_since(restarting) << " ms");

  const auto after = c.view("node1");
  REQUIRE(after);
  INFO("before: db_seq " << before->db_seq << " db_hash " << before->db_hash);
  INFO("after:  db_seq " << after->db_seq << " db_hash " << after->db_hash);
  CHECK(after->db_seq >= before->db_seq);
  CHECK(holdings("node1") == held_before);
  for (const auto& n : c.names()) {
    const auto idle = api_ok(c.node(n), "GET", "/groups/Idle/properties");
    CHECK(idle.at("properties").at("Description").at("value") == "kept across the restart");
    CHECK(api_ok(c.node(n), "GET", "/groups/Idle").at("state") == "Offline");
  }

  CHECK(c.shut_down() == "");
  CHECK(c.processes_of_dir().empty());
}
