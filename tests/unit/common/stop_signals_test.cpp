// The platform layer's stop requests, local channel endpoints and small system helpers, on
// POSIX (the Windows side runs in the Wine smoke tests, tests/windows).

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "temp_dir.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/platform/local_endpoint.hpp"
#include "wolfpack/common/platform/stop_signals.hpp"
#include "wolfpack/common/platform/system.hpp"

using namespace wolfpack::platform;

TEST_CASE("stop_signals reports each SIGTERM and SIGINT on the io thread", "[stop_signals]") {
  boost::asio::io_context io;
  std::vector<std::string> requests;
  stop_signals stop(io, [&](std::string_view request) {
    requests.emplace_back(request);
    if (requests.size() == 2)
      io.stop();
  });
  std::raise(SIGTERM);
  std::raise(SIGINT);
  // A bound on the wait: a lost signal fails the test instead of hanging it.
  boost::asio::steady_timer limit(io, std::chrono::seconds(10));
  limit.async_wait([&](const boost::system::error_code& ec) {
    if (!ec)
      io.stop();
  });
  io.run();
  CHECK(requests == std::vector<std::string>{"SIGTERM", "SIGINT"});
}

TEST_CASE("request_stop reaches this process's stop_signals", "[stop_signals]") {
  boost::asio::io_context io;
  std::vector<std::string> requests;
  stop_signals stop(io, [&](std::string_view request) {
    requests.emplace_back(request);
    io.stop();
  });
  REQUIRE(request_stop(process_id()));
  boost::asio::steady_timer limit(io, std::chrono::seconds(10));
  limit.async_wait([&](const boost::system::error_code& ec) {
    if (!ec)
      io.stop();
  });
  io.run();
  CHECK(requests == std::vector<std::string>{"SIGTERM"});
  CHECK_FALSE(request_stop(0));
}

TEST_CASE("forced_exit_code is 128 plus the request's signal number", "[stop_signals]") {
  CHECK(forced_exit_code("SIGINT") == 130);
  CHECK(forced_exit_code("CTRL_C_EVENT") == 130);
  CHECK(forced_exit_code("SIGTERM") == 143);
  CHECK(forced_exit_code("CTRL_BREAK_EVENT") == 149);
  CHECK(forced_exit_code("STOP_REQUEST") == 149);
}

TEST_CASE("local_listen_endpoint is a Unix socket in the directory on POSIX", "[local_endpoint]") {
  wolfpack::test::temp_dir dir;
  const auto ep = local_listen_endpoint(dir.path(), "monitors.sock");
  REQUIRE(ep.kind == wolfpack::endpoint_kind::unix_socket);
  CHECK(ep.path == (dir / "monitors.sock").string());

  boost::asio::io_context io;
  auto acceptor = wolfpack::listen_on(io, ep);
  REQUIRE(acceptor);
  auto bound = wolfpack::local_endpoint_of(*acceptor);
  REQUIRE(bound);
  CHECK(*bound == ep);
  CHECK(wolfpack::connect_to(io, *bound));
}

TEST_CASE("set_environment is seen by getenv", "[system]") {
  REQUIRE(set_environment("WOLFPACK_TEST_SET_ENVIRONMENT", "a value"));
  const char* value = std::getenv("WOLFPACK_TEST_SET_ENVIRONMENT");
  REQUIRE(value != nullptr);
  CHECK(std::string(value) == "a value");
}
