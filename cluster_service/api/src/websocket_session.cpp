#include "websocket_session.hpp"

#include <deque>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "beast_stream.hpp"
#include "server_state.hpp"
#include "wolfpack/common/logging.hpp"

namespace wolfpack::api::detail {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using error_code = boost::system::error_code;

// Clients only send control frames; anything bigger is not one of ours.
constexpr std::size_t max_client_message = 64 * 1024;

class websocket_session final : public connection,
                                public subscriber,
                                public std::enable_shared_from_this<websocket_session> {
 public:
  websocket_session(std::shared_ptr<server_state> state, stream_socket socket, std::string remote)
      : state_(std::move(state)),
        remote_(std::move(remote)),
        ws_(http_stream(std::move(socket))),
        close_timer_(ws_.get_executor()) {
    id_ = state_->add_connection(this);
  }
  ~websocket_session() override { state_->remove_connection(id_); }
  websocket_session(const websocket_session&) = delete;
  websocket_session& operator=(const websocket_session&) = delete;

  void start(upgrade_request request, std::optional<std::uint64_t> since);

  bool deliver(const event_text& event) override;
  void drop(std::string_view reason) override;
  void shut_down() override;

 private:
  void on_accept(const error_code& ec);
  void do_read();
  void do_write();
  void disconnect(websocket::close_code code, std::string_view reason);
  void arm_close_timer();
  void begin_close();
  void end(const error_code& ec);

  const std::shared_ptr<server_state> state_;
  const std::string remote_;
  std::uint64_t id_ = 0;
  websocket::stream<http_stream, false> ws_;  // no permessage-deflate: events are small
  net::steady_timer close_timer_;
  upgrade_request request_;  // must outlive async_accept
  beast::flat_buffer read_buffer_;

  std::deque<event_text> queue_;  // front is being written while writing_
  std::size_t queued_bytes_ = 0;
  bool accepted_ = false;
  bool writing_ = false;
  bool closing_ = false;  // no more events; a close is under way or due after the handshake
  bool close_started_ = false;
  bool ended_ = false;
  websocket::close_reason close_reason_;
};

void websocket_session::start(upgrade_request request, std::optional<std::uint64_t> since) {
  request_ = std::move(request);
  if (!state_->subscribe(id_, this, since)) {
    drop("too slow");  // the replay alone overflowed the queue
  }
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "wolfpack"); }));
  ws_.read_message_max(max_client_message);
  ws_.async_accept(request_,
                   [self = shared_from_this()](const error_code& ec) { self->on_accept(ec); });
}

void websocket_session::on_accept(const error_code& ec) {
  if (ec) {
    log::debug("api", {{"remote", remote_}}, "WebSocket handshake failed: {}", ec.message());
    end(ec);
    return;
  }
  accepted_ = true;
  log::info("api", {{"remote", remote_}}, "event subscriber connected ({} events to replay)",
            queue_.size());
  do_read();
  if (closing_) {
    begin_close();
  } else if (!queue_.empty()) {
    do_write();
  }
}

void websocket_session::do_read() {
  // Keeps a read pending so that Beast answers pings and sees the client's close.
  ws_.async_read(read_buffer_, [self = shared_from_this()](const error_code& ec, std::size_t) {
    if (ec) {
      self->end(ec);
      return;
    }
    self->read_buffer_.clear();
    self->do_read();
  });
}

bool websocket_session::deliver(const event_text& event) {
  if (closing_) {
    return true;  // on its way out; nothing more to send
  }
  if (queue_.size() >= state_->options().subscriber_queue_messages ||
      queued_bytes_ + event->size() > state_->options().subscriber_queue_bytes) {
    return false;
  }
  queue_.push_back(event);
  queued_bytes_ += event->size();
  if (accepted_ && !writing_) {
    do_write();
  }
  return true;
}

void websocket_session::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  [self = shared_from_this()](const error_code& ec, std::size_t) {
                    self->writing_ = false;
                    self->queued_bytes_ -= self->queue_.front()->size();
                    self->queue_.pop_front();
                    if (ec) {
                      self->end(ec);
                      return;
                    }
                    if (!self->closing_ && !self->queue_.empty()) {
                      self->do_write();
                    }
                  });
}

void websocket_session::drop(std::string_view reason) {
  disconnect(websocket::close_code::policy_error, reason);
}

void websocket_session::shut_down() {
  disconnect(websocket::close_code::going_away, "server closing");
}

void websocket_session::disconnect(websocket::close_code code, std::string_view reason) {
  if (closing_) {
    return;
  }
  log::write_line(code == websocket::close_code::going_away ? log_level::info : log_level::warn,
                  "api", {{"remote", remote_}},
                  fmt::format("event subscriber disconnected: {} ({} events, {} bytes unsent)",
                              reason, queue_.size(), queued_bytes_));
  state_->unsubscribe(id_);
  closing_ = true;
  close_reason_ = websocket::close_reason(code, beast::string_view(reason.data(), reason.size()));
  // Keep only the message being written; it owns the buffer Beast is sending from.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  if (accepted_) {
    begin_close();
  } else {
    // The handshake is still being written: close properly once it is done (on_accept),
    // unless it takes longer than the grace.
    arm_close_timer();
  }
}

void websocket_session::arm_close_timer() {
  close_timer_.expires_after(state_->options().close_grace);
  close_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) {
      beast::get_lowest_layer(self->ws_).close();
    }
  });
}

void websocket_session::begin_close() {
  close_started_ = true;
  // A peer that does not read never lets the close frame out: cut it off after the grace.
  arm_close_timer();
  ws_.async_close(close_reason_, [self = shared_from_this()](const error_code& ec) {
    self->close_timer_.cancel();
    if (ec && ec != net::error::operation_aborted) {
      log::debug("api", {{"remote", self->remote_}}, "WebSocket close: {}", ec.message());
    }
  });
}

void websocket_session::end(const error_code& ec) {
  if (ended_) {
    return;
  }
  ended_ = true;
  if (!closing_) {
    closing_ = true;
    state_->unsubscribe(id_);
    if (ec == websocket::error::closed) {
      log::info("api", {{"remote", remote_}}, "event subscriber closed the stream");
    } else if (ec != net::error::operation_aborted) {
      log::info("api", {{"remote", remote_}}, "event subscriber lost: {}", ec.message());
    }
  }
  if (close_started_) {
    return;  // the close handshake or its timer tears the connection down
  }
  // Nothing left to wait for; drops the last handlers that hold the session.
  close_timer_.cancel();
  beast::get_lowest_layer(ws_).close();
}

}  // namespace

void start_websocket_session(std::shared_ptr<server_state> state, stream_socket socket,
                             upgrade_request request, std::optional<std::uint64_t> since,
                             std::string remote) {
  std::make_shared<websocket_session>(std::move(state), std::move(socket), std::move(remote))
      ->start(std::move(request), since);
}

}  // namespace wolfpack::api::detail
