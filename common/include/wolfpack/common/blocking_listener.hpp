#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "wolfpack/common/blocking_channel.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/frame.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack {

// The listening end for blocking_channel: a parent without an event loop that waits for one
// child to connect (`wolfpack check-plugin` waiting for its resrcmon). Listens on a Unix
// socket or TCP alike, so the caller picks platform::local_listen_endpoint and works on every
// platform. Movable; one thread at a time.
class blocking_listener {
 public:
  // Binds and listens; TCP port 0 lets the system pick a free port (see local_endpoint).
  [[nodiscard]] static result<blocking_listener> listen(const endpoint& ep);

  blocking_listener(blocking_listener&&) noexcept;
  blocking_listener& operator=(blocking_listener&&) noexcept;
  ~blocking_listener();

  // Where it listens, with the chosen port: what to give the child.
  const endpoint& local_endpoint() const;

  // The next connection, as a channel, or why none came within `timeout`.
  [[nodiscard]] result<blocking_channel> accept(
      std::chrono::milliseconds timeout, std::size_t max_frame_bytes = default_max_frame_bytes);

 private:
  struct impl;
  explicit blocking_listener(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace wolfpack
