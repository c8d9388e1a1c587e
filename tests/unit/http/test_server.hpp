#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wolfpack/api/server.hpp"
#include "wolfpack/common/endpoint.hpp"

namespace wolfpack::test {

// An api::server listening on 127.0.0.1:0 (or the given endpoint), run by its own io thread as
// clussvc runs it on the event processor's. The handler runs on that thread. Keeps Asio out of the
// tests.
class test_server {
 public:
  explicit test_server(api::request_handler handler, api::server_options options = {},
                       const endpoint& listen_on = endpoint::tcp("127.0.0.1", 0));
  ~test_server();
  test_server(const test_server&) = delete;
  test_server& operator=(const test_server&) = delete;

  const endpoint& where() const { return where_; }

  // Runs `action` on the io thread and waits for it; throws if it does not run in time.
  void on_io(const std::function<void()>& action,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Runs `action` with the server on the io thread and waits for it.
  void with_server(const std::function<void(api::server&)>& action);

  void broadcast(const nlohmann::json& event);
  std::size_t subscriber_count();
  std::size_t connection_count();
  void close();

  // Runs on the io thread when the test_server is destroyed, before the server is: for
  // tests that keep responders, which must not outlive the io_context.
  void on_teardown(std::function<void()> action) { teardown_ = std::move(action); }

  // Polls `condition` on the io thread until it holds or the timeout passes.
  bool wait_on_io(const std::function<bool(api::server&)>& condition,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  endpoint where_;
  std::function<void()> teardown_;
};

// What a raw exchange got back: enough to check status, body and connection handling.
struct raw_response {
  int status = 0;
  std::string headers;  // the header block, lowercase names as sent
  std::string body;
};

// Sends `bytes` as is on a new connection and reads one response (by Content-Length, or
// to EOF), then closes. For requests the real client cannot produce: bad JSON, bad framing.
raw_response raw_exchange(const endpoint& where, std::string_view bytes,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace wolfpack::test
