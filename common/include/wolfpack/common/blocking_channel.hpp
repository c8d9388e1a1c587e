#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/frame.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack {

// A framed connection used one call at a time, each with a deadline: for tests and simple
// clients that have no event loop (the other end of a connect, blocking_listener). Same framing as
// framed_channel. Movable; not for use from several threads at once.
class blocking_channel {
 public:
  static constexpr std::chrono::milliseconds default_timeout{5000};

  [[nodiscard]] static result<blocking_channel> connect(
      const endpoint& ep, std::chrono::milliseconds timeout = default_timeout,
      std::size_t max_frame_bytes = default_max_frame_bytes);

  blocking_channel(blocking_channel&&) noexcept;
  blocking_channel& operator=(blocking_channel&&) noexcept;
  ~blocking_channel();

  // Sends one message. A failure or timeout closes the channel.
  status send(const nlohmann::json& message, std::chrono::milliseconds timeout = default_timeout);

  // Sends raw bytes as they are, e.g. a deliberately broken frame in a test.
  status send_raw_for_test(const std::string& bytes,
                           std::chrono::milliseconds timeout = default_timeout);

  // The next message, or nullopt if none arrives in time, the peer closed, or the stream
  // broke; is_open() and last_error() tell which. A timeout leaves the channel usable.
  std::optional<nlohmann::json> receive(std::chrono::milliseconds timeout = default_timeout);

  bool is_open() const;
  // Why the last call failed ("timed out after 100 ms", "closed by peer", a frame error).
  const std::string& last_error() const;
  void close();

 private:
  friend class blocking_listener;
  struct impl;
  explicit blocking_channel(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack
