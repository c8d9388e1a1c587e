#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "echo_server.hpp"
#include "temp_dir.hpp"
#include "wolfpack/common/blocking_channel.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::blocking_channel;
using wolfpack::endpoint;
using wolfpack::test::echo_server;
using wolfpack::test::temp_dir;

TEST_CASE("blocking_channel sends and receives over TCP", "[blocking_channel]") {
  echo_server server(endpoint::tcp("127.0.0.1", 0));
  auto channel = blocking_channel::connect(server.where(), 5s);
  REQUIRE(channel.ok());
  for (int i = 0; i < 10; ++i) {
    REQUIRE(channel->send({{"type", "ping"}, {"i", i}}).ok());
  }
  for (int i = 0; i < 10; ++i) {
    auto reply = channel->receive(5s);
    REQUIRE(reply);
    CHECK((*reply)["payload"]["i"] == i);
  }
}

TEST_CASE("blocking_channel receive times out and stays usable", "[blocking_channel]") {
  temp_dir dir;
  echo_server server(dir.local_endpoint("t.sock"));
  auto channel = blocking_channel::connect(server.where());
  REQUIRE(channel.ok());
  CHECK_FALSE(channel->receive(50ms));
  CHECK(channel->is_open());
  CHECK(channel->last_error() == "no message within 50 ms");

  REQUIRE(channel->send({{"type", "after-timeout"}}).ok());
  auto reply = channel->receive(5s);
  REQUIRE(reply);
  CHECK((*reply)["payload"]["type"] == "after-timeout");
}

TEST_CASE("blocking_channel reports a refused connection", "[blocking_channel][unix]") {
  temp_dir dir;
  auto channel = blocking_channel::connect(endpoint::unix_socket((dir / "nobody.sock").string()));
  REQUIRE_FALSE(channel.ok());
  CHECK_THAT(channel.error(), Catch::StartsWith("cannot connect to unix:"));
}

TEST_CASE("blocking_channel sees the peer close", "[blocking_channel]") {
  temp_dir dir;
  auto channel = [&] {
    echo_server server(dir.local_endpoint("c.sock"));
    auto c = blocking_channel::connect(server.where());
    REQUIRE(c.ok());
    // Make sure the server accepted before it shuts down (and so closes us).
    REQUIRE(c->send({{"type", "hello"}}).ok());
    REQUIRE(c->receive(5s));
    return std::move(c).value();
  }();
  CHECK_FALSE(channel.receive(5s));
  CHECK_FALSE(channel.is_open());
  CHECK(channel.last_error() == "closed by peer");
  CHECK_FALSE(channel.send({{"type", "late"}}).ok());
}
