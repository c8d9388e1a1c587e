#include <string>

#include <boost/asio/ip/udp.hpp>
#include <catch2/catch.hpp>

#include "transport_fixture.hpp"
#include "wire.hpp"

using namespace wolfpack::cluster_transport;
using namespace wolfpack::cluster_transport::test;
namespace ip = boost::asio::ip;

TEST_CASE("heartbeats are delivered in order", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.start_a);
  REQUIRE(nodes.start_b);
  for (int n = 0; n < 5; ++n) {
    nodes.a->send_heartbeat(2, {{"epoch", 7}, {"n", n}});
  }
  nodes.b->send_heartbeat(1, {{"epoch", 7}});
  REQUIRE(run_until(nodes.io, [&] {
    return nodes.events_b.heartbeats.size() == 5 && nodes.events_a.heartbeats.size() == 1;
  }));
  for (int n = 0; n < 5; ++n) {
    CHECK(nodes.events_b.heartbeats[n].first == 1);
    CHECK(nodes.events_b.heartbeats[n].second == json{{"epoch", 7}, {"n", n}});
  }
  CHECK(nodes.events_a.heartbeats[0].first == 2);
  CHECK(nodes.a->dropped_datagrams() == 0);
  CHECK(nodes.b->dropped_datagrams() == 0);
  // Heartbeats need no connection.
  CHECK(nodes.events_a.links.empty());
}

TEST_CASE("an oversized heartbeat is not sent", "[cluster_transport]") {
  node_pair nodes;
  nodes.a->send_heartbeat(2, {{"pad", std::string(61 * 1024, 'x')}});
  nodes.a->send_heartbeat(2, {{"small", true}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_b.heartbeats.size() == 1; }));
  CHECK(nodes.events_b.heartbeats[0].second == json{{"small", true}});
  CHECK(nodes.events_a.logged("warn", "exceeds the limit"));
}

TEST_CASE("forged, replayed and malformed datagrams are dropped and counted",
          "[cluster_transport]") {
  boost::asio::io_context io;
  recorder events;
  peer_transport b(io, config_for(2), events.handlers());
  REQUIRE(b.start());
  ip::udp::socket udp(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const ip::udp::endpoint to(ip::make_address("127.0.0.1"), b.port());
  auto hb = [](std::uint64_t inc, std::uint64_t seq, std::string secret = lab_secret,
               std::string cluster = "lab", std::uint32_t target = 2) {
    return make_heartbeat({cluster, 7, target, inc, seq, {{"seq", seq}}}, secret);
  };
  std::size_t delivered = 0;
  std::uint64_t dropped = 0;
  // Sends one datagram and waits until b has either delivered or dropped it.
  auto deliver = [&](const std::string& datagram) {
    udp.send_to(boost::asio::buffer(datagram), to);
    REQUIRE(run_until(io, [&] {
      return events.heartbeats.size() > delivered || b.dropped_datagrams() > dropped;
    }));
    const bool accepted = events.heartbeats.size() > delivered;
    delivered = events.heartbeats.size();
    dropped = b.dropped_datagrams();
    return accepted;
  };

  CHECK(deliver(hb(100, 5)));
  CHECK_FALSE(deliver(hb(100, 5)));  // replayed
  CHECK_FALSE(deliver(hb(100, 4)));  // older
  CHECK(deliver(hb(100, 6)));
  CHECK_FALSE(deliver(hb(100, 9, "not the secret!!")));
  CHECK_FALSE(deliver(hb(100, 10, lab_secret, "other-lab")));
  CHECK_FALSE(deliver(hb(100, 11, lab_secret, "lab", 3)));  // captured on its way to node 3
  CHECK_FALSE(deliver("not json"));
  CHECK_FALSE(deliver(R"({"type":"hb","cluster":"lab"})"));
  auto tampered = json::parse(hb(100, 12));
  tampered["body"] = R"({"seq":99})";
  CHECK_FALSE(deliver(tampered.dump()));
  // The sender restarted: a new incarnation starts over; its old one is not taken back.
  CHECK(deliver(hb(200, 1)));
  CHECK(deliver(hb(200, 2)));
  CHECK_FALSE(deliver(hb(100, 13)));
  CHECK(b.dropped_datagrams() == 9);
  REQUIRE(events.heartbeats.size() == 4);
  CHECK(events.heartbeats[0] == std::pair<std::uint32_t, json>{7, {{"seq", 5}}});
  CHECK(events.heartbeats[3].second == json{{"seq", 2}});
}
