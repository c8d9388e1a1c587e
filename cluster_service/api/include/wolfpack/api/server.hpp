#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/api/request.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"

// Declared rather than included: this header stays free of Asio and Beast so that the core,
// which only builds requests and responses, compiles quickly.
namespace boost::asio {
class io_context;
}

namespace wolfpack::api {

namespace detail {
class server_state;
}

struct server_options {
  std::size_t body_limit = std::size_t{1} << 20;  // larger bodies are answered 400
  std::size_t header_limit = 16 * 1024;           // larger headers are answered 431
  // A kept-alive connection with no request in flight is closed after this long.
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(2);
  // Time to receive a request once its first byte arrived, and to write a response.
  std::chrono::milliseconds io_timeout = std::chrono::seconds(30);
  std::size_t retained_events = 10000;  // replayed to subscribers that pass ?since=
  // A subscriber whose unsent events exceed either bound is disconnected ("too slow").
  std::size_t subscriber_queue_bytes = std::size_t{64} << 20;
  std::size_t subscriber_queue_messages = 100000;
  // How long a disconnected subscriber may take over the close handshake before its socket
  // is closed outright (a client that does not read would never finish it).
  std::chrono::milliseconds close_grace = std::chrono::seconds(2);
  // When not empty, every request (the /events upgrade too) must carry
  // `Authorization: Bearer <api_key>`; others are answered 401 before their body is read.
  std::string api_key;
};

// The HTTP/1.1 + WebSocket transport of the cluster API. Requests go to the handler; events
// given to broadcast() go to every GET /events WebSocket subscriber.
//
// Everything runs on the given io_context, which one thread runs (the event processor's):
// call every member function from that thread (or before it starts running). Destroy the
// server before the io_context; destruction closes it.
class server {
 public:
  server(boost::asio::io_context& io, request_handler handler, server_options options = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Starts accepting on a TCP (port 0: any free port) or Unix socket endpoint and returns
  // the bound endpoint. May be called more than once to listen on several endpoints.
  [[nodiscard]] result<endpoint> listen(const endpoint& ep);

  // Sends the event to every subscriber, in call order, and retains it for ?since= replay.
  // Events carry an increasing integer "seq"; one without it is sent but not retained.
  void broadcast(const nlohmann::json& event);

  // Stops accepting and closes every connection; pending responders become no-ops.
  void close();

  std::size_t subscriber_count() const;
  std::size_t connection_count() const;  // HTTP and WebSocket connections open now

 private:
  std::shared_ptr<detail::server_state> state_;  // shared with connections, which may outlive *this
};

}  // namespace wolfpack::api
