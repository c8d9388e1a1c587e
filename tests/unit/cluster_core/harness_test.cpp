// The test harness itself: fake_network's routing, links, latency and partitions, and the
// fake monitors' lease and the fake store of fake_node. These run without any multi-node
// behaviour of the core, so the harness is known to be right before the scenarios of
// multinode_test.cpp rely on it.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "wolfpack/sim/fake_network.hpp"
#include "wolfpack/sim/fake_node.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

constexpr std::uint32_t sponsor = 0xFFFFFF00u;  // what a joiner calls the node at its join address

fake_network three_nodes() {
  fake_network net({"n1", "n2", "n3"}, 1);
  for (std::size_t i = 1; i <= 3; ++i)
    net.process_started(i);
  net.send(1, 0, out_peers{1, {{2, "n2"}, {3, "n3"}}, {}, {}});
  net.send(2, 0, out_peers{2, {{1, "n1"}, {3, "n3"}}, {}, {}});
  net.send(3, 0, out_peers{3, {{1, "n1"}, {2, "n2"}}, {}, {}});
  return net;
}

out_send_peer frame(std::uint32_t to, const std::string& type) {
  return out_send_peer{to, std::make_shared<const nlohmann::json>(nlohmann::json{{"type", type}})};
}

// "to:kind:from:detail" for each delivery, to compare whole sequences.
std::vector<std::string> describe(const std::vector<fake_network::delivery>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) {
    std::string s = std::to_string(d.to) + ":";
    if (const auto* f = std::get_if<in_peer_frame>(&d.in))
      s += "frame:" + std::to_string(f->from) + ":" + f->frame->value("type", "");
    else if (const auto* h = std::get_if<in_heartbeat>(&d.in))
      s += "heartbeat:" + std::to_string(h->from) + ":" + h->body->value("n", "");
    else if (const auto* l = std::get_if<in_peer_link>(&d.in))
      s += std::string("link:") + std::to_string(l->node) + ":" + (l->up ? "up" : "down");
    else
      s += "?";
    out.push_back(s);
  }
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("fake_network delivers frames after the latency, in order, and reports the link",
          "[harness][network]") {
  auto net = three_nodes();
  net.send(1, 100, frame(2, "a"));
  net.send(1, 100, frame(2, "b"));
  net.send(3, 100, frame(2, "c"));
  CHECK(net.next_delivery() == 101u);
  CHECK(net.take_due(100).empty());
  CHECK(describe(net.take_due(101)) ==
        strings{"1:link:2:up", "2:frame:1:a", "2:frame:1:b", "3:link:2:up", "2:frame:3:c"});
  // The connection stays up: no second link event.
  net.send(1, 102, frame(2, "d"));
  CHECK(describe(net.take_due(103)) == strings{"2:frame:1:d"});

  SECTION("FIFO per pair when the latency shrinks") {
    net.set_latency(50);
    net.send(1, 200, frame(2, "slow"));
    net.set_latency(1);
    net.send(1, 201, frame(2, "fast"));
    CHECK(net.take_due(202).empty());
    CHECK(describe(net.take_due(250)) == strings{"2:frame:1:slow", "2:frame:1:fast"});
  }
  SECTION("an id the sender has no address for is dropped") {
    net.send(1, 200, frame(9, "x"));
    CHECK(net.in_flight() == 0);
    CHECK(net.stats().dropped_no_address == 1);
  }
  SECTION("a frame for another id than the listener's is dropped") {
    net.send(1, 200, out_peers{1, {{2, "n2"}, {7, "n3"}}, {}, {}});
    net.send(1, 200, frame(7, "x"));
    CHECK(net.in_flight() == 0);
    CHECK(net.stats().dropped_wrong_id == 1);
  }
}

TEST_CASE("fake_network routes a joiner's temporary ids by address", "[harness][network]") {
  fake_network net({"n1", "n2"}, 1);
  net.process_started(1);
  net.process_started(2);
  const std::uint32_t temp = temp_node_id_base + 5;
  net.send(1, 0, out_peers{1, {}, {}, {}});
  net.send(2, 0, out_peers{temp, {{sponsor, "n1"}}, {}, {}});
  net.send(2, 10, frame(sponsor, "join_req"));
  CHECK(describe(net.take_due(11)) == strings{"2:link:" + std::to_string(sponsor) + ":up",
                                              "1:frame:" + std::to_string(temp) + ":join_req"});
  // The sponsor answers the temporary id at the address the request named.
  net.send(1, 11, out_peers{1, {{temp, "n2"}}, {}, {}});
  net.send(1, 11, frame(temp, "join_accept"));
  CHECK(describe(net.take_due(12)) ==
        strings{"1:link:" + std::to_string(temp) + ":up", "2:frame:1:join_accept"});
  // With its real id the joiner is reached by it, on the same connections (one per address).
  net.send(2, 12, out_peers{2, {{1, "n1"}}, {}, {}});
  net.send(1, 12, out_peers{1, {{2, "n2"}}, {}, {}});
  net.send(1, 12, frame(2, "hello"));
  net.send(2, 12, frame(1, "hi"));
  CHECK(describe(net.take_due(13)) == strings{"2:frame:1:hello", "1:frame:2:hi"});
  // A temporary id is not checked (the transport cannot know whose it is): a late frame for
  // the joiner's old one still reaches the node at that address.
  net.send(1, 13, out_peers{1, {{2, "n2"}, {temp, "n2"}}, {}, {}});
  net.send(1, 13, frame(temp, "late"));
  CHECK(describe(net.take_due(14)) == strings{"2:frame:1:late"});
}

TEST_CASE("fake_network: a dead peer refuses, a replaced one resets, inputs to it are lost",
          "[harness][network]") {
  auto net = three_nodes();
  net.send(1, 0, frame(3, "a"));
  net.send(3, 0, frame(1, "to-be-lost"));
  net.take_due(1);
  net.send(1, 5, frame(3, "in-flight"));
  net.process_ended(3);
  // In flight to a process that ended: dropped.
  CHECK(net.take_due(6).empty());

  // The next frames are refused: one link event at a time.
  net.send(1, 10, frame(3, "b"));
  net.send(1, 10, frame(3, "c"));
  CHECK(describe(net.take_due(11)) == strings{"1:link:3:down"});
  net.send(1, 20, frame(3, "d"));
  CHECK(describe(net.take_due(21)) == strings{"1:link:3:down"});
  // Heartbeats to it vanish without a word.
  net.send(1, 30, out_heartbeat{{{"n", "1"}}});
  CHECK(describe(net.take_due(31)) == strings{"2:heartbeat:1:1"});

  // A new process at n3: a connection made to the old one is reset; the next one connects.
  auto net2 = three_nodes();
  net2.send(1, 0, frame(3, "a"));
  net2.take_due(1);
  net2.process_ended(3);
  net2.process_started(3);
  net2.send(3, 2, out_peers{3, {{1, "n1"}, {2, "n2"}}, {}, {}});
  net2.send(1, 2, frame(3, "lost"));
  CHECK(describe(net2.take_due(3)) == strings{"1:link:3:down"});
  net2.send(1, 4, frame(3, "again"));
  CHECK(describe(net2.take_due(5)) == strings{"1:link:3:up", "3:frame:1:again"});
}

TEST_CASE("fake_network: a partition drops silently until it heals", "[harness][network]") {
  auto net = three_nodes();
  net.send(1, 0, frame(3, "before"));  // in flight when the partition starts
  net.partition({{1, 2}, {3}});
  CHECK(net.connected(1, 2));
  CHECK_FALSE(net.connected(1, 3));
  CHECK(describe(net.take_due(1)) == strings{"1:link:3:up"});
  net.send(1, 2, frame(3, "x"));
  net.send(3, 2, frame(1, "y"));
  net.send(1, 2, out_heartbeat{{{"n", "1"}}});
  net.send(3, 2, out_heartbeat{{{"n", "3"}}});
  CHECK(describe(net.take_due(3)) == strings{"2:heartbeat:1:1"});
  net.heal();
  net.send(1, 4, frame(3, "after"));
  net.send(3, 4, out_heartbeat{{{"n", "3"}}});
  CHECK(describe(net.take_due(5)) ==
        strings{"3:frame:1:after", "1:heartbeat:3:3", "2:heartbeat:3:3"});

  SECTION("a node on no side is alone") {
    net.partition({{1, 2}});
    CHECK_FALSE(net.connected(3, 1));
    CHECK_FALSE(net.connected(3, 2));
    CHECK(net.connected(1, 2));
  }
}

TEST_CASE("a fake monitor whose lease ran out terminates its resources, as resrcmon does",
          "[harness][lease]") {
  fake_node f;
  make_online_chain(f);
  CHECK_FALSE(f.lease_deadline("default"));
  f.renew_leases(f.now() + 500);
  CHECK(f.lease_deadline("default") == f.now() + 500);
  f.advance(499);
  CHECK_FALSE(f.lease_expired("default"));
  CHECK(f.monitor_resource("default", "A")->state == "Online");

  SECTION("the clock passes the deadline") {
    const auto from = f.monitor_calls().size();
    const auto deadline = f.now() + 1;
    f.advance(1);
    CHECK(f.lease_expired("default"));
    std::vector<std::string> stops;
    for (std::size_t i = from; i < f.monitor_calls().size(); ++i) {
      const auto& c = f.monitor_calls()[i];
      if (c.cause == "lease") {
        CHECK(c.at == deadline);
        stops.push_back(c.type + " " + c.resource);
      }
    }
    CHECK(stops == strings{"terminate A", "terminate B", "terminate C"});
    CHECK(f.monitor_resource("default", "A")->state != "Online");
    CHECK(f.resource_state("A") != r_online);
    CHECK(f.logged("lease_expired"));
    // Whatever the core tries now, no Online reaches a plugin until a renewal.
    f.advance(60000);
    for (std::size_t i = from; i < f.monitor_calls().size(); ++i) {
      const auto& c = f.monitor_calls()[i];
      INFO(c.type << " " << c.resource << " at " << c.at);
      CHECK((c.type != "online" || !c.ran));
    }
    f.renew_leases(f.now() + 500);
    CHECK_FALSE(f.lease_expired("default"));
    CHECK(f.lease_deadline("default") == f.now() + 500);
  }
  SECTION("driven from outside: the monitor fences while the node does not run") {
    f.set_clock(f.now() + 1);
    CHECK_FALSE(f.idle());
    CHECK(f.expire_leases());
    CHECK(f.monitor_resource("default", "A")->state == "Failed");
    CHECK(f.resource_state("A") == r_online);  // the core has not read the frames yet
    f.run_until_idle();
    CHECK(f.resource_state("A") != r_online);
  }
  SECTION("the process dies: its monitor terminates what runs") {
    f.end_process("parent_lost");
    std::vector<std::string> stops;
    for (const auto& c : f.monitor_calls()) {
      if (c.cause == "parent_lost")
        stops.push_back(c.type + " " + c.resource);
    }
    CHECK(stops == strings{"terminate A", "terminate B", "terminate C"});
    CHECK_FALSE(f.monitor_running("default"));
  }
}

TEST_CASE("the fake store holds what was acknowledged", "[harness][store]") {
  fake_node f;
  make_chain(f);
  CHECK(f.stored_seq() == f.core().database_seq());
  CHECK(f.stored_database() == f.core().database());
  f.hold_db();
  const auto before = f.stored_seq();
  f.api_async("POST", "/groups", {{"name", "H"}});
  f.run_until_idle();
  CHECK(f.stored_seq() == before);
  CHECK(f.stored_database() != f.core().database());
  f.release_db();
  CHECK(f.stored_seq() == f.core().database_seq());
  CHECK(f.stored_database() == f.core().database());
  CHECK(f.store_errors().empty());
}
