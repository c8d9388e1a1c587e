#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace wolfpack::cluster_transport;
using namespace wolfpack::cluster_transport::test;

TEST_CASE("a blocked peer's frames and heartbeats are dropped both ways until unblocked",
          "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.connect_both());

  nodes.a->set_faults({2}, 0);
  nodes.a->send(2, {{"type", "blocked"}});
  nodes.b->send(1, {{"type", "blocked"}});
  nodes.a->send_heartbeat(2, {{"blocked", true}});
  nodes.b->send_heartbeat(1, {{"blocked", true}});
  run_for(nodes.io, 300ms);
  CHECK(nodes.events_a.frames.size() == 1);
  CHECK(nodes.events_b.frames.size() == 1);
  CHECK(nodes.events_a.heartbeats.empty());
  CHECK(nodes.events_b.heartbeats.empty());
  // A cut network, not a crash: the connections stay up, nothing counts as forged.
  CHECK(nodes.events_a.downs() == 0);
  CHECK(nodes.events_b.downs() == 0);
  CHECK(nodes.a->dropped_datagrams() == 0);

  nodes.a->set_faults({}, 0);
  nodes.a->send(2, {{"type", "after"}});
  nodes.b->send(1, {{"type", "after"}});
  nodes.a->send_heartbeat(2, {{"after", true}});
  nodes.b->send_heartbeat(1, {{"after", true}});
  REQUIRE(run_until(nodes.io, [&] {
    return nodes.events_a.frames.size() == 2 && nodes.events_b.frames.size() == 2 &&
           nodes.events_a.heartbeats.size() == 1 && nodes.events_b.heartbeats.size() == 1;
  }));
  CHECK(nodes.events_a.frames[1].second["type"] == "after");
  CHECK(nodes.events_b.frames[1].second["type"] == "after");
  CHECK(nodes.events_a.heartbeats[0].second == json{{"after", true}});
  CHECK(nodes.events_b.heartbeats[0].second == json{{"after", true}});
  CHECK(nodes.events_a.ups() == 1);
}

TEST_CASE("delayed frames and heartbeats arrive late and in order", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.connect_both());

  nodes.a->set_faults({}, 200);
  const auto sent = std::chrono::steady_clock::now();
  for (int n = 0; n < 10; ++n) {
    nodes.a->send(2, {{"type", "late"}, {"n", n}});
  }
  nodes.a->send_heartbeat(2, {{"late", true}});
  std::chrono::steady_clock::duration frame_after{};
  std::chrono::steady_clock::duration heartbeat_after{};
  REQUIRE(run_until(nodes.io, [&] {
    const auto now = std::chrono::steady_clock::now() - sent;
    if (frame_after == frame_after.zero() && nodes.events_b.frames.size() > 1) {
      frame_after = now;
    }
    if (heartbeat_after == heartbeat_after.zero() && !nodes.events_b.heartbeats.empty()) {
      heartbeat_after = now;
    }
    return nodes.events_b.frames.size() == 11 && !nodes.events_b.heartbeats.empty();
  }));
  CHECK(frame_after >= 200ms);
  CHECK(heartbeat_after >= 200ms);
  for (int n = 0; n < 10; ++n) {
    CHECK(nodes.events_b.frames[n + 1].second["n"] == n);
  }

  // Shortening the delay lets nothing overtake what is still waiting.
  nodes.a->set_faults({}, 300);
  nodes.a->send(2, {{"type", "slow"}});
  nodes.a->set_faults({}, 0);
  nodes.a->send(2, {{"type", "fast"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_b.frames.size() == 13; }));
  CHECK(nodes.events_b.frames[11].second["type"] == "slow");
  CHECK(nodes.events_b.frames[12].second["type"] == "fast");
}
