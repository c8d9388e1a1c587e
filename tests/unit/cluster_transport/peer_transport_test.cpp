#include <chrono>
#include <string>

#include <boost/asio/ip/udp.hpp>
#include <catch2/catch.hpp>

#include "transport_fixture.hpp"
#include "wolfpack/common/endpoint_io.hpp"

using namespace wolfpack::cluster_transport;
using namespace wolfpack::cluster_transport::test;

TEST_CASE("frames are delivered in order both ways", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.start_a);
  REQUIRE(nodes.start_b);
  REQUIRE(nodes.a->port() != 0);

  constexpr int count = 100;
  for (int n = 0; n < count; ++n) {
    nodes.a->send(2, {{"type", "ping"}, {"n", n}});
    nodes.b->send(1, {{"type", "pong"}, {"n", n}, {"text", std::string(n * 10, 'x')}});
  }
  REQUIRE(run_until(nodes.io, [&] {
    return nodes.events_b.frames.size() == count && nodes.events_a.frames.size() == count;
  }));
  for (int n = 0; n < count; ++n) {
    CHECK(nodes.events_b.frames[n].first == 1);
    CHECK(nodes.events_b.frames[n].second == json{{"type", "ping"}, {"n", n}});
    CHECK(nodes.events_a.frames[n].first == 2);
    CHECK(nodes.events_a.frames[n].second["n"] == n);
  }
  // One connection each way, reported up once.
  REQUIRE(nodes.events_a.links.size() == 1);
  CHECK(nodes.events_a.links[0].node == 2);
  CHECK(nodes.events_a.links[0].up);
  CHECK(nodes.events_a.links[0].reason.empty());
  REQUIRE(nodes.events_b.links.size() == 1);
  CHECK(nodes.events_b.links[0].node == 1);
}

TEST_CASE("a frame must be a JSON object", "[cluster_transport]") {
  node_pair nodes;
  CHECK_THROWS_AS(nodes.a->send(2, json::array({1, 2})), std::invalid_argument);
}

TEST_CASE("a peer whose transport is destroyed is reported down", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.connect_both());
  nodes.b.reset();
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 1; }));
  CHECK(nodes.events_a.links.back().node == 2);
  CHECK_THAT(*nodes.events_a.last_down_reason(), Catch::Contains("node 2"));
}

TEST_CASE("a changed address ends the old connection", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.connect_both());
  nodes.a->set_peer(2, "127.0.0.1", nodes.b->port());  // unchanged: nothing happens
  run_for(nodes.io, 50ms);
  CHECK(nodes.events_a.downs() == 0);

  nodes.a->set_peer(2, "::1", nodes.b->port());
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 1; }));
  CHECK_THAT(*nodes.events_a.last_down_reason(), Catch::Contains("changed"));

  // The next frame dials again, at once (b listens on IPv4 only, so this one fails).
  nodes.a->send(2, {{"type", "again"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 2; }));
  CHECK_THAT(*nodes.events_a.last_down_reason(), Catch::Contains("tcp:[::1]"));
}

TEST_CASE("remove_peer ends the connection and reports it", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.connect_both());
  nodes.a->remove_peer(2);
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 1; }));
  CHECK_THAT(*nodes.events_a.last_down_reason(), Catch::Contains("removed"));
  nodes.a->send(2, {{"type", "lost"}});
  CHECK(nodes.events_a.logged("warn", "address is not known"));
}

TEST_CASE("after a failed dial, the next one waits 100 ms", "[cluster_transport]") {
  boost::asio::io_context io;
  // A port that was just free: connections to it are refused at once.
  std::uint16_t closed_port = 0;
  {
    auto acceptor = wolfpack::listen_on(io, wolfpack::endpoint::tcp("127.0.0.1", 0));
    REQUIRE(acceptor);
    closed_port = wolfpack::local_endpoint_of(*acceptor)->port;
  }
  recorder events;
  peer_transport a(io, config_for(1), events.handlers());
  REQUIRE(a.start());
  a.set_peer(2, "127.0.0.1", closed_port);

  const auto begin = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - begin < 350ms) {
    a.send(2, {{"type", "ping"}});
    run_for(io, 5ms);
  }
  run_for(io, 20ms);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  // Every attempt ends with exactly one report; at most one attempt per 100 ms.
  CHECK(events.ups() == 0);
  CHECK(events.downs() >= 2);
  CHECK(events.downs() <= static_cast<std::size_t>(elapsed / 100ms) + 1);
  CHECK_THAT(*events.last_down_reason(), Catch::Contains("cannot connect to node 2"));
}

TEST_CASE("start() refuses a short secret and names an address in use", "[cluster_transport]") {
  boost::asio::io_context io;
  recorder events;

  peer_transport weak(io, config_for(1, "lab", "short"), events.handlers());
  auto started = weak.start();
  REQUIRE_FALSE(started);
  CHECK_THAT(started.error(), Catch::Contains("at least 16"));

  peer_transport a(io, config_for(1), events.handlers());
  REQUIRE(a.start());
  auto config = config_for(2);
  config.listen_port = a.port();
  peer_transport b(io, config, events.handlers());
  started = b.start();
  REQUIRE_FALSE(started);
  CHECK_THAT(started.error(), Catch::Contains("tcp:127.0.0.1:" + std::to_string(a.port())));

  // The UDP twin taken by someone else: named as well.
  boost::asio::ip::udp::socket udp(
      io, boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto udp_port = udp.local_endpoint().port();
  config.listen_port = udp_port;
  peer_transport c(io, config, events.handlers());
  started = c.start();
  REQUIRE_FALSE(started);
  CHECK_THAT(started.error(), Catch::Contains("udp:127.0.0.1:" + std::to_string(udp_port)));
}
