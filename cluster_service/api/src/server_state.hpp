#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/api/request.hpp"
#include "wolfpack/api/server.hpp"

namespace wolfpack::api::detail {

// An event as sent: serialised once, shared by every subscriber queue and the ring.
using event_text = std::shared_ptr<const std::string>;

// What the server needs of every open connection to close it.
class connection {
 public:
  virtual ~connection() = default;
  // Starts closing; never destroys the connection synchronously.
  virtual void shut_down() = 0;
};

// What the server needs of a WebSocket session to feed it events.
class subscriber {
 public:
  virtual ~subscriber() = default;
  // Queues one event. False when the queue is over its bound: the caller unsubscribes and
  // drops the subscriber.
  virtual bool deliver(const event_text& event) = 0;
  virtual void drop(std::string_view reason) = 0;
};

// State shared by the server object and its connections. Connections hold it by shared_ptr
// (their handlers may run after the server object is gone) and register themselves by raw
// pointer, removing themselves in their destructors. Touched only on the io thread.
class server_state {
 public:
  server_state(boost::asio::io_context& io, request_handler handler, server_options options);
  server_state(const server_state&) = delete;
  server_state& operator=(const server_state&) = delete;

  boost::asio::io_context& io() const { return io_; }
  const server_options& options() const { return options_; }
  const request_handler& handler() const { return handler_; }
  bool closed() const { return closed_; }

  std::uint64_t next_request_id() { return next_request_id_++; }

  std::uint64_t add_connection(connection* c);
  void remove_connection(std::uint64_t id);
  std::size_t connection_count() const { return connections_.size(); }

  // Registers the subscriber and queues the retained events with seq > *since. Returns
  // false when the replay alone overflowed the subscriber's queue (it is not registered).
  bool subscribe(std::uint64_t id, subscriber* s, std::optional<std::uint64_t> since);
  void unsubscribe(std::uint64_t id);
  std::size_t subscriber_count() const { return subscribers_.size(); }

  void broadcast(const nlohmann::json& event);

  // Runs at close(), before connections are shut down (the listeners stop accepting).
  void on_close(std::function<void()> action) { on_close_.push_back(std::move(action)); }

  // Marks the server closed, runs the on_close actions and shuts every connection down.
  void close();

 private:
  boost::asio::io_context& io_;
  const request_handler handler_;
  const server_options options_;

  bool closed_ = false;
  std::uint64_t next_request_id_ = 1;
  std::uint64_t next_connection_id_ = 1;
  std::map<std::uint64_t, connection*> connections_;
  std::map<std::uint64_t, subscriber*> subscribers_;
  // The last options_.retained_events events that had a seq, oldest first, seq increasing.
  std::deque<std::pair<std::uint64_t, event_text>> retained_;
  std::vector<std::function<void()>> on_close_;
};

}  // namespace wolfpack::api::detail
