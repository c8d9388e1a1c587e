#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_server.hpp"
#include "wolfpack/http/http_client.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::endpoint;
using wolfpack::api::request;
using wolfpack::api::responder;
using wolfpack::http::event_stream;
using wolfpack::test::test_server;

namespace {

void not_found(request, responder respond) {
  respond({404, nullptr});
}

json event(std::uint64_t seq, const std::string& padding = {}) {
  json e = {{"seq", seq}, {"kind", "RESOURCE_STATE"}, {"filter", 256}, {"name", "Disk Q"}};
  if (!padding.empty()) {
    e["padding"] = padding;
  }
  return e;
}

// Broadcasts seq first..last in one go on the io thread, as the event processor would.
void broadcast_range(test_server& server, std::uint64_t first, std::uint64_t last,
                     const std::string& padding = {}) {
  server.with_server([&](wolfpack::api::server& s) {
    for (auto seq = first; seq <= last; ++seq) {
      s.broadcast(event(seq, padding));
    }
  });
}

event_stream subscribe(const test_server& server, std::optional<std::uint64_t> since = {}) {
  auto s = event_stream::open(server.where(), since);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// Reads events first..last, each within a deadline, checking the order.
void expect_range(event_stream& s, std::uint64_t first, std::uint64_t last) {
  for (auto seq = first; seq <= last; ++seq) {
    auto e = s.next(10s);
    REQUIRE(e.has_value());
    REQUIRE((*e)["seq"] == seq);
  }
}

}  // namespace

TEST_CASE("a subscriber receives every broadcast event, in order", "[websocket]") {
  test_server server(not_found);
  auto s = subscribe(server);
  CHECK(server.subscriber_count() == 1);

  broadcast_range(server, 1, 500);
  expect_range(s, 1, 500);
  CHECK(s.is_open());

  SECTION("next() times out without losing the event that comes later") {
    CHECK_FALSE(s.next(20ms).has_value());
    CHECK(s.is_open());
    server.broadcast(event(501));
    auto e = s.next(10s);
    REQUIRE(e.has_value());
    CHECK(*e == event(501));
  }
}

TEST_CASE("since replays the retained events first", "[websocket]") {
  wolfpack::api::server_options options;
  options.retained_events = 10;
  test_server server(not_found, options);
  broadcast_range(server, 1, 20);

  SECTION("from a seq that is still retained") {
    auto s = subscribe(server, 15);
    expect_range(s, 16, 20);
    server.broadcast(event(21));
    expect_range(s, 21, 21);
  }
  SECTION("only the last retained_events are kept") {
    auto s = subscribe(server, 0);
    expect_range(s, 11, 20);
    server.broadcast(event(21));
    expect_range(s, 21, 21);
  }
  SECTION("nothing newer: only live events") {
    auto s = subscribe(server, 20);
    CHECK_FALSE(s.next(20ms).has_value());
    server.broadcast(event(21));
    expect_range(s, 21, 21);
  }
  SECTION("without since, no replay") {
    auto s = subscribe(server);
    server.broadcast(event(21));
    expect_range(s, 21, 21);
  }
}

TEST_CASE("two subscribers receive the same events", "[websocket]") {
  test_server server(not_found);
  auto a = subscribe(server);
  auto b = subscribe(server);
  CHECK(server.subscriber_count() == 2);
  broadcast_range(server, 1, 100);
  expect_range(a, 1, 100);
  expect_range(b, 1, 100);

  a.close();
  CHECK_FALSE(a.is_open());
  REQUIRE(server.wait_on_io([](auto& s) { return s.subscriber_count() == 1; }));
  broadcast_range(server, 101, 110);
  expect_range(b, 101, 110);
}

TEST_CASE("a subscriber that never reads is dropped without holding up the others", "[websocket]") {
  wolfpack::api::server_options options;
  options.subscriber_queue_bytes = 1 << 20;
  options.close_grace = 200ms;
  test_server server(not_found, options);
  auto slow = subscribe(server);
  auto fast = subscribe(server);

  // 8 KiB events in batches the fast subscriber reads as they come; the slow one's socket
  // buffers fill, then its queue passes 1 MiB and the server lets it go.
  const std::string padding(8 * 1024, 'p');
  constexpr std::uint64_t batch = 50;          // 400 KiB: within the fast one's bound
  constexpr std::uint64_t max_events = 20000;  // ~160 MiB: far more than any socket buffers
  std::uint64_t sent = 0;
  bool dropped = false;
  while (sent < max_events && !dropped) {
    broadcast_range(server, sent + 1, sent + batch, padding);
    expect_range(fast, sent + 1, sent + batch);
    sent += batch;
    dropped = server.subscriber_count() == 1;
  }
  REQUIRE(dropped);
  INFO("dropped after " << sent << " events");

  // The others go on as before.
  broadcast_range(server, sent + 1, sent + batch);
  expect_range(fast, sent + 1, sent + batch);

  // The slow one finds its stream closed once it reads what had reached it.
  std::uint64_t last_seq = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (slow.is_open() && std::chrono::steady_clock::now() < deadline) {
    if (auto e = slow.next(5s)) {
      CHECK((*e)["seq"].get<std::uint64_t>() == last_seq + 1);
      last_seq = (*e)["seq"];
    }
  }
  CHECK_FALSE(slow.is_open());
  CHECK(last_seq < sent);
}

TEST_CASE("closing the server ends the event streams", "[websocket]") {
  test_server server(not_found);
  auto s = subscribe(server);
  server.close();
  CHECK_FALSE(s.next(10s).has_value());
  CHECK_FALSE(s.is_open());
  CHECK(s.close_reason() == "closed by the server (1001): server closing");
}

TEST_CASE("subscribing fails with a clear message", "[websocket]") {
  std::uint16_t port = 0;
  {
    test_server gone(not_found);
    port = gone.where().port;
  }
  SECTION("connection refused") {
    auto s = event_stream::open(endpoint::tcp("127.0.0.1", port));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error() ==
          "cannot connect to 127.0.0.1:" + std::to_string(port) + ": connection refused");
  }
  SECTION("a bad since is refused by the server") {
    test_server server(not_found);
    // The client only sends numbers; the server still checks what arrives.
    const auto raw = wolfpack::test::raw_exchange(
        server.where(),
        "GET /events?since=abc HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n");
    CHECK(raw.status == 400);
    CHECK(json::parse(raw.body)["error"]["message"] ==
          "query parameter 'since' must be an unsigned integer, not 'abc'");
    CHECK(server.subscriber_count() == 0);
  }
}
