#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace wolfpack::cluster_transport;
using namespace wolfpack::cluster_transport::test;

TEST_CASE("a node reached by address alone answers under any id", "[cluster_transport]") {
  // A joining node knows its sponsors' addresses, not their ids.
  constexpr std::uint32_t sponsor = 0xFFFFFF00u;
  node_pair nodes;
  REQUIRE(nodes.start_b);
  nodes.a->set_peer(sponsor, "127.0.0.1", nodes.b->port());
  nodes.a->send(sponsor, {{"type", "join"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_b.frames.size() == 1; }));
  CHECK(nodes.events_b.frames[0].first == 1);
  REQUIRE(nodes.events_a.links.size() == 1);
  CHECK(nodes.events_a.links[0].node == sponsor);
  CHECK(nodes.events_a.links[0].up);
}

TEST_CASE("a new node id applies to open connections, in order", "[cluster_transport]") {
  constexpr std::uint32_t temp = 0x80000123u;
  node_pair nodes(config_for(temp), config_for(2));
  REQUIRE(nodes.start_a);
  REQUIRE(nodes.start_b);

  SECTION("connection up") {
    nodes.a->send(2, {{"type", "before"}});
    REQUIRE(run_until(nodes.io, [&] { return nodes.events_b.frames.size() == 1; }));
  }
  SECTION("connection still in its handshake") {
    nodes.a->send(2, {{"type", "before"}});
  }
  nodes.a->set_node_id(5);
  nodes.a->send(2, {{"type", "after"}});
  nodes.a->send_heartbeat(2, {{"from", "five"}});
  REQUIRE(run_until(nodes.io, [&] {
    return nodes.events_b.frames.size() == 2 && nodes.events_b.heartbeats.size() == 1;
  }));
  CHECK(nodes.events_b.frames[0] == std::pair<std::uint32_t, json>{temp, {{"type", "before"}}});
  CHECK(nodes.events_b.frames[1] == std::pair<std::uint32_t, json>{5, {{"type", "after"}}});
  CHECK(nodes.events_b.heartbeats[0].first == 5);
  // One connection throughout.
  CHECK(nodes.events_a.ups() == 1);
  CHECK(nodes.events_a.downs() == 0);

  // Heartbeats must now name the new id.
  nodes.b->set_peer(5, "127.0.0.1", nodes.a->port());
  nodes.b->set_peer(temp, "127.0.0.1", nodes.a->port());
  nodes.b->send_heartbeat(temp, {{"to", "temp"}});
  nodes.b->send_heartbeat(5, {{"to", "five"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.heartbeats.size() == 1; }));
  CHECK(nodes.events_a.heartbeats[0].second == json{{"to", "five"}});
  CHECK(nodes.a->dropped_datagrams() == 1);
}
