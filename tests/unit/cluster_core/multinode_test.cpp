// Several node_cores on one virtual clock (fake_cluster): forming and joining, global updates
// in one order, placement and failover after a crash, a frozen owner fenced by its lease, a
// partition, a full stop and restart, a move, and quorum of two nodes (SPEC 4.6, 5.1-5.6;
// docs/internals/multinode.md).
//
// The lab: cluster "lab", node1..node3 listening at n1..n3, heartbeat every 100 ms, suspicion
// after 5 missed (500 ms), lease = the heartbeat window. node1 forms; the others join through
// n1. Group G holds Dummy resources R1 <- R2 (R2 depends on R1), in the default monitor.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "test_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

TEST_CASE("three nodes form one cluster: node1 forms, node2 and node3 join through it",
          "[multinode][membership]") {
  fake_cluster c;
  c.start(1);
  REQUIRE(c.run_until([&] { return c.core(1).has_quorum(); }, 1000));
  const auto t0 = c.now();
  c.start(2);
  c.start(3);
  const numbers all{1, 2, 3};
  const bool formed = c.run_until(
      [&] { return view_problem(c, all).empty() && database_problem(c, all).empty(); }, 3000);
  require_state(
      c, formed,
      "one view of three within 3 s: " + view_problem(c, all) + " " + database_problem(c, all));
  CHECK(c.now() - t0 <= 3000);

  std::optional<nlohmann::json> first_cluster;
  for (auto n : all) {
    CAPTURE(n);
    CHECK(c.core(n).node_id() == n);
    CHECK(c.core(n).view_epoch() == c.core(1).view_epoch());
    CHECK(c.core(n).members() == ids{1, 2, 3});

    auto nodes = c.api(n, "GET", "/nodes");
    INFO(nodes.body.dump());
    REQUIRE(nodes.status == 200);
    REQUIRE(nodes.body["nodes"].size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
      const auto& v = nodes.body["nodes"][k];
      CHECK(v["name"] == fake_cluster::name_of(k + 1));
      CHECK(v["state"] == "Up");
      CHECK(v["code"] == 0);
    }

    auto cluster = c.api(n, "GET", "/cluster");
    INFO(cluster.body.dump());
    REQUIRE(cluster.status == 200);
    CHECK(cluster.body["name"] == "lab");
    CHECK(cluster.body["node"] == fake_cluster::name_of(n));
    CHECK(cluster.body["nodes"] == nlohmann::json::array({"node1", "node2", "node3"}));
    if (first_cluster) {
      CHECK(cluster.body["db_hash"] == (*first_cluster)["db_hash"]);
      CHECK(cluster.body["db_seq"] == (*first_cluster)["db_seq"]);
    } else {
      first_cluster = cluster.body;
    }
  }
  check_safety(c);
}

TEST_CASE("nodes that join at once get one id each, whichever member sponsors them",
          "[multinode][membership]") {
  // The sponsor's updates wait behind others at the locker: ids are reserved until the join
  // commits, and a sponsor that is not the locker relays the join to it.
  fake_cluster_options o;
  o.nodes = 12;
  fake_cluster c(o);
  c.start(1);
  REQUIRE(c.run_until([&] { return c.core(1).has_quorum(); }, 1000));
  c.start(2);
  REQUIRE(c.run_until([&] { return view_problem(c, {1, 2}).empty(); }, 3000));
  for (std::size_t i = 3; i <= c.size(); ++i)
    c.restart(i, std::vector<std::string>{fake_cluster::address_of(i % 2 == 0 ? 1 : 2)});
  // Ids are given in the order the joins commit: what matters is one each, and one view.
  auto problem = [&]() -> std::string {
    std::set<std::uint32_t> seen;
    for (std::size_t i = 1; i <= c.size(); ++i) {
      const auto id = c.core(i).node_id();
      if (id == 0 || !seen.insert(id).second)
        return fake_cluster::name_of(i) + " has id " + std::to_string(id);
      if (!c.core(i).has_quorum() || c.core(i).members().size() != c.size() ||
          c.core(i).view_epoch() != c.core(1).view_epoch())
        return fake_cluster::name_of(i) + " is not in the one view of all";
    }
    return database_problem(c, all_nodes(c));
  };
  const bool formed = c.run_until([&] { return problem().empty(); }, 10000);
  require_state(c, formed, problem());
}

TEST_CASE("global updates sent to every node at once are applied in one order everywhere",
          "[multinode][gum]") {
  fake_cluster c;
  form(c);
  require_api(c, 1, "POST", "/groups", {{"name", "G"}}, {201});
  const std::string g_path = "Groups\\" + c.api(1, "GET", "/groups/G").body.value("id", "");

  struct request {
    std::size_t node = 0;
    std::uint64_t id = 0;
    int expected = 200;
    std::string what;
  };
  std::vector<request> sent;
  for (int i = 0; i < 300; ++i) {
    const std::size_t n = static_cast<std::size_t>(i % 3) + 1;
    const auto d = "d" + std::to_string(i);
    sent.push_back(
        {n, c.api_async(n, "PUT", "/groups/G/properties", {{"properties", {{"Description", d}}}}),
         200, "Description " + d});
    // Other writes in between: the cluster's properties and new groups.
    if (i % 20 == 9) {
      const auto v = "c" + std::to_string(i);
      sent.push_back(
          {n, c.api_async(n, "PUT", "/cluster/properties", {{"properties", {{"Description", v}}}}),
           200, "cluster Description " + v});
    } else if (i % 20 == 19) {
      const auto h = "H" + std::to_string(i);
      sent.push_back(
          {n, c.api_async(n, "POST", "/groups", {{"name", h}}), 201, "create group " + h});
    }
  }
  const bool answered = c.run_until(
      [&] {
        return std::all_of(sent.begin(), sent.end(),
                           [&](const request& r) { return c.response(r.node, r.id).has_value(); });
      },
      60000);
  require_state(c, answered, "every write answered");
  for (const auto& r : sent) {
    const auto answer = c.response(r.node, r.id);
    INFO(r.what << " through node" << r.node << ": " << answer->status << " "
                << answer->body.dump());
    REQUIRE(answer->status == r.expected);
  }

  const auto all = all_nodes(c);
  const bool same = c.run_until([&] { return database_problem(c, all).empty(); }, 2000);
  require_state(c, same, "the same database everywhere: " + database_problem(c, all));
  auto first = c.api(1, "GET", "/cluster").body;
  auto description = c.api(1, "GET", "/groups/G/properties").body["properties"]["Description"];
  for (auto n : all) {
    CAPTURE(n);
    auto cluster = c.api(n, "GET", "/cluster").body;
    CHECK(cluster["db_hash"] == first["db_hash"]);
    CHECK(cluster["db_seq"] == first["db_seq"]);
    CHECK(c.api(n, "GET", "/groups/G/properties").body["properties"]["Description"] == description);
  }

  // One order: an update with a given seq is the same update on every node.
  std::map<std::uint64_t, std::pair<std::size_t, db_update>> by_seq;
  for (auto n : all) {
    for (const auto& u : c.node(n).db_writes()) {
      auto [it, added] = by_seq.try_emplace(u.seq, n, u);
      if (!added) {
        INFO("seq " << u.seq << " on node" << n << ": " << to_json(u).dump() << "\non node"
                    << it->second.first << ": " << to_json(it->second.second).dump());
        CHECK(it->second.second == u);
      }
    }
  }
  // Every acknowledged Description is in that order, and the one the group has is the last.
  std::string last;
  std::set<std::string> written;
  for (const auto& [seq, entry] : by_seq) {
    for (const auto& op : entry.second.ops) {
      if (op.op == db_op::kind::set_value && op.path == g_path && op.name == "Description" &&
          op.value.type == wolfpack::value_type::sz) {
        last = op.value.as_string();
        written.insert(last);
      }
    }
  }
  for (int i = 0; i < 300; ++i) {
    INFO("d" << i);
    CHECK(written.contains("d" + std::to_string(i)));
  }
  CHECK(description["value"] == last);
  check_safety(c);
}

namespace {

// Three nodes formed, and group G with two Dummy resources A and B (offline).
void form_with_a_and_b(fake_cluster& c) {
  form(c);
  require_api(c, 1, "POST", "/groups", {{"name", "G"}}, {201});
  for (const auto* name : {"A", "B"})
    require_api(c, 1, "POST", "/resources", {{"name", name}, {"group", "G"}, {"type", "Dummy"}},
                {201});
}

}  // namespace

TEST_CASE("two dependencies asked at once through two nodes never make a cycle",
          "[multinode][gum]") {
  fake_cluster c;
  form_with_a_and_b(c);
  // Each passes the asking node's check (neither dependency exists yet); the locker orders
  // both and must refuse the second.
  const auto a = c.api_async(2, "POST", "/resources/A/dependencies", {{"provider", "B"}});
  const auto b = c.api_async(3, "POST", "/resources/B/dependencies", {{"provider", "A"}});
  REQUIRE(c.run_until([&] { return c.response(2, a) && c.response(3, b); }, 2000));
  const auto first = c.response(2, a)->status;
  const auto second = c.response(3, b)->status;
  INFO("A on B: " << first << ", B on A: " << second);
  CHECK(((first == 201) != (second == 201)));
  // Whichever won, the database has one of the two dependencies, not both.
  const auto providers = [&](const std::string& r) {
    return c.api(1, "GET", "/resources/" + r + "/dependencies").body["dependencies"];
  };
  INFO("A depends on " << providers("A").dump() << ", B on " << providers("B").dump());
  CHECK(providers("A").size() + providers("B").size() == 1);
}

TEST_CASE("a dependency and its provider's deletion asked at once: never a DependsOn on nothing",
          "[multinode][gum]") {
  fake_cluster c;
  form_with_a_and_b(c);
  // Each passes the asking node's check (B has no dependent yet); the locker orders both, in
  // either order, and must refuse the second (seed 169 of the simulator found it).
  const auto dep = c.api_async(2, "POST", "/resources/A/dependencies", {{"provider", "B"}});
  const auto del = c.api_async(3, "DELETE", "/resources/B");
  REQUIRE(c.run_until([&] { return c.response(2, dep) && c.response(3, del); }, 2000));
  const auto added = c.response(2, dep)->status == 201;
  const auto deleted = c.response(3, del)->status == 204;
  INFO("dependency: " << c.response(2, dep)->body.dump()
                      << ", delete: " << c.response(3, del)->body.dump());
  CHECK(added != deleted);
  const auto providers = c.api(1, "GET", "/resources/A/dependencies").body["dependencies"];
  CHECK(providers.size() == (added ? 1u : 0u));
  CHECK((c.api(1, "GET", "/resources/B").status == 200) == added);
}

TEST_CASE("a member does not apply a locker's update on top of another history of its seq",
          "[multinode][gum]") {
  // The locker's update N+1 follows its update N; a member whose update N came from another
  // view (a locker that was cut off, Raft's "figure 8") must take the locker's database
  // instead of applying N+1 on top of what it has.
  fake_cluster c;
  form(c);
  require_api(c, 1, "PUT", "/cluster/properties", {{"properties", {{"Description", "before"}}}},
              {200});
  REQUIRE(c.run_until([&] { return database_problem(c, all_nodes(c)).empty(); }, 2000));
  const auto seq = c.core(2).database_seq();
  const auto epoch = c.core(2).database().get_qword("", "GumEpoch", 0);
  nlohmann::json op{{"op", "set_value"},
                    {"path", ""},
                    {"name", "Description"},
                    {"value", {{"type", "SZ"}, {"value", "other history"}}}};
  nlohmann::json update{{"seq", seq + 1},
                        {"base_epoch", epoch + 1},
                        {"ops", nlohmann::json::array({op})},
                        {"events", nlohmann::json::array()},
                        {"origin", 1},
                        {"rid", 424242}};
  c.node(2).deliver(in_peer_frame{1, std::make_shared<const nlohmann::json>(nlohmann::json{
                                         {"type", "gum_apply"},
                                         {"epoch", c.core(2).view_epoch()},
                                         {"updates", nlohmann::json::array({update})}})});
  CHECK(c.core(2).database_seq() == seq);
  CHECK(c.node(2).logged("taking the locker's database"));
  REQUIRE(c.run_until([&] { return database_problem(c, all_nodes(c)).empty(); }, 3000));
  CHECK(c.core(2).database().get("", "Description")->as_string() == "before");
}

TEST_CASE("online with a destination node moves the group there and brings it online",
          "[multinode][placement]") {
  fake_cluster c;
  form(c);
  make_group(c, 2);
  // MSCS: a group belongs to the node that created it.
  CHECK(c.core(2).group_owner("G") == 2);
  const auto asked = c.now();
  require_api(c, 2, "POST", "/groups/G/online", {{"node", "node1"}}, {200, 202});
  require_online_on(c, 1);
  // The others learn the state from node1's next frame.
  const auto all = all_nodes(c);
  c.run_until(
      [&] {
        return std::all_of(all.begin(), all.end(), [&](std::size_t n) {
          return c.api(n, "GET", "/groups/G").body["state"] == "Online";
        });
      },
      100);
  for (auto n : all_nodes(c)) {
    CAPTURE(n);
    CHECK(c.core(n).group_owner("G") == 1);
    auto g = c.api(n, "GET", "/groups/G");
    CHECK(g.body["owner"] == "node1");
    CHECK(g.body["state"] == "Online");
  }
  CHECK_FALSE(first_call(c, 2, "R1", "online", asked).has_value());
  check_safety(c);
}

TEST_CASE("a crashed owner's group comes online on a survivor after its lease ran out",
          "[multinode][failover]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  CHECK(c.api(3, "GET", "/groups/G").body["owner"] == "node1");

  const auto crash_time = c.now();
  c.crash(1);
  const numbers survivors{2, 3};
  std::size_t owner = 0;
  const bool failed_over = c.run_until(
      [&] {
        owner = placed_on(c, "G", survivors, survivors);
        return owner != 0;
      },
      window_ms + lease_ms + 1000);
  require_state(c, failed_over, "G online on node2 or node3, both naming the same owner");
  CAPTURE(owner);
  for (auto n : survivors) {
    auto g = c.api(n, "GET", "/groups/G");
    INFO(g.body.dump());
    CHECK(g.body["owner"] == fake_cluster::name_of(owner));
    CHECK(g.body["state"] == "Online");
  }
  // The survivor waited for node1's lease: no Online into R1 before it surely ran out.
  const auto online = first_call(c, owner, "R1", "online", crash_time);
  REQUIRE(online);
  CHECK(online->at >= crash_time + lease_ms);
  // Providers first on the new owner too.
  const auto r2 = first_call(c, owner, "R2", "online", crash_time);
  REQUIRE(r2);
  CHECK(r2->at >= online->at);
  check_safety(c);
}

TEST_CASE("a frozen owner is fenced by its lease and rejoins after the thaw",
          "[multinode][failover][lease]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);

  const auto freeze_time = c.now();
  c.freeze(1);
  const numbers survivors{2, 3};
  std::size_t owner = 0;
  const bool failed_over = c.run_until(
      [&] {
        owner = placed_on(c, "G", survivors, survivors);
        return owner != 0;
      },
      window_ms + lease_ms + 1000);
  require_state(c, failed_over, "G online on node2 or node3 while node1 is frozen");
  CAPTURE(owner);

  // Frozen well past the threshold, then thawed: its timers and queued frames run late.
  c.advance(1000);
  c.thaw(1);
  const auto all = all_nodes(c);
  const bool rejoined = c.run_until(
      [&] { return view_problem(c, all).empty() && database_problem(c, all).empty(); }, 5000);
  {
    INFO(c.describe({"G"}));
    INFO("view: " << view_problem(c, all) << " " << database_problem(c, all));
    CHECK(rejoined);
  }
  INFO("R1:" << trace_of(c, "R1", freeze_time));

  const auto taken = first_call(c, owner, "R1", "online", freeze_time);
  REQUIRE(taken);
  // The old owner's monitor fenced itself (lease) before the new owner's first Online ...
  const auto fenced = first_call(c, 1, "R1", "terminate", freeze_time);
  REQUIRE(fenced);
  CHECK(fenced->at < taken->at);
  // ... and from then on node1 made no call into R1 but stopping ones.
  for (const auto& call : c.monitor_log()) {
    if (call.node != 1 || call.resource != "R1" || !call.ran || call.at < taken->at)
      continue;
    INFO("node1 " << call.type << " R1 at " << call.at << " (" << call.cause << ")");
    CHECK((call.type == "terminate" || call.type == "offline" || call.type == "close"));
  }
  // The group stayed where it went.
  CHECK(placed_on(c, "G", {owner}, all) == owner);
  check_safety(c);
}

TEST_CASE("a frozen or cut-off node does not stop the groups of the nodes that keep quorum",
          "[multinode][lease]") {
  // The survivors' leases are renewed on the word of a quorum, not of every member: while
  // node1 is silent and the regroup runs, node2's monitor keeps its lease and G keeps running.
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  const auto from = c.now();
  SECTION("node1 frozen") {
    c.freeze(1);
  }
  SECTION("node1 cut off") {
    c.partition({{1}, {2, 3}});
  }
  const numbers survivors{2, 3};
  const bool regrouped = c.run_until([&] { return view_problem(c, survivors).empty(); }, 3000);
  require_state(c, regrouped, "node2 and node3 in a view without node1");
  c.advance(2 * lease_ms);
  INFO("R1:" << trace_of(c, "R1", from));
  CHECK_FALSE(c.node(2).lease_expired("default"));
  for (const auto& call : c.monitor_log()) {
    if (call.node == 2 && call.at >= from && (call.resource == "R1" || call.resource == "R2")) {
      INFO("node2 " << call.type << " " << call.resource << " at " << call.at << " (" << call.cause
                    << ")");
      CHECK(call.type != "terminate");
      CHECK(call.type != "offline");
    }
  }
  CHECK(placed_on(c, "G", {2}, survivors) == 2);
  check_safety(c);
}

TEST_CASE("a partition: the minority stops its groups, the majority takes them over",
          "[multinode][partition][quorum]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 3);

  const auto cut = c.now();
  c.partition({{1, 2}, {3}});
  const numbers majority{1, 2};
  std::size_t owner = 0;
  const bool split = c.run_until(
      [&] {
        owner = placed_on(c, "G", majority, majority);
        return owner != 0 && !c.core(3).has_quorum() && running_on(c, "R1") == numbers{owner} &&
               running_on(c, "R2") == numbers{owner};
      },
      window_ms + lease_ms + 1000);
  require_state(c, split, "node3 without quorum and stopped, G online on node1 or node2");
  CAPTURE(owner);
  // node3 stopped both (its core, or its monitor when the lease ran out).
  CHECK_FALSE(first_call(c, 3, "R1", "online", cut + 1).has_value());
  const auto stopped = [&](const std::string& r) {
    for (const auto& call : c.monitor_log()) {
      if (call.node == 3 && call.resource == r && call.ran && call.at >= cut &&
          (call.type == "terminate" || call.type == "offline"))
        return true;
    }
    return false;
  };
  CHECK(stopped("R1"));
  CHECK(stopped("R2"));
  check_safety(c);

  c.heal();
  const auto all = all_nodes(c);
  const bool whole = c.run_until(
      [&] { return view_problem(c, all).empty() && database_problem(c, all).empty(); }, 5000);
  require_state(
      c, whole,
      "one view of three after the heal: " + view_problem(c, all) + " " + database_problem(c, all));
  auto hash = c.api(1, "GET", "/cluster").body["db_hash"];
  for (auto n : all)
    CHECK(c.api(n, "GET", "/cluster").body["db_hash"] == hash);
  CHECK(placed_on(c, "G", {owner}, all) == owner);
  check_safety(c);
}

TEST_CASE("a full stop and a restart in reverse order form the cluster again from the stores",
          "[multinode][persistent]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  require_api(c, 3, "PUT", "/groups/G/properties", {{"properties", {{"Description", "kept"}}}},
              {200});
  const auto all = all_nodes(c);
  require_state(c, c.run_until([&] { return database_problem(c, all).empty(); }, 1000),
                "the same database everywhere");
  const auto committed_seq = c.core(1).database_seq();
  const auto committed_hash = c.core(1).database().hash();

  for (auto n : all)
    c.shutdown(n);
  const bool stopped = c.run_until(
      [&] {
        return std::none_of(all.begin(), all.end(), [&](std::size_t n) { return c.alive(n); });
      },
      10000);
  require_state(c, stopped, "every node exited");
  for (auto n : all) {
    CAPTURE(n);
    CHECK(c.status(n) == fake_cluster::node_status::exited);
    REQUIRE(c.node(n).exit());
    CHECK(c.node(n).exit()->code == 0);
    CHECK(c.node(n).stored_seq() >= committed_seq);
  }

  // No join list: the stored database names the nodes and their addresses. node3 alone has
  // one vote of three: no quorum, nothing online.
  c.restart(3, std::vector<std::string>{});
  c.advance(1000);
  CHECK_FALSE(c.core(3).has_quorum());
  CHECK(running_on(c, "R1").empty());
  c.restart(2, std::vector<std::string>{});
  c.advance(1000);
  c.restart(1, std::vector<std::string>{});
  std::size_t owner = 0;
  const bool formed = c.run_until(
      [&] {
        owner = placed_on(c, "G", all, all);
        return owner != 0 && view_problem(c, all).empty() && database_problem(c, all).empty();
      },
      5000);
  require_state(
      c, formed,
      "formed again with G online: " + view_problem(c, all) + " " + database_problem(c, all));

  // Nothing committed is lost.
  CHECK(c.core(1).database_seq() >= committed_seq);
  if (c.core(1).database_seq() == committed_seq)
    CHECK(c.core(1).database().hash() == committed_hash);
  for (auto n : all) {
    CAPTURE(n);
    auto props = c.api(n, "GET", "/groups/G/properties");
    CHECK(props.body["properties"]["Description"]["value"] == "kept");
    auto r2 = c.api(n, "GET", "/resources/R2/dependencies");
    CHECK(r2.body["dependencies"] == nlohmann::json::array({"R1"}));
  }
  check_safety(c);
}

TEST_CASE("moving a group: the old owner takes it offline, then the target brings it online",
          "[multinode][move]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);

  const auto asked = c.now();
  auto moved = require_api(c, 2, "POST", "/groups/G/move", {{"node", "node3"}}, {200});
  CHECK(moved.body["owner"] == "node3");
  const auto all = all_nodes(c);
  const bool there = c.run_until([&] { return placed_on(c, "G", {3}, all) == 3; }, 3000);
  require_state(c, there, "G online on node3");
  INFO("R1:" << trace_of(c, "R1", asked) << "\nR2:" << trace_of(c, "R2", asked));

  const auto online = first_call(c, 3, "R1", "online", asked);
  const auto off_r1 = first_call(c, 1, "R1", "offline", asked);
  const auto off_r2 = first_call(c, 1, "R2", "offline", asked);
  REQUIRE(online);
  REQUIRE(off_r1);
  REQUIRE(off_r2);
  // Dependents first on the way down, and all of it before the target's first Online.
  CHECK(off_r2->at <= off_r1->at);
  CHECK(off_r1->at < online->at);
  CHECK(c.node(1).monitor_resource("default", "R1")->state == "Offline");
  for (auto n : all)
    CHECK(c.api(n, "GET", "/groups/G").body["owner"] == "node3");
  check_safety(c);
}

TEST_CASE("two nodes without a witness: the survivor of a crash has no quorum",
          "[multinode][quorum]") {
  fake_cluster_options o;
  o.nodes = 2;
  fake_cluster c(o);
  form(c);
  make_group_online_on(c, 1, 1);

  const auto crash_time = c.now();
  c.crash(2);
  const bool lost =
      c.run_until([&] { return !c.core(1).has_quorum() && running_on(c, "R1").empty(); },
                  window_ms + lease_ms + 1000);
  require_state(c, lost, "node1 without quorum, R1 stopped");
  // And it stays so: one vote of two is not a majority (MSCS node majority).
  c.advance(5000);
  CHECK_FALSE(c.core(1).has_quorum());
  CHECK(c.core(1).group_state("G") != g_online);
  CHECK(running_on(c, "R1").empty());
  CHECK(running_on(c, "R2").empty());
  // From the next millisecond: the Online that made G Online ran at crash_time.
  CHECK_FALSE(first_call(c, 1, "R1", "online", crash_time + 1).has_value());
  check_safety(c);
}

TEST_CASE("fake_cluster: a frozen node handles nothing until the thaw, then all at once",
          "[multinode][harness]") {
  fake_cluster c;
  form(c);
  const auto epoch = c.core(2).view_epoch();
  const auto events = c.node(2).events().size();
  c.freeze(2);
  c.advance(2000);
  // Heartbeats and frames wait in its queue, its timers are overdue, its core saw nothing.
  CHECK_FALSE(c.node(2).idle());
  REQUIRE(c.node(2).next_timer());
  CHECK(*c.node(2).next_timer() < c.now());
  CHECK(c.core(2).view_epoch() == epoch);
  CHECK(c.node(2).events().size() == events);
  // The others went on without it.
  CHECK(c.core(1).view_epoch() > epoch);
  CHECK(c.core(1).members() == ids{1, 3});

  const auto thawed_at = c.now();
  c.thaw(2);
  CHECK(c.now() == thawed_at);
  CHECK(c.node(2).idle());
  CHECK((!c.node(2).next_timer() || *c.node(2).next_timer() > thawed_at));
  const auto all = all_nodes(c);
  const bool back = c.run_until([&] { return view_problem(c, all).empty(); }, 5000);
  require_state(c, back, "node2 rejoins: " + view_problem(c, all));
}

namespace {

// G on node1 with preferred owners node1, node2 and failback allowed; then node1 crashes and
// G moves to node2. Returns the cluster for the test to restart node1.
void fail_over_preferred(fake_cluster& c, const nlohmann::json& window = nullptr) {
  form(c);
  make_group_online_on(c, 1);
  require_api(c, 2, "PUT", "/groups/G/owners", {{"nodes", {"node1", "node2"}}}, {200});
  nlohmann::json props{{"AutoFailbackType", 1}};
  if (!window.is_null()) {
    props["FailbackWindowStart"] = window[0];
    props["FailbackWindowEnd"] = window[1];
  }
  require_api(c, 2, "PUT", "/groups/G/properties", {{"properties", props}}, {200});
  c.crash(1);
  require_state(c,
                c.run_until(
                    [&] {
                      return placed_on(c, "G", {2}, {2, 3}) == 2;
                    },
                    3000),
                "G fails over to node2, the next preferred owner");
}

void feed_hour(fake_cluster& c, int hour) {
  for (std::size_t i = 1; i <= c.size(); ++i) {
    if (c.running(i))
      c.node(i).deliver(in_wall_clock{hour});
  }
}

}  // namespace

TEST_CASE("failback: the group returns to its preferred owner when it rejoins",
          "[multinode][failback]") {
  fake_cluster c;
  fail_over_preferred(c);
  c.restart(1);
  const auto all = all_nodes(c);
  require_state(c, c.run_until([&] { return view_problem(c, all).empty(); }, 5000),
                "node1 rejoins");
  require_state(c, c.run_until([&] { return placed_on(c, "G", {1}, all) == 1; }, 3000),
                "G moves back to node1 and is online there");
  check_safety(c);
}

TEST_CASE("failback waits for its window (hours of the day) and happens inside it",
          "[multinode][failback]") {
  fake_cluster c;
  // A window from 22:00 to 06:00 (past midnight); it is 12:00.
  fail_over_preferred(c, nlohmann::json::array({22, 6}));
  feed_hour(c, 12);
  c.restart(1);
  feed_hour(c, 12);
  const auto all = all_nodes(c);
  require_state(c, c.run_until([&] { return view_problem(c, all).empty(); }, 5000),
                "node1 rejoins");
  c.advance(2000);
  CHECK(c.core(2).group_owner("G") == 2);
  CHECK(placed_on(c, "G", {2}, all) == 2);
  // 23:00 is inside the window: the group goes home.
  feed_hour(c, 23);
  require_state(c, c.run_until([&] { return placed_on(c, "G", {1}, all) == 1; }, 3000),
                "G moves back to node1 inside the window");
  check_safety(c);
}

TEST_CASE("without AutoFailbackType the group stays where it failed over",
          "[multinode][failback]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  require_api(c, 2, "PUT", "/groups/G/owners", {{"nodes", {"node1", "node2"}}}, {200});
  c.crash(1);
  require_state(c,
                c.run_until(
                    [&] {
                      return placed_on(c, "G", {2}, {2, 3}) == 2;
                    },
                    3000),
                "G fails over to node2");
  c.restart(1);
  const auto all = all_nodes(c);
  require_state(c, c.run_until([&] { return view_problem(c, all).empty(); }, 5000),
                "node1 rejoins");
  c.advance(2000);
  CHECK(placed_on(c, "G", {2}, all) == 2);
  check_safety(c);
}

namespace {

// Empty groups NAMES, each with AntiAffinityClassNames {"SQL"} and owned by the node of the
// same position in `owners`.
void anti_affine_groups(fake_cluster& c, const std::vector<std::string>& names,
                        const numbers& owners) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    require_api(c, 2, "POST", "/groups", {{"name", names[i]}}, {200, 201});
    require_api(c, 2, "PUT", "/groups/" + names[i] + "/properties",
                {{"properties", {{"AntiAffinityClassNames", {"SQL"}}}}}, {200});
    if (c.core(2).group_owner(names[i]) != owners[i]) {
      require_api(c, 2, "POST", "/groups/" + names[i] + "/move",
                  {{"node", fake_cluster::name_of(owners[i])}}, {200});
    }
  }
  const auto all = all_nodes(c);
  require_state(c,
                c.run_until(
                    [&] {
                      for (std::size_t i = 0; i < names.size(); ++i) {
                        for (auto n : all)
                          if (c.core(n).group_owner(names[i]) != owners[i])
                            return false;
                      }
                      return true;
                    },
                    3000),
                "every node names the owners of the anti-affine groups");
}

// Whether every running node names `owner` the owner of `group`.
bool owned_by(const fake_cluster& c, const std::string& group, std::size_t owner) {
  for (std::size_t n = 1; n <= c.size(); ++n) {
    if (c.running(n) && c.core(n).group_owner(group) != owner)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("anti-affinity: a failed-over group passes over a node hosting one of its class",
          "[multinode][failover][placement]") {
  fake_cluster c;
  form(c);
  // SQL1 on node1, SQL2 on node2; node1 crashes. The walk from node1 comes to node2 first,
  // which hosts SQL2 ("sql" matches "SQL": class names compare without case).
  anti_affine_groups(c, {"SQL1", "SQL2"}, {1, 2});
  require_api(c, 2, "PUT", "/groups/SQL2/properties",
              {{"properties", {{"AntiAffinityClassNames", {"other", "sql"}}}}}, {200});
  c.crash(1);
  require_state(c, c.run_until([&] { return owned_by(c, "SQL1", 3); }, 5000),
                "SQL1 fails over to node3, not to node2 where SQL2 is");
  CHECK(owned_by(c, "SQL2", 2));
  check_safety(c);
}

TEST_CASE("anti-affinity yields when every node hosts a group of the class",
          "[multinode][failover][placement]") {
  fake_cluster c;
  form(c);
  anti_affine_groups(c, {"SQL1", "SQL2", "SQL3"}, {1, 2, 3});
  c.crash(1);
  // Node2 and node3 both host one: the group takes the next node of its list as usual.
  require_state(c, c.run_until([&] { return owned_by(c, "SQL1", 2); }, 5000),
                "SQL1 fails over to node2 all the same");
  check_safety(c);
}

// FailoverThreshold counts the group's failovers wherever they happened: with the default
// (nodes - 1) a group whose resource fails everywhere tries each other node once and then
// stays Failed, instead of each node allowing its own share and the group going round.
TEST_CASE("the failover count goes with the group: one try on each other node, then Failed",
          "[multinode][failover]") {
  fake_cluster c;
  form(c);
  make_group(c, 2);
  require_api(c, 2, "PUT", "/resources/R1/properties", {{"properties", {{"RestartThreshold", 0}}}},
              {200});
  for (std::size_t n = 1; n <= c.size(); ++n)
    c.node(n).fail_online("R1");
  const auto since = c.now();
  require_api(c, 2, "POST", "/groups/G/online", nullptr, {200, 202});
  std::vector<std::size_t> tried;
  const auto tries = [&] {
    tried.clear();
    for (const auto& call : c.monitor_log()) {
      if (call.resource == "R1" && call.type == "online" && call.ran && call.at >= since)
        tried.push_back(call.node);
    }
    return tried.size();
  };
  // Three tries, then quiet: no fourth for a long while (RetryPeriodOnFailure is an hour).
  require_state(c, c.run_until([&] { return tries() >= 3; }, 10000), "three nodes tried R1");
  c.run_until([&] { return tries() > 3; }, 20000);
  INFO("tried on nodes " << list(numbers(tried.begin(), tried.end())));
  CHECK(tried.size() == 3);
  CHECK(std::set<std::size_t>(tried.begin(), tried.end()).size() == 3);
  const auto last = tried.back();
  CHECK(c.core(last).group_owner("G") == last);
  CHECK(c.core(last).group_state("G") == g_failed);
  check_safety(c);
}

TEST_CASE("any node pauses or resumes another, a paused node gets no group, a down one no pause",
          "[multinode][pause]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 1);
  // node1 pauses node2 (PauseClusterNode on another node of the cluster).
  require_api(c, 1, "POST", "/nodes/node2/pause", nullptr, {200});
  require_state(c,
                c.run_until(
                    [&] {
                      for (std::size_t v = 1; v <= 3; ++v)
                        if (node_state_seen(c, v, "node2") != "Paused")
                          return false;
                      return true;
                    },
                    2000),
                "every node shows node2 Paused");
  const auto refused = c.api_wait(3, "POST", "/groups/G/move", {{"node", "node2"}});
  CHECK(refused.status == 409);
  CHECK(refused.body["error"]["code"] == 5070);  // ERROR_CLUSTER_NODE_PAUSED
  // The owner crashes: G goes to node3, passing over the paused node2 that comes first.
  c.crash(1);
  require_state(c,
                c.run_until(
                    [&] {
                      return placed_on(c, "G", {3}, {2, 3}) == 3;
                    },
                    5000),
                "G fails over to node3, not to the paused node2");
  // A node that is down cannot be paused.
  const auto down = c.api_wait(3, "POST", "/nodes/node1/pause");
  CHECK(down.status == 503);
  CHECK(down.body["error"]["code"] == 5072);  // ERROR_CLUSTER_NODE_NOT_READY
  // node3 resumes node2.
  require_api(c, 3, "POST", "/nodes/node2/resume", nullptr, {200});
  require_state(c,
                c.run_until(
                    [&] {
                      return node_state_seen(c, 2, "node2") == "Up" &&
                             node_state_seen(c, 3, "node2") == "Up";
                    },
                    2000),
                "node2 is Up again on both survivors");
  check_safety(c);
}

TEST_CASE(
    "possible owners: every node at first, adding one keeps the others, removing one "
    "leaves the rest",
    "[multinode][owners]") {
  fake_cluster c;
  form(c);
  make_group(c, 2);
  const auto owners = [&] { return c.api(3, "GET", "/resources/R1/owners").body["nodes"]; };
  CHECK(owners().empty());  // every node
  // node1 is a possible owner already: refused, and the list is not narrowed to node1.
  const auto again = c.api_wait(1, "POST", "/resources/R1/owners", {{"node", "node1"}});
  CHECK(again.status == 409);
  CHECK(again.body["error"]["code"] == 5010);  // ERROR_OBJECT_ALREADY_EXISTS
  CHECK(owners().empty());
  require_api(c, 1, "DELETE", "/resources/R1/owners/node2", nullptr, {200});
  c.run_until([&] { return owners().size() == 2; }, 2000);
  CHECK(owners() == nlohmann::json({"node1", "node3"}));
  const auto gone = c.api_wait(1, "DELETE", "/resources/R1/owners/node2");
  CHECK(gone.body["error"]["code"] == 1168);  // ERROR_NOT_FOUND
  require_api(c, 1, "POST", "/resources/R1/owners", {{"node", "node2"}}, {200});
  c.run_until([&] { return owners().size() == 3; }, 2000);
  CHECK(owners() == nlohmann::json({"node1", "node3", "node2"}));
}

TEST_CASE(
    "networks: one per subnet with an interface per node whose state follows it, Role rules, "
    "rename, priority and eviction",
    "[multinode][networks]") {
  fake_cluster c;
  form(c);
  const auto networks = [&](std::size_t via) { return c.api(via, "GET", "/networks").body; };
  const auto interface_state = [&](std::size_t via, const std::string& name) {
    return c.api(via, "GET", "/netinterfaces/" + name).body.value("state", std::string());
  };
  // Each node records its interface (10.0.0.i/24 in the simulator) once it is in the view.
  require_state(c,
                c.run_until(
                    [&] {
                      const auto n = networks(3)["networks"];
                      return n.size() == 1 && n[0]["interfaces"].size() == 3;
                    },
                    2000),
                "every node sees one network with three interfaces");
  const auto net = networks(2)["networks"][0];
  CHECK(net["name"] == "Cluster Network 1");
  CHECK(net["address"] == "10.0.0.0");
  CHECK(net["mask"] == "255.255.255.0");
  CHECK(net["state"] == "Up");
  CHECK(net["role"] == 3);
  CHECK(net["interfaces"] == nlohmann::json({"node1 - eth0", "node2 - eth0", "node3 - eth0"}));
  const auto i2 = c.api(1, "GET", "/netinterfaces/node2 - eth0").body;
  CHECK(i2["node"] == "node2");
  CHECK(i2["network"] == "Cluster Network 1");
  CHECK(i2["address"] == "10.0.0.2");
  CHECK(c.api(1, "GET", "/netinterfaces?node=node3&network=cluster network 1")
            .body["netinterfaces"]
            .size() == 1);
  CHECK(c.api(1, "GET", "/netinterfaces?node=node9").body["error"]["code"] == 5042);
  CHECK(c.api(1, "GET", "/networks/Nowhere").body["error"]["code"] == 5045);

  // The only internal network keeps an internal role.
  const auto role = [&](std::uint32_t r) {
    return c.api_wait(1, "PUT", "/networks/Cluster Network 1/properties",
                      {{"properties", {{"Role", r}}}});
  };
  CHECK(role(0).body["error"]["code"] == 5066);  // ERROR_CLUSTER_LAST_INTERNAL_NETWORK
  CHECK(role(2).body["error"]["code"] == 5066);
  CHECK(role(1).status == 200);
  // An IP Address resource on the network needs the client role.
  require_api(c, 1, "POST", "/resourcetypes", {{"name", "IP Address"}, {"dll", "/fake/wp_ip.so"}},
              {201});
  require_api(c, 1, "POST", "/groups", {{"name", "Web"}}, {201});
  const auto ip = require_api(c, 1, "POST", "/resources",
                              {{"name", "Web IP"}, {"group", "Web"}, {"type", "IP Address"}}, {201})
                      .body;
  const auto params = "Resources\\" + ip["id"].get<std::string>() + "\\Parameters";
  require_api(c, 1, "POST", "/registry/keys", {{"key", params}}, {200, 201});
  require_api(c, 1, "PUT", "/registry/values",
              {{"key", params},
               {"name", "Network"},
               {"value", {{"type", "SZ"}, {"value", "cluster network 1"}}}},
              {200});
  CHECK(role(3).status == 200);
  CHECK(role(1).body["error"]["code"] == 5067);  // ERROR_CLUSTER_NETWORK_HAS_DEPENDENTS
  // The registry keeps to the same rules by refusing Role outright.
  const auto net_id = net["id"].get<std::string>();
  CHECK(c.api_wait(1, "PUT", "/registry/values",
                   {{"key", "Networks\\" + net_id},
                    {"name", "Role"},
                    {"value", {{"type", "DWORD"}, {"value", 0}}}})
            .body["error"]["code"] == 5);

  // Rename, and the priority of internal networks.
  CHECK(c.api_wait(2, "POST", "/networks/Cluster Network 1/rename", {{"name", "Private"}}).status ==
        200);
  require_state(c,
                c.run_until([&] { return networks(3)["networks"][0]["name"] == "Private"; }, 2000),
                "node3 sees the new name");
  CHECK(c.api(3, "GET", "/cluster/networkpriority").body["networks"] ==
        nlohmann::json({"Private"}));
  CHECK(c.api_wait(3, "PUT", "/cluster/networkpriority", {{"networks", nlohmann::json::array()}})
            .body["error"]["code"] == 87);
  CHECK(c.api_wait(3, "PUT", "/cluster/networkpriority", {{"networks", {"Private", "Private"}}})
            .body["error"]["code"] == 87);
  CHECK(c.api_wait(3, "PUT", "/cluster/networkpriority", {{"networks", {"Private"}}}).status ==
        200);

  // A crashed node's interface becomes Unavailable; the network stays Up with the others.
  c.crash(3);
  require_state(
      c, c.run_until([&] { return interface_state(1, "node3 - eth0") == "Unavailable"; }, 5000),
      "node3's interface Unavailable");
  CHECK(interface_state(2, "node2 - eth0") == "Up");
  CHECK(networks(1)["networks"][0]["state"] == "Up");
  bool event = false;
  for (const auto& e : c.node(1).events()) {
    event =
        event || (e.value("kind", "") == "NETINTERFACE_STATE" &&
                  e.value("name", "") == "node3 - eth0" && e.value("state", "") == "Unavailable");
  }
  CHECK(event);
  // Evicting it removes its interface everywhere.
  require_api(c, 1, "POST", "/nodes/node3/evict", nullptr, {200});
  require_state(
      c, c.run_until([&] { return networks(2)["networks"][0]["interfaces"].size() == 2; }, 2000),
      "node3's interface is gone");
  CHECK(c.api(2, "GET", "/netinterfaces/node3 - eth0").body["error"]["code"] == 5047);
}

TEST_CASE("cluster node N /stop through any node stops N's service, its groups move",
          "[multinode][stop]") {
  fake_cluster c;
  form(c);
  make_group_online_on(c, 2);
  // Asked of node1: forwarded to node2, whose service stops (groups offline, then exit).
  const auto r = c.api_wait(1, "POST", "/nodes/node2/stop");
  CHECK(r.status == 202);
  CHECK(r.body["state"] == "Stopping");
  require_state(c, c.run_until([&] { return !c.running(2); }, 5000), "node2's service stops");
  CHECK(c.status(2) == fake_cluster::node_status::exited);
  const auto exited_at = c.now();
  std::size_t owner = 0;
  require_state(c,
                c.run_until(
                    [&] {
                      owner = placed_on(c, "G", {1, 3}, {1, 3});
                      return owner != 0;
                    },
                    5000),
                "G comes online on node1 or node3");
  // node2 said it left with its resources down: nobody waited out its lease.
  const auto online = first_call(c, owner, "R1", "online", exited_at);
  REQUIRE(online);
  CHECK(online->at < exited_at + lease_ms);
  // A node that is down cannot be stopped again.
  const auto again = c.api_wait(3, "POST", "/nodes/node2/stop");
  CHECK(again.body["error"]["code"] == 5050);  // ERROR_CLUSTER_NODE_DOWN
  CHECK(c.api_wait(3, "POST", "/nodes/nobody/stop").body["error"]["code"] == 5042);
  check_safety(c);
}

TEST_CASE("SetClusterName: every node takes the new name, peers speak it, the old one still counts",
          "[multinode][rename]") {
  fake_cluster c;
  form(c);
  const auto all = all_nodes(c);
  const auto seq = c.core(1).database_seq();

  // Names the network could not carry, and a node's name, are refused and change nothing.
  CHECK(c.api_wait(2, "POST", "/cluster/rename", {{"name", ""}}).body["error"]["code"] == 123);
  CHECK(c.api_wait(2, "POST", "/cluster/rename", {{"name", "a/b"}}).body["error"]["code"] == 123);
  CHECK(c.api_wait(2, "POST", "/cluster/rename", {{"name", " prod"}}).body["error"]["code"] == 123);
  CHECK(c.api_wait(2, "POST", "/cluster/rename", {{"name", "NODE3"}}).body["error"]["code"] ==
        5010);
  CHECK(c.api_wait(2, "POST", "/cluster/rename", {{"name", 7}}).body["error"]["code"] == 87);
  CHECK(c.api_wait(2, "POST", "/cluster/rename").body["error"]["code"] == 87);
  CHECK(c.api_wait(2, "GET", "/cluster/rename").body["error"]["code"] == 1);
  // The names are the service's: the registry API cannot write them.
  CHECK(c.api_wait(1, "PUT", "/registry/values",
                   {{"key", ""},
                    {"name", "EarlierClusterNames"},
                    {"value", {{"type", "MULTI_SZ"}, {"value", {"x"}}}}})
            .body["error"]["code"] == 5);
  // The same name is no change.
  auto same = c.api_wait(3, "POST", "/cluster/rename", {{"name", "lab"}});
  CHECK(same.status == 200);
  CHECK(c.core(1).database_seq() == seq);

  auto r = c.api_wait(2, "POST", "/cluster/rename", {{"name", "prod"}});
  REQUIRE(r.status == 200);
  CHECK(r.body == nlohmann::json({{"name", "prod"}, {"previous_name", "lab"}}));
  const bool everywhere = c.run_until(
      [&] {
        return std::all_of(all.begin(), all.end(), [&](std::size_t n) {
          return c.api(n, "GET", "/cluster").body["name"] == "prod" &&
                 c.node(n).peers().cluster == "prod" &&
                 c.node(n).peers().earlier == std::vector<std::string>{"lab"};
        });
      },
      2000);
  require_state(c, everywhere, "every node calls the cluster prod and tells its transport");
  CHECK(
      c.api_wait(
           2, "PUT", "/registry/values",
           {{"key", ""}, {"name", "ClusterName"}, {"value", {{"type", "SZ"}, {"value", "other"}}}})
          .body["error"]["code"] == 5);

  // node3 restarts with the name it was started with (its options say "lab"): the database
  // says prod, and prod it is.
  c.crash(3);
  c.restart(3);
  const bool back = c.run_until([&] { return view_problem(c, all).empty(); }, 5000);
  require_state(c, back, "node3 rejoins: " + view_problem(c, all));
  CHECK(c.api(3, "GET", "/cluster").body["name"] == "prod");

  // Renamed back: the old name leaves the earlier ones, the other takes its place.
  REQUIRE(c.api_wait(1, "POST", "/cluster/rename", {{"name", "Lab"}}).status == 200);
  const bool renamed_back = c.run_until(
      [&] {
        return std::all_of(all.begin(), all.end(), [&](std::size_t n) {
          return c.node(n).peers().cluster == "Lab" &&
                 c.node(n).peers().earlier == std::vector<std::string>{"prod"};
        });
      },
      2000);
  require_state(c, renamed_back, "every node calls the cluster Lab, earlier prod");
  require_state(c, c.run_until([&] { return database_problem(c, all).empty(); }, 1000),
                "one database");
  check_safety(c);
}

TEST_CASE("two renames asked at once through two nodes: one wins, no name is lost",
          "[multinode][rename]") {
  fake_cluster c;
  form(c);
  // Each is computed from "lab" on its node; the locker orders both and refuses the second,
  // whose list of earlier names would drop the first's.
  const auto b = c.api_async(2, "POST", "/cluster/rename", {{"name", "blue"}});
  const auto g = c.api_async(3, "POST", "/cluster/rename", {{"name", "green"}});
  REQUIRE(c.run_until([&] { return c.response(2, b) && c.response(3, g); }, 2000));
  const auto first = c.response(2, b)->status;
  const auto second = c.response(3, g)->status;
  INFO("blue: " << first << ", green: " << second);
  REQUIRE(((first == 200) != (second == 200)));
  const std::string won = first == 200 ? "blue" : "green";
  const auto refused = first == 200 ? *c.response(3, g) : *c.response(2, b);
  CHECK_THAT(refused.body["error"]["message"].get<std::string>(),
             Catch::Contains("was renamed '" + won + "' meanwhile"));
  const auto all = all_nodes(c);
  require_state(c, c.run_until([&] { return database_problem(c, all).empty(); }, 1000),
                "one database");
  for (auto n : all) {
    CHECK(c.api(n, "GET", "/cluster").body["name"] == won);
    CHECK(c.node(n).peers().earlier == std::vector<std::string>{"lab"});
  }
}

namespace {

// Requests `a` through node1 and `b` through node3, sent at once and computed from the same
// copy: exactly one is answered 2xx and the other refused, its message holding `fragment`.
// Returns whether `a` was the one answered.
bool exactly_one_done(fake_cluster& c, std::uint64_t a, std::uint64_t b,
                      const std::string& fragment) {
  require_state(c,
                c.run_until([&] { return c.find_response(1, a) && c.find_response(3, b); }, 3000),
                "both answered");
  const auto* ra = c.find_response(1, a);
  const auto* rb = c.find_response(3, b);
  INFO(ra->status << " " << ra->body.dump() << " / " << rb->status << " " << rb->body.dump());
  CHECK((ra->status / 100 == 2) != (rb->status / 100 == 2));
  const auto& refused = ra->status / 100 == 2 ? *rb : *ra;
  CHECK(refused.body.value("/error/message"_json_pointer, std::string()).find(fragment) !=
        std::string::npos);
  return ra->status / 100 == 2;
}

}  // namespace

TEST_CASE("resources created at once through two nodes in one group are never lost",
          "[multinode][gum]") {
  // Each node computes the group's new Contains from its own copy: the second creation,
  // computed without the first, would leave the first resource in no group, though both were
  // answered 201. The locker refuses the second instead (group_contents.cpp), and asked again
  // it is created beside the first.
  fake_cluster c;
  form(c);
  make_group(c, 2);
  const auto a =
      c.api_async(1, "POST", "/resources", {{"name", "A"}, {"group", "G"}, {"type", "Dummy"}});
  const auto b =
      c.api_async(3, "POST", "/resources", {{"name", "B"}, {"group", "G"}, {"type", "Dummy"}});
  // One of them was computed without the other and is refused, naming it.
  const bool a_created = exactly_one_done(c, a, b, "meanwhile");
  const std::string again = a_created ? "B" : "A";
  require_api(c, a_created ? 3 : 1, "POST", "/resources",
              {{"name", again}, {"group", "G"}, {"type", "Dummy"}}, {201});
  require_settled(c, {1, 2, 3}, 2000, "one database");
  for (std::size_t n = 1; n <= 3; ++n) {
    const auto g = c.api(n, "GET", "/groups/G").body;
    INFO("node" << n << ": " << g.dump());
    const auto& rs = g["resources"];
    CHECK(std::find(rs.begin(), rs.end(), "A") != rs.end());
    CHECK(std::find(rs.begin(), rs.end(), "B") != rs.end());
    CHECK(c.api(n, "GET", "/resources/A").body["group"] == "G");
  }
}

TEST_CASE("a group deleted as empty while a resource is created in it keeps the resource",
          "[multinode][gum]") {
  // node3 deletes G, empty as far as it knows, while node1 (the locker) creates a resource in
  // it: the deletion, ordered second, is refused; a resource in no group is never left.
  fake_cluster c;
  form(c);
  make_group(c, 2);
  require_api(c, 2, "DELETE", "/resources/R2", nullptr, {200, 204});
  require_api(c, 2, "DELETE", "/resources/R1", nullptr, {200, 204});
  require_settled(c, {1, 2, 3}, 2000, "G is empty everywhere");
  const auto create =
      c.api_async(1, "POST", "/resources", {{"name", "A"}, {"group", "G"}, {"type", "Dummy"}});
  const auto remove = c.api_async(3, "DELETE", "/groups/G");
  require_state(
      c,
      c.run_until([&] { return c.find_response(1, create) && c.find_response(3, remove); }, 3000),
      "both answered");
  const auto* rc = c.find_response(1, create);
  const auto* rr = c.find_response(3, remove);
  INFO(rc->status << " " << rc->body.dump() << " / " << rr->status << " " << rr->body.dump());
  CHECK((rc->status == 201) != (rr->status / 100 == 2));
  require_settled(c, {1, 2, 3}, 2000, "one database");
  for (std::size_t n = 1; n <= 3; ++n) {
    const auto a = c.api(n, "GET", "/resources/A");
    if (a.status == 200)
      CHECK(c.api(n, "GET", "/groups/G").body["resources"] == nlohmann::json::array({"A"}));
    else
      CHECK(c.api(n, "GET", "/groups/G").status == 404);
  }
}

TEST_CASE("dependencies added at once through two nodes to one resource are never lost",
          "[multinode][gum]") {
  // Each node writes the resource's whole DependsOn as its copy has it: the second, computed
  // without the first, would drop it though both were answered 201. The locker refuses it
  // (dependency_edits.cpp); asked again, it adds to the first.
  fake_cluster c;
  form(c);
  make_group(c, 2);
  for (const auto* name : {"P1", "P2", "D"})
    require_api(c, 2, "POST", "/resources", {{"name", name}, {"group", "G"}, {"type", "Dummy"}},
                {201});
  require_settled(c, {1, 2, 3}, 2000, "every node has the resources");
  const auto a = c.api_async(1, "POST", "/resources/D/dependencies", {{"provider", "P1"}});
  const auto b = c.api_async(3, "POST", "/resources/D/dependencies", {{"provider", "P2"}});
  const bool a_created = exactly_one_done(c, a, b, "changed meanwhile");
  require_api(c, a_created ? 3 : 1, "POST", "/resources/D/dependencies",
              {{"provider", a_created ? "P2" : "P1"}}, {201});
  require_settled(c, {1, 2, 3}, 2000, "one database");
  for (std::size_t n = 1; n <= 3; ++n) {
    const auto deps = c.api(n, "GET", "/resources/D/dependencies").body;
    INFO("node" << n << ": " << deps.dump());
    CHECK(deps.dump().find("P1") != std::string::npos);
    CHECK(deps.dump().find("P2") != std::string::npos);
  }
}

namespace {

// Three nodes, group G made through node2, R1's PossibleOwners set to node1 alone everywhere.
void form_with_r1_owned_by_node1(fake_cluster& c) {
  form(c);
  make_group(c, 2);
  require_api(c, 2, "PUT", "/resources/R1/owners", {{"nodes", {"node1"}}}, {200, 204});
  require_settled(c, {1, 2, 3}, 2000, "every node has the list");
}

}  // namespace

TEST_CASE("possible owners added at once through two nodes to one resource are never lost",
          "[multinode][gum]") {
  // AddClusterResourceNode rewrites the whole PossibleOwners as the asking node's copy has it:
  // the locker refuses one computed on a copy older than the list's last change (gum.cpp,
  // stale_list_edit), whatever the list.
  fake_cluster c;
  form_with_r1_owned_by_node1(c);
  const auto a = c.api_async(1, "POST", "/resources/R1/owners", {{"node", "node2"}});
  const auto b = c.api_async(3, "POST", "/resources/R1/owners", {{"node", "node3"}});
  exactly_one_done(c, a, b, "changed meanwhile");
  require_settled(c, {1, 2, 3}, 2000, "one database");
  const auto owners = c.api(2, "GET", "/resources/R1/owners").body["nodes"];
  INFO(owners.dump());
  // The one answered is there; the one refused can be asked again.
  CHECK(owners.size() == 2);
}

TEST_CASE("a list edit computed on a copy older than the locker remembers is refused",
          "[multinode][gum]") {
  // The locker remembers which lists the last 512 updates wrote (gum.cpp, stale_list_edit).
  // A request held back longer than that (its origin cut off while the others wrote on) may
  // have been computed without a write the locker has forgotten: it is refused, not applied
  // over that write.
  fake_cluster c;
  form_with_r1_owned_by_node1(c);
  // node3 asks; its request (and every resend of it) is lost on the way to the locker while
  // the others write on.
  c.set_frame_filter([](std::size_t from, std::size_t, const nlohmann::json& frame) {
    return from == 3 && frame.value("type", "") == "gum_req";
  });
  const auto held = c.api_async(3, "POST", "/resources/R1/owners", {{"node", "node3"}});
  // A group created the same way writes the Contains of a key that did not exist: nothing
  // can have been missed, and it is not refused.
  const auto created = c.api_async(3, "POST", "/groups", {{"name", "H"}});
  require_api(c, 1, "POST", "/resources/R1/owners", {{"node", "node2"}}, {200, 204});
  for (int i = 0; i < 520; ++i) {
    const auto nodes = i % 2 == 0 ? nlohmann::json{"node1", "node2"} : nlohmann::json{"node1"};
    require_api(c, 1 + i % 2, "PUT", "/resources/R2/owners", {{"nodes", nodes}}, {200, 204});
  }
  c.set_frame_filter(nullptr);
  const auto all = all_nodes(c);
  require_state(c,
                c.run_until(
                    [&] {
                      return c.find_response(3, held) != nullptr &&
                             c.find_response(3, created) != nullptr;
                    },
                    10000),
                "node3's requests answered once they reach the locker");
  CHECK(c.find_response(3, created)->status == 201);
  const auto* r = c.find_response(3, held);
  INFO(r->status << " " << r->body.dump());
  CHECK(r->status / 100 != 2);
  CHECK(r->body.dump().find("ask again") != std::string::npos);
  require_settled(c, all, 5000, "one database");
  const auto owners = c.api(1, "GET", "/resources/R1/owners").body["nodes"];
  INFO(owners.dump());
  CHECK(owners == nlohmann::json::array({"node1", "node2"}));
}

TEST_CASE("a list edit computed on a copy of another history is refused", "[multinode][gum]") {
  // A request's base names the seq of the copy it was computed on and that copy's GumEpoch: a
  // copy that held updates of a locker that was cut off can have a seq of the locker's history
  // without its updates, and may have missed any list write. Here node3's request arrives as
  // if computed on such a copy (the same seq, another epoch).
  fake_cluster c;
  form_with_r1_owned_by_node1(c);
  std::optional<nlohmann::json> caught;
  c.set_frame_filter([&](std::size_t from, std::size_t, const nlohmann::json& frame) {
    if (from != 3 || frame.value("type", "") != "gum_req")
      return false;
    if (!caught)
      caught = frame;
    return true;
  });
  const auto held = c.api_async(3, "POST", "/resources/R1/owners", {{"node", "node3"}});
  require_state(c, c.run_until([&] { return caught.has_value(); }, 1000), "node3's request sent");
  c.set_frame_filter(nullptr);
  auto other = *caught;
  other["base_epoch"] = other.value("base_epoch", std::uint64_t{0}) + 1;
  c.node(1).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(other)});
  require_state(c, c.run_until([&] { return c.find_response(3, held) != nullptr; }, 3000),
                "node3's request answered");
  const auto* r = c.find_response(3, held);
  INFO(r->status << " " << r->body.dump());
  CHECK(r->status / 100 != 2);
  CHECK(r->body.dump().find("a copy of another history") != std::string::npos);
  // Asked again, on this history, it is done.
  require_api(c, 3, "POST", "/resources/R1/owners", {{"node", "node3"}}, {200, 204});
}
