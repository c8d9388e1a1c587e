#pragma once

// The insides of blocking_channel, shared with blocking_listener, which hands an accepted
// connection to a new channel.

#include <array>
#include <chrono>
#include <deque>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/blocking_channel.hpp"
#include "wolfpack/common/endpoint_io.hpp"

namespace wolfpack {

// Asio has no synchronous calls with a deadline, so each call starts the asynchronous
// operation on a private io_context and runs that context until the operation finishes or
// the deadline passes (then cancels it and runs until the handler has seen the
// cancellation). Portable, unlike poll() on a raw descriptor.
struct blocking_channel::impl {
  boost::asio::io_context io;
  stream_socket socket{io};
  frame_decoder decoder;
  std::deque<nlohmann::json> pending;
  std::array<char, 64 * 1024> buffer{};
  bool open = false;
  std::string last_error;

  explicit impl(std::size_t max_frame_bytes) : decoder(max_frame_bytes) {}

  // Runs until *done or the deadline; true if done in time.
  bool run_until(const bool& done, std::chrono::milliseconds timeout) {
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      io.run_one_until(deadline);
    }
    if (done) {
      return true;
    }
    boost::system::error_code ignored;
    socket.cancel(ignored);
    io.restart();
    while (!done) {
      io.run_one();
    }
    return false;
  }

  void close_with(std::string reason) {
    last_error = std::move(reason);
    open = false;
    boost::system::error_code ignored;
    socket.close(ignored);
  }

  status write(const std::string& bytes, std::chrono::milliseconds timeout) {
    if (!open) {
      return fail("channel is closed" + (last_error.empty() ? "" : ": " + last_error));
    }
    bool done = false;
    boost::system::error_code result;
    boost::asio::async_write(socket, boost::asio::buffer(bytes),
                             [&](const boost::system::error_code& ec, std::size_t) {
                               result = ec;
                               done = true;
                             });
    if (!run_until(done, timeout)) {
      // A partial frame may be on the wire: the stream cannot be trusted any more.
      close_with("send timed out after " + std::to_string(timeout.count()) + " ms");
      return fail(last_error);
    }
    if (result) {
      close_with("send failed: " + result.message());
      return fail(last_error);
    }
    return {};
  }
};

}  // namespace wolfpack
