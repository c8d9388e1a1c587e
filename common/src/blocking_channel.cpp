#include "wolfpack/common/blocking_channel.hpp"

#include <optional>
#include <utility>

#include <boost/asio/error.hpp>

#include "blocking_channel_impl.hpp"

namespace wolfpack {

blocking_channel::blocking_channel(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}
blocking_channel::blocking_channel(blocking_channel&&) noexcept = default;
blocking_channel& blocking_channel::operator=(blocking_channel&&) noexcept = default;
blocking_channel::~blocking_channel() = default;

result<blocking_channel> blocking_channel::connect(const endpoint& ep,
                                                   std::chrono::milliseconds timeout,
                                                   std::size_t max_frame_bytes) {
  auto state = std::make_unique<impl>(max_frame_bytes);
  bool done = false;
  std::optional<result<stream_socket>> connected;
  async_connect_to(state->io, ep, [&](result<stream_socket> r) {
    connected.emplace(std::move(r));
    done = true;
  });
  // The connecting socket is internal to async_connect_to; on timeout we stop the context,
  // which abandons the attempt (its handler is destroyed with the context).
  state->io.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    state->io.run_one_until(deadline);
  }
  if (!done) {
    return fail("cannot connect to " + ep.to_string() + ": timed out after " +
                std::to_string(timeout.count()) + " ms");
  }
  if (!*connected) {
    return fail(connected->error());
  }
  state->socket = std::move(connected->value());
  state->open = true;
  return blocking_channel(std::move(state));
}

status blocking_channel::send(const nlohmann::json& message, std::chrono::milliseconds timeout) {
  return impl_->write(encode_frame(message), timeout);
}

status blocking_channel::send_raw_for_test(const std::string& bytes,
                                           std::chrono::milliseconds timeout) {
  return impl_->write(bytes, timeout);
}

std::optional<nlohmann::json> blocking_channel::receive(std::chrono::milliseconds timeout) {
  auto& s = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (s.pending.empty()) {
    if (!s.open) {
      if (s.last_error.empty())
        s.last_error = "channel is closed";
      return std::nullopt;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        now < deadline ? deadline - now : std::chrono::steady_clock::duration::zero());
    bool done = false;
    boost::system::error_code result;
    std::size_t received = 0;
    s.socket.async_read_some(boost::asio::buffer(s.buffer),
                             [&](const boost::system::error_code& ec, std::size_t n) {
                               result = ec;
                               received = n;
                               done = true;
                             });
    const bool in_time = s.run_until(done, left);
    // Bytes that arrived together with the cancellation still count.
    if (received > 0) {
      auto decoded = s.decoder.feed(std::string_view(s.buffer.data(), received));
      for (auto& m : decoded.messages)
        s.pending.push_back(std::move(m));
      if (decoded.error) {
        s.close_with(decoded.error->message);
        break;
      }
    }
    if (!in_time) {
      if (s.pending.empty()) {
        s.last_error = "no message within " + std::to_string(timeout.count()) + " ms";
        return std::nullopt;
      }
      break;
    }
    if (result) {
      s.close_with(result == boost::asio::error::eof ? "closed by peer" : result.message());
      break;
    }
  }
  if (s.pending.empty()) {
    return std::nullopt;
  }
  auto message = std::move(s.pending.front());
  s.pending.pop_front();
  return message;
}

bool blocking_channel::is_open() const {
  return impl_ && impl_->open;
}

const std::string& blocking_channel::last_error() const {
  static const std::string moved_from = "channel was moved from";
  return impl_ ? impl_->last_error : moved_from;
}

void blocking_channel::close() {
  if (impl_ && impl_->open) {
    impl_->close_with("closed locally");
  }
}

}  // namespace wolfpack
