// Moves without a target, the failover count against FailoverPeriod, and the Joining state of
// a node on its way into the view, on fake_cluster (multinode_support.hpp; SPEC 4.6, 4.7,
// 4.10; docs/semantics.md, "Placement after a node leaves" and "Failover").
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

// `cluster group G /move` without a node, through node `via`: G ends Online on the node the
// answer names, which is returned.
std::size_t move_anywhere(fake_cluster& c, std::size_t via) {
  const auto r = require_api(c, via, "POST", "/groups/G/move", nullptr, {200});
  const auto owner = r.body.value("owner", std::string());
  std::size_t to = 0;
  for (std::size_t n = 1; n <= c.size(); ++n) {
    if (fake_cluster::name_of(n) == owner)
      to = n;
  }
  INFO("the move answered " << r.body.dump());
  REQUIRE(to != 0);
  require_online_on(c, to);
  return to;
}

}  // namespace

TEST_CASE("a move without a target walks the preferred owners from the owner, past paused nodes",
          "[multinode][move]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  require_api(c, 2, "PUT", "/groups/G/owners", {{"nodes", {"node1", "node3", "node2"}}}, {200});
  // From node1 the next preferred owner is node3, then node2, then round to node1.
  CHECK(move_anywhere(c, 2) == 3);
  CHECK(move_anywhere(c, 1) == 2);
  CHECK(move_anywhere(c, 3) == 1);
  // A paused node gets no group: node3 is passed over.
  require_api(c, 1, "POST", "/nodes/node3/pause", nullptr, {200});
  CHECK(move_anywhere(c, 2) == 2);
  // With node1 down and node3 paused, there is nowhere to go: the group stays, online.
  c.crash(1);
  require_state(c,
                c.run_until(
                    [&] {
                      return c.core(2).has_quorum() && c.core(2).members() == ids{2, 3};
                    },
                    5000),
                "node2 and node3 (paused) go on");
  const auto refused = c.api_wait(2, "POST", "/groups/G/move");
  CHECK(refused.body["error"]["code"] == 5005);  // ERROR_HOST_NODE_NOT_AVAILABLE
  CHECK(placed_on(c, "G", {2}, {2, 3}) == 2);
  check_safety(c);
}

TEST_CASE("failovers older than FailoverPeriod no longer count against FailoverThreshold",
          "[multinode][failover]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  // Each failure of R1 fails the group over at once; one failover an hour is allowed, and a
  // Failed group is not tried again by itself for two hours.
  require_api(c, 2, "PUT", "/resources/R1/properties",
              {{"properties", {{"RestartThreshold", 0}, {"RetryPeriodOnFailure", 7200000}}}},
              {200});
  require_api(c, 2, "PUT", "/groups/G/properties",
              {{"properties", {{"FailoverThreshold", 1}, {"FailoverPeriod", 1}}}}, {200});
  const auto all = all_nodes(c);
  const auto owner_now = [&] { return placed_on(c, "G", all, all); };

  REQUIRE(c.node(1).inject_failure("R1"));
  require_state(c, c.run_until([&] { return owner_now() > 1; }, 5000),
                "the first failure moves G off node1");
  const auto second = owner_now();
  // Within the hour the second failure finds the threshold reached: G stays, Failed.
  c.advance(60000);
  REQUIRE(c.node(second).inject_failure("R1"));
  require_state(
      c, c.run_until([&] { return c.core(second).group_state("G") == g_failed; }, 5000),
      "the second failure within FailoverPeriod leaves G Failed on node" + std::to_string(second));
  c.advance(10000);
  CHECK(c.core(second).group_owner("G") == second);
  CHECK(c.core(second).group_state("G") == g_failed);

  // An hour after the first failover it no longer counts: the next failure moves G again.
  c.advance(3600000);
  require_api(c, second, "POST", "/groups/G/online", nullptr, {200, 202});
  require_online_on(c, second);
  REQUIRE(c.node(second).inject_failure("R1"));
  require_state(c,
                c.run_until(
                    [&] {
                      const auto o = owner_now();
                      return o != 0 && o != second;
                    },
                    5000),
                "past FailoverPeriod the failure moves G off node" + std::to_string(second));
  check_safety(c);
}

TEST_CASE("a node on its way into the view is Joining on the others, then Up",
          "[multinode][membership]") {
  fake_cluster c;
  form(c);
  c.crash(3);
  require_view(c, {1, 2}, 5000, "node1 and node2");
  CHECK(node_state_seen(c, 1, "node3") == "Down");
  c.restart(3);
  std::vector<std::string> seen;
  const bool up = c.run_until(
      [&] {
        const auto s = node_state_seen(c, 1, "node3");
        if (seen.empty() || seen.back() != s)
          seen.push_back(s);
        return s == "Up";
      },
      5000);
  std::string states;
  for (const auto& s : seen)
    states += " " + s;
  INFO("node1 showed node3:" << states);
  REQUIRE(up);
  CHECK(seen == std::vector<std::string>{"Down", "Joining", "Up"});
  check_safety(c);
}

TEST_CASE("a request forwarded to an owner the group has just left goes on to the new owner",
          "[multinode][move][forward]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  // node3 forwards a control of R1 to node2; the frame is held back until G has moved to
  // node1, as if node2 had applied the move before it read the request.
  nlohmann::json held;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (!held.is_null() || from != 3 || to != 2 || frame.value("type", "") != "api_fwd")
      return false;
    held = frame;
    return true;
  });
  const auto id = c.api_async(3, "POST", "/resources/R1/control",
                              {{"code", CLUSCTL_RESOURCE_GET_CHARACTERISTICS}, {"out_size", 4}});
  require_state(c, c.run_until([&] { return !held.is_null(); }, 1000), "node3 forwards to node2");
  require_api(c, 2, "POST", "/groups/G/move", {{"node", "node1"}}, {200});
  require_online_on(c, 1);
  const auto at_node1 = c.node(1).commands_of("resource_control").size();
  const auto at_node2 = c.node(2).commands_of("resource_control").size();
  c.node(2).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(held)});
  require_state(c, c.run_until([&] { return c.find_response(3, id) != nullptr; }, 2000),
                "node3's client is answered");
  const auto* r = c.find_response(3, id);
  INFO("answer " << r->status << " " << r->body.dump());
  CHECK(r->status == 200);
  CHECK(c.node(1).commands_of("resource_control").size() == at_node1 + 1);
  CHECK(c.node(2).commands_of("resource_control").size() == at_node2);
  check_safety(c);
}

TEST_CASE("the old owner opens nothing of a group it has let go, whatever its monitor answers late",
          "[multinode][move]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  require_api(c, 2, "POST", "/resourcetypes", {{"name", "Other"}, {"dll", "/fake/other"}}, {201});
  // node2's monitor has not answered the load of R3's type when G leaves for node1.
  c.node(2).hold_resource("Other");
  require_api(c, 2, "POST", "/resources", {{"name", "R3"}, {"group", "G"}, {"type", "Other"}},
              {201});
  REQUIRE(c.node(2).held_count() == 1);
  // node2 applies the move last: its copy of the update is held back.
  std::vector<std::pair<std::size_t, nlohmann::json>> late;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (to != 2 || frame.value("type", "") != "gum_apply")
      return false;
    late.emplace_back(from, frame);
    return true;
  });
  const auto move = c.api_async(2, "POST", "/groups/G/move", {{"node", "node1"}});
  require_state(c, c.run_until([&] { return running_on(c, "R1") == numbers{1}; }, 3000),
                "G comes online on node1 while node2 has not applied the move");
  const auto since = c.now();
  c.node(2).release_held();
  c.set_frame_filter(nullptr);
  for (auto& [from, frame] : late) {
    c.node(2).deliver(in_peer_frame{static_cast<std::uint32_t>(from),
                                    std::make_shared<const nlohmann::json>(frame)});
  }
  require_state(c, c.run_until([&] { return c.find_response(2, move) != nullptr; }, 3000),
                "the move is answered");
  require_settled(c, {1, 2, 3}, 3000, "one view, one database");
  INFO(trace_of(c, "R3", since));
  CHECK_FALSE(first_call(c, 2, "R3", "open", since));
  check_safety(c);
}

TEST_CASE("a group stays let go while its move waits, even when the owner takes a newer database",
          "[multinode][move]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  // node2's requests do not reach the locker, and node2 misses the locker's updates.
  bool cut = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    const auto type = frame.value("type", "");
    return cut && ((from == 2 && to == 1 && type == "gum_req") ||
                   (from == 1 && to == 2 && type == "gum_apply"));
  });
  // An update of node2's own waits; node1's applies on node1 and node3 only.
  c.api_async(2, "PUT", "/groups/G/properties", {{"properties", {{"Description", "by 2"}}}});
  c.api_async(1, "PUT", "/groups/G/properties", {{"properties", {{"Description", "by 1"}}}});
  c.advance(20);
  // The move lets G go at once and waits for node2's own update before it is proposed.
  const auto move = c.api_async(2, "POST", "/groups/G/move", {{"node", "node1"}});
  require_state(c, c.run_until([&] { return running_on(c, "R1").empty(); }, 2000),
                "node2 lets G go");
  const auto released = c.now();
  // node3 crashes: in the view of node1 and node2, node2 takes node1's newer database (G
  // looks gone while it does, and back after), and the start gate opens.
  c.crash(3);
  require_settled(c, {1, 2}, 5000, "node1 and node2, one database");
  REQUIRE_FALSE(c.node(2).db_replacements().empty());
  c.advance(3 * window_ms);
  CHECK(running_on(c, "R1").empty());
  cut = false;
  require_state(c, c.run_until([&] { return c.find_response(2, move) != nullptr; }, 5000),
                "the move is answered");
  require_state(c, c.run_until([&] { return running_on(c, "R1") == numbers{1}; }, 3000),
                "G runs on node1");
  INFO(trace_of(c, "R1", released));
  CHECK_FALSE(first_call(c, 2, "R1", "online", released));
  check_safety(c);
}

TEST_CASE("a request forwarded to an owner that leaves the membership is answered",
          "[multinode][forward]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  // node3 forwards an online of G to node2, which never gets it and then crashes.
  c.set_frame_filter([](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return from == 3 && to == 2 && frame.value("type", "") == "api_fwd";
  });
  const auto id = c.api_async(3, "POST", "/groups/G/offline");
  c.advance(50);
  REQUIRE(c.find_response(3, id) == nullptr);
  c.crash(2);
  require_state(c, c.run_until([&] { return c.find_response(3, id) != nullptr; }, 3000),
                "node3's client is answered once node2 has left");
  const auto* r = c.find_response(3, id);
  INFO(r->body.dump());
  CHECK(r->status == 503);
  CHECK(r->body["error"]["code"] == 5072);  // ERROR_CLUSTER_NODE_NOT_READY
  check_safety(c);
}

TEST_CASE("a move cut off by the node's fencing is answered", "[multinode][move]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  // R1's offline never comes back from node2's monitor: the release of G does not finish.
  c.node(2).hold_resource("R1");
  const auto move = c.api_async(2, "POST", "/groups/G/move", {{"node", "node1"}});
  c.advance(100);
  REQUIRE(c.find_response(2, move) == nullptr);
  // node2 is cut off and leaves the membership: its client must hear that the move stopped.
  c.partition({{1, 3}, {2}});
  require_state(c, c.run_until([&] { return c.find_response(2, move) != nullptr; }, 3000),
                "the move is answered once node2 is fenced");
  const auto* r = c.find_response(2, move);
  INFO(r->body.dump());
  CHECK(r->status / 100 != 2);
  CHECK(r->body.dump().find("abandoned") != std::string::npos);
  c.node(2).hold_resource("R1", false);
  c.node(2).release_held();
  c.heal();
  require_settled(c, {1, 2, 3}, 5000, "one view again");
  check_safety(c);
}
