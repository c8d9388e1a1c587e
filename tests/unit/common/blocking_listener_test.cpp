// blocking_listener: the listening end of blocking_channel (wolfpack check-plugin waits for its
// resrcmon with it).

#include <chrono>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/blocking_channel.hpp"
#include "wolfpack/common/blocking_listener.hpp"
#include "wolfpack/common/platform/local_endpoint.hpp"

using namespace wolfpack;
using namespace std::chrono_literals;

TEST_CASE("blocking_listener accepts a channel that carries frames both ways",
          "[blocking_listener]") {
  test::temp_dir dir;
  // Where clussvc listens for its monitors: a Unix socket here, TCP loopback on Windows.
  for (const auto& ep : {endpoint::tcp("127.0.0.1", 0),
                         platform::local_listen_endpoint(dir.path(), "parent.sock")}) {
    INFO(ep.to_string());
    auto listener = blocking_listener::listen(ep);
    REQUIRE(listener);
    const auto bound = listener->local_endpoint();
    if (ep.kind == endpoint_kind::tcp)
      CHECK(bound.port != 0);
    auto client = blocking_channel::connect(bound, 5s);
    REQUIRE(client);
    auto server = listener->accept(5s);
    REQUIRE(server);
    REQUIRE(client->send({{"type", "hello"}}));
    const auto hello = server->receive(5s);
    REQUIRE(hello);
    CHECK(hello->at("type") == "hello");
    REQUIRE(server->send({{"type", "welcome"}}));
    const auto welcome = client->receive(5s);
    REQUIRE(welcome);
    CHECK(welcome->at("type") == "welcome");
    client->close();
    CHECK_FALSE(server->receive(5s));
    CHECK_FALSE(server->is_open());
  }
}

TEST_CASE("blocking_listener says when nobody connects in time", "[blocking_listener]") {
  auto listener = blocking_listener::listen(endpoint::tcp("127.0.0.1", 0));
  REQUIRE(listener);
  const auto started = std::chrono::steady_clock::now();
  const auto none = listener->accept(100ms);
  REQUIRE_FALSE(none);
  CHECK(none.error() ==
        "no connection on " + listener->local_endpoint().to_string() + " within 100 ms");
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  // Still listening: a later client is accepted.
  auto client = blocking_channel::connect(listener->local_endpoint(), 5s);
  REQUIRE(client);
  CHECK(listener->accept(5s));
}

TEST_CASE("blocking_listener refuses an address it cannot bind", "[blocking_listener]") {
  const auto bad = blocking_listener::listen(endpoint::tcp("203.0.113.1", 0));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().find("203.0.113.1") != std::string::npos);
}
