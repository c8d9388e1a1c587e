#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::http {

// A subscriber to the cluster's event stream (GET /events over WebSocket). Synchronous and
// not thread-safe: events are read by calling next(). Events the caller has not read yet
// wait in socket buffers; a caller that stops reading for long is disconnected by the
// server ("too slow").
class event_stream {
 public:
  // Returns once the server has accepted the subscription: every event broadcast after
  // that is received. With `since`, the retained events with a greater seq come first.
  // `api_key` as for client::set_api_key.
  [[nodiscard]] static result<event_stream> open(
      const endpoint& ep, std::optional<std::uint64_t> since = std::nullopt,
      std::chrono::milliseconds timeout = std::chrono::seconds(5), std::string api_key = {});

  // The next event; nullopt when none arrived within the timeout (the stream stays open)
  // or when the stream is closed (is_open() turns false).
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);

  bool is_open() const;

  // Why the stream closed, e.g. "closed by the server (1008): too slow"; empty while open.
  const std::string& close_reason() const;

  // Closes with a WebSocket close handshake (bounded by `timeout`). The destructor closes
  // without one.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds(1));

  event_stream(event_stream&&) noexcept;
  event_stream& operator=(event_stream&&) noexcept;
  ~event_stream();

 private:
  struct impl;
  explicit event_stream(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack::http
