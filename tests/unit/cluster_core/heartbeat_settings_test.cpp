// SameSubnetDelay and SameSubnetThreshold are cluster properties like any other: a new
// cluster's database takes the forming node's heartbeat settings, and a change applies on
// every node with the global update that makes it, the lease kept safe while nodes may use
// either value (membership_manager::check_timing; docs/semantics.md, "Fencing by lease").
// On fake_cluster (multinode_support.hpp): heartbeat every 100 ms, suspicion after 5.
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "multinode_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

std::int64_t cluster_property(fake_cluster& c, std::size_t n, const std::string& name) {
  const auto body = c.api(n, "GET", "/cluster/properties").body;
  const auto& value = body["properties"][name]["value"];
  return value.is_number() ? value.get<std::int64_t>() : -1;
}

}  // namespace

TEST_CASE("the heartbeat settings are cluster properties, the forming node's at first",
          "[multinode][heartbeat]") {
  fake_cluster c;
  form(c);
  for (std::size_t n = 1; n <= 3; ++n) {
    CAPTURE(n);
    CHECK(cluster_property(c, n, "SameSubnetDelay") == 100);
    CHECK(cluster_property(c, n, "SameSubnetThreshold") == 5);
  }
}

TEST_CASE("a longer SameSubnetDelay set through any node makes every node wait longer",
          "[multinode][heartbeat]") {
  fake_cluster c;
  form(c);
  require_api(c, 2, "PUT", "/cluster/properties", {{"properties", {{"SameSubnetDelay", 400}}}},
              {200});
  // Out of the documented range: refused, nothing changes.
  require_api(c, 3, "PUT", "/cluster/properties", {{"properties", {{"SameSubnetDelay", 100}}}},
              {400});
  require_api(c, 3, "PUT", "/cluster/properties", {{"properties", {{"SameSubnetThreshold", 2}}}},
              {400});
  for (std::size_t n = 1; n <= 3; ++n)
    CHECK(cluster_property(c, n, "SameSubnetDelay") == 400);
  // 400 ms x 5: node3's crash is not suspected for two seconds; with the settings of the
  // start (100 ms x 5) the others would have removed it after half a second.
  c.advance(4 * 400 * 5);  // past the time any node may still use the old window
  c.crash(3);
  c.advance(1500);
  require_state(c, c.core(1).members() == ids{1, 2, 3}, "node3 still in node1's view at 1.5 s");
  require_view(c, {1, 2}, 2500, "node1 and node2 without node3 after the longer window");
}

TEST_CASE("a node that took a longer window first grants its monitors no longer a lease",
          "[multinode][heartbeat]") {
  fake_cluster_options o;
  o.nodes = 5;
  fake_cluster c(o);
  form(c);
  make_group_online_on(c, 2);
  require_api(c, 1, "PUT", "/groups/G/owners",
              {{"nodes", {"node2", "node3", "node4", "node5", "node1"}}}, {200});
  // The locker (node1) and node2 apply the update that makes the window 250 ms x 5; nodes 3,
  // 4 and 5 do not get it (their frames from the locker are lost), and node2 renews its
  // monitors' lease after it. Then nodes 1 and 2 are cut off: 3, 4 and 5, still on 100 ms x 5
  // and a majority, take G over once they have waited out the lease as they know it. node2's
  // monitors must not hold theirs longer.
  bool lose_updates = true;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    return lose_updates && from == 1 && to >= 3 &&
           frame.value("type", std::string()) == "gum_apply";
  });
  c.api_async(1, "PUT", "/cluster/properties", {{"properties", {{"SameSubnetDelay", 250}}}});
  require_state(c,
                c.run_until([&] { return cluster_property(c, 2, "SameSubnetDelay") == 250; }, 1000),
                "node2 applied the longer window");
  c.advance(150);  // node2 hears the others and renews its lease
  REQUIRE(cluster_property(c, 3, "SameSubnetDelay") == 100);
  c.partition({{1, 2}, {3, 4, 5}});
  lose_updates = false;
  require_state(c,
                c.run_until(
                    [&] {
                      return placed_on(c, "G", {3, 4, 5}, {3, 4, 5}) != 0;
                    },
                    10000),
                "G online on the side with quorum");
  check_safety(c);
  c.heal();
  require_settled(c, {1, 2, 3, 4, 5}, 10000, "one cluster again");
  check_safety(c);
}
