#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "echo_server.hpp"
#include "temp_dir.hpp"
#include "wolfpack/common/blocking_channel.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::blocking_channel;
using wolfpack::channel_options;
using wolfpack::endpoint;
using wolfpack::framed_channel;
using wolfpack::stream_socket;
using wolfpack::test::echo_server;
using wolfpack::test::temp_dir;

namespace {

// Client and server channels in one io_context on this thread: the server echoes, the
// client sends `count` messages (half of them through post_send from another thread) and
// closes once every reply is in. run_for bounds the whole exchange.
void round_trip(const endpoint& where) {
  boost::asio::io_context io;
  auto acceptor = wolfpack::listen_on(io, where);
  REQUIRE(acceptor.ok());
  auto bound = wolfpack::local_endpoint_of(*acceptor);
  REQUIRE(bound.ok());

  static constexpr int count = 50;
  std::shared_ptr<framed_channel> server;
  std::shared_ptr<framed_channel> client;
  std::vector<json> replies;
  std::string server_closed;
  std::string client_closed;
  std::thread poster;
  std::string handler_error;  // REQUIRE must not throw through Asio with a thread running

  acceptor->async_accept([&](const boost::system::error_code& ec, stream_socket socket) {
    if (ec) {
      handler_error = "accept: " + ec.message();
      return;
    }
    server = framed_channel::create(std::move(socket), "server");
    server->start(
        [&](json message) {
          server->send({{"type", "reply"}, {"n", message["n"]}});
        },
        [&](const std::string& reason) {
          server_closed = reason;
          acceptor->close();
        });
  });

  wolfpack::async_connect_to(io, *bound, [&](wolfpack::result<stream_socket> socket) {
    if (!socket) {
      handler_error = socket.error();
      return;
    }
    client = framed_channel::create(std::move(socket).value(), "client");
    client->start(
        [&](json message) {
          replies.push_back(std::move(message));
          if (replies.size() == count)
            client->close();
        },
        [&](const std::string& reason) { client_closed = reason; });
    for (int n = 0; n < count / 2; ++n)
      client->send({{"type", "ping"}, {"n", n}});
    poster = std::thread([c = client] {
      for (int n = count / 2; n < count; ++n)
        c->post_send({{"type", "ping"}, {"n", n}});
    });
  });

  io.run_for(10s);
  if (poster.joinable())
    poster.join();
  REQUIRE(handler_error.empty());

  REQUIRE(replies.size() == count);
  // Messages sent from one thread arrive in order; the two senders interleave.
  std::vector<int> seen;
  for (const auto& r : replies) {
    CHECK(r["type"] == "reply");
    seen.push_back(r["n"].get<int>());
  }
  std::sort(seen.begin(), seen.end());
  for (int n = 0; n < count; ++n)
    CHECK(seen[n] == n);
  CHECK(client_closed == "closed locally");
  CHECK(server_closed == "closed by peer");
  CHECK_FALSE(client->is_open());
}

}  // namespace

TEST_CASE("framed_channel round trip over a Unix socket", "[channel][unix]") {
  temp_dir dir;
  round_trip(endpoint::unix_socket((dir / "rt.sock").string()));
}

TEST_CASE("framed_channel round trip over TCP loopback", "[channel]") {
  round_trip(endpoint::tcp("127.0.0.1", 0));
}

TEST_CASE("an oversized frame closes only that connection", "[channel]") {
  temp_dir dir;
  channel_options options;
  options.max_frame_bytes = 1024;
  echo_server server(dir.local_endpoint("big.sock"), options);

  auto good = blocking_channel::connect(server.where());
  REQUIRE(good.ok());
  auto bad = blocking_channel::connect(server.where());
  REQUIRE(bad.ok());

  REQUIRE(good->send({{"type", "ping"}}).ok());
  auto reply = good->receive(5s);
  REQUIRE(reply);
  CHECK((*reply)["payload"]["type"] == "ping");

  // A header announcing 2000 bytes: the server must not wait for the body.
  REQUIRE(bad->send_raw_for_test(std::string("\x00\x00\x07\xd0", 4)).ok());
  CHECK_FALSE(bad->receive(5s));
  CHECK_FALSE(bad->is_open());
  CHECK(bad->last_error() == "closed by peer");

  const auto reasons = server.wait_for_closes(1, 5s);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0] == "frame of 2000 bytes exceeds the limit of 1024 bytes");

  // The other connection is untouched.
  REQUIRE(good->send({{"type", "still-there"}}).ok());
  auto second = good->receive(5s);
  REQUIRE(second);
  CHECK((*second)["payload"]["type"] == "still-there");
}

TEST_CASE("a malformed frame closes only that connection", "[channel]") {
  temp_dir dir;
  echo_server server(dir.local_endpoint("bad.sock"));
  auto good = blocking_channel::connect(server.where());
  auto bad = blocking_channel::connect(server.where());
  REQUIRE(good.ok());
  REQUIRE(bad.ok());

  REQUIRE(bad->send_raw_for_test(std::string("\x00\x00\x00\x03[1]", 7)).ok());
  CHECK_FALSE(bad->receive(5s));
  CHECK_FALSE(bad->is_open());
  const auto reasons = server.wait_for_closes(1, 5s);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0] == "frame body is an array, not a JSON object");

  REQUIRE(good->send({{"type", "ping"}}).ok());
  CHECK(good->receive(5s));
}

TEST_CASE("binary frames pass between channels that accept them, queued with JSON ones",
          "[channel]") {
  boost::asio::io_context io;
  auto acceptor = wolfpack::listen_on(io, endpoint::tcp("127.0.0.1", 0));
  REQUIRE(acceptor.ok());
  auto bound = wolfpack::local_endpoint_of(*acceptor);
  REQUIRE(bound.ok());
  channel_options binary;
  binary.binary_frames = true;
  std::shared_ptr<framed_channel> server;
  std::vector<json> got;
  acceptor->async_accept([&](const boost::system::error_code& ec, stream_socket socket) {
    if (ec)
      return;
    server = framed_channel::create(std::move(socket), "server", binary);
    server->start([&](json message) { got.push_back(std::move(message)); },
                  [](const std::string&) {});
  });
  auto socket = wolfpack::connect_to(io, *bound);
  REQUIRE(socket.ok());
  auto client = framed_channel::create(std::move(socket).value(), "client");
  client->start([](json) {}, [](const std::string&) {});
  // Sent in one go: the channel writes what is queued together, in order.
  constexpr int count = 200;
  for (int i = 0; i < count; ++i) {
    if (i % 2 == 0)
      client->send({{"type", "json"}, {"i", i}});
    else
      client->send_binary(std::string(1, '\0') + std::to_string(i));
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (got.size() < count && std::chrono::steady_clock::now() < deadline)
    io.run_for(20ms);
  REQUIRE(got.size() == count);
  for (int i = 0; i < count; ++i) {
    if (i % 2 == 0) {
      CHECK(got[i]["i"] == i);
    } else {
      REQUIRE(got[i]["type"] == wolfpack::binary_message_type);
      const auto& bin = got[i]["data"].get_binary();
      CHECK(std::string(bin.begin(), bin.end()) == std::string(1, '\0') + std::to_string(i));
    }
  }
  client->close();
  if (server)
    server->close();
}

TEST_CASE("a binary frame closes a connection that takes JSON only", "[channel]") {
  temp_dir dir;
  echo_server server(dir.local_endpoint("bin.sock"));
  auto bad = blocking_channel::connect(server.where());
  REQUIRE(bad.ok());
  REQUIRE(bad->send_raw_for_test(wolfpack::encode_binary_frame("P123")).ok());
  CHECK_FALSE(bad->receive(5s));
  const auto reasons = server.wait_for_closes(1, 5s);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0] == "binary frame of 5 bytes on a connection that takes JSON messages only");
}

TEST_CASE("framed_channel refuses to send a frame over its own limit", "[channel]") {
  boost::asio::io_context io;
  temp_dir dir;
  auto acceptor = wolfpack::listen_on(io, dir.local_endpoint("s.sock"));
  REQUIRE(acceptor.ok());
  auto bound = wolfpack::local_endpoint_of(*acceptor);
  REQUIRE(bound.ok());
  auto socket = wolfpack::connect_to(io, *bound);
  REQUIRE(socket.ok());
  channel_options options;
  options.max_frame_bytes = 64;
  auto channel = framed_channel::create(std::move(socket).value(), "small", options);
  std::string reason;
  channel->start([](json) {}, [&](const std::string& r) { reason = r; });
  channel->send({{"type", "big"}, {"pad", std::string(100, 'x')}});
  CHECK_FALSE(channel->is_open());
  io.run_for(5s);
  CHECK_THAT(reason, Catch::StartsWith("outgoing frame of"));
}

TEST_CASE("framed_channel closed before start still reports once", "[channel]") {
  boost::asio::io_context io;
  temp_dir dir;
  auto acceptor = wolfpack::listen_on(io, dir.local_endpoint("c.sock"));
  REQUIRE(acceptor.ok());
  auto where = wolfpack::local_endpoint_of(*acceptor);
  REQUIRE(where.ok());
  auto socket = wolfpack::connect_to(io, *where);
  REQUIRE(socket.ok());
  auto channel = framed_channel::create(std::move(socket).value());
  channel->close();
  int calls = 0;
  channel->start([](json) {},
                 [&](const std::string& r) {
                   ++calls;
                   CHECK(r == "closed locally");
                 });
  io.run_for(5s);
  CHECK(calls == 1);
}

TEST_CASE("listen_on and connect_to report errors", "[channel][unix]") {
  boost::asio::io_context io;
  temp_dir dir;
  auto missing = wolfpack::connect_to(io, endpoint::unix_socket((dir / "none.sock").string()));
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error(), Catch::StartsWith("cannot connect to unix:"));

  auto no_dir = wolfpack::listen_on(io, endpoint::unix_socket((dir / "no/such/dir.sock").string()));
  REQUIRE_FALSE(no_dir.ok());
  CHECK_THAT(no_dir.error(), Catch::StartsWith("cannot bind unix:"));

  // A stale socket file from a dead process is replaced; a regular file is not.
  const auto path = (dir / "stale.sock").string();
  {
    auto first = wolfpack::listen_on(io, endpoint::unix_socket(path));
    REQUIRE(first.ok());
  }
  CHECK(wolfpack::listen_on(io, endpoint::unix_socket(path)).ok());
  const auto regular = (dir / "regular").string();
  { std::ofstream(regular) << "x"; }
  CHECK_FALSE(wolfpack::listen_on(io, endpoint::unix_socket(regular)).ok());
  CHECK(std::filesystem::exists(regular));
}
