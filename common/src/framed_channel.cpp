#include "wolfpack/common/framed_channel.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "wolfpack/common/logging.hpp"

namespace wolfpack {

namespace {
// Frames gathered into one write at most: Asio passes at most 64 buffers to one writev.
constexpr std::size_t max_frames_per_write = 64;
}  // namespace

std::shared_ptr<framed_channel> framed_channel::create(stream_socket socket, std::string name,
                                                       channel_options options) {
  // The constructor is private so every channel lives in a shared_ptr (the handlers keep
  // it alive through shared_from_this()).
  return std::shared_ptr<framed_channel>(
      new framed_channel(std::move(socket), std::move(name), options));
}

framed_channel::framed_channel(stream_socket socket, std::string name, channel_options options)
    : socket_(std::move(socket)),
      name_(std::move(name)),
      options_(options),
      decoder_(options.max_frame_bytes, options.binary_frames) {}

void framed_channel::start(message_handler on_message, closed_handler on_closed) {
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  if (started_) {
    return;
  }
  started_ = true;
  if (closed_) {
    // Closed before it was started: still report it, exactly once.
    notify_closed();
    return;
  }
  do_read();
}

void framed_channel::do_read() {
  socket_.async_read_some(
      boost::asio::buffer(read_buffer_),
      [this, self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        if (closed_) {
          return;
        }
        if (ec) {
          close_with(ec == boost::asio::error::eof ? "closed by peer" : ec.message());
          return;
        }
        auto decoded = decoder_.feed(std::string_view(read_buffer_.data(), n));
        for (auto& message : decoded.messages) {
          if (closed_) {
            return;  // a handler closed the channel; the rest is dropped
          }
          if (on_message_) {
            on_message_(std::move(message));
          }
        }
        if (closed_) {
          return;
        }
        if (decoded.error) {
          log::warn("channel", {{"channel", name_}, {"error", to_string(decoded.error->code)}},
                    "closing connection: {}", decoded.error->message);
          close_with(decoded.error->message);
          return;
        }
        do_read();
      });
}

void framed_channel::send(const nlohmann::json& message) {
  if (closed_) {
    return;
  }
  send_encoded(encode_frame(message));
}

void framed_channel::send_binary(std::string_view data) {
  if (closed_) {
    return;
  }
  send_encoded(encode_binary_frame(data));
}

void framed_channel::post_send(const nlohmann::json& message) {
  boost::asio::post(socket_.get_executor(),
                    [self = shared_from_this(), frame = encode_frame(message)]() mutable {
                      self->send_encoded(std::move(frame));
                    });
}

void framed_channel::send_encoded(std::string frame) {
  if (closed_) {
    return;
  }
  const std::size_t body = frame.size() - frame_header_bytes;
  if (body > options_.max_frame_bytes) {
    const std::string reason = "outgoing frame of " + std::to_string(body) +
                               " bytes exceeds the limit of " +
                               std::to_string(options_.max_frame_bytes) + " bytes";
    log::error("channel", {{"channel", name_}}, "closing connection: {}", reason);
    close_with(reason);
    return;
  }
  if (queued_bytes_ + frame.size() > options_.max_send_queue_bytes) {
    const std::string reason = "send queue exceeds " +
                               std::to_string(options_.max_send_queue_bytes) +
                               " bytes (peer not reading)";
    log::warn("channel", {{"channel", name_}}, "closing connection: {}", reason);
    close_with(reason);
    return;
  }
  queued_bytes_ += frame.size();
  write_queue_.push_back(std::move(frame));
  if (!writing_) {
    do_write();
  }
}

void framed_channel::do_write() {
  writing_ = true;
  // What is queued (up to max_frames_per_write frames) goes in one write: frames sent in one
  // burst (a batch of global updates to each member, the answers to several requests) cost
  // one system call, not one each.
  std::vector<boost::asio::const_buffer> buffers;
  const std::size_t count = std::min<std::size_t>(write_queue_.size(), max_frames_per_write);
  buffers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    buffers.push_back(boost::asio::buffer(write_queue_[i]));
  }
  boost::asio::async_write(
      socket_, buffers,
      [this, self = shared_from_this(), count](const boost::system::error_code& ec, std::size_t) {
        if (closed_) {
          return;
        }
        if (ec) {
          close_with(ec.message());
          return;
        }
        for (std::size_t i = 0; i < count; ++i) {
          queued_bytes_ -= write_queue_.front().size();
          write_queue_.pop_front();
        }
        if (write_queue_.empty()) {
          writing_ = false;
        } else {
          do_write();
        }
      });
}

void framed_channel::close() {
  close_with("closed locally");
}

void framed_channel::post_close() {
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()]() { self->close(); });
}

void framed_channel::close_with(const std::string& reason) {
  if (closed_) {
    return;
  }
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(stream_socket::shutdown_both, ignored);
  socket_.close(ignored);
  write_queue_.clear();
  queued_bytes_ = 0;
  close_reason_ = reason;
  log::debug("channel", {{"channel", name_}}, "closed: {}", reason);
  if (started_) {
    notify_closed();
  }
}

void framed_channel::notify_closed() {
  // Posted, so the owner is never called back from inside its own call to close() or send().
  // on_message_ is released there too, not here: close_with() may run inside on_message_ itself.
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()]() {
    self->on_message_ = nullptr;
    if (auto on_closed = std::exchange(self->on_closed_, nullptr)) {
      on_closed(self->close_reason_);
    }
  });
}

}  // namespace wolfpack
