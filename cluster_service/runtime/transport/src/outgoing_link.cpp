#include "outgoing_link.hpp"

#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "crypto.hpp"

namespace wolfpack::cluster_transport {

using nlohmann::json;

std::shared_ptr<outgoing_link> outgoing_link::create(boost::asio::io_context& io,
                                                     const transport_config& config,
                                                     std::uint32_t node, endpoint target,
                                                     events handlers) {
  // Private constructor: handlers hold weak_ptrs, so every link lives in a shared_ptr.
  return std::shared_ptr<outgoing_link>(
      new outgoing_link(io, config, node, std::move(target), std::move(handlers)));
}

outgoing_link::outgoing_link(boost::asio::io_context& io, const transport_config& config,
                             std::uint32_t node, endpoint target, events handlers)
    : cluster_(config.cluster_name),
      aka_(config.earlier_cluster_names),
      secret_(config.secret),
      self_(config.node_id),
      version_(config.protocol_version),
      heartbeat_ms_(config.heartbeat_ms),
      threshold_(config.threshold),
      node_(node),
      target_(std::move(target)),
      handshake_timeout_(config.handshake_timeout_ms),
      events_(std::move(handlers)),
      socket_(io),
      handshake_timer_(io) {}

void outgoing_link::start() {
  if (phase_ != phase::idle) {
    return;
  }
  phase_ = phase::connecting;
  const std::weak_ptr<outgoing_link> weak = weak_from_this();
  handshake_timer_.expires_after(handshake_timeout_);
  handshake_timer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!self || ec || self->phase_ == phase::up) {
      return;
    }
    self->end("no welcome from " + self->where() + " within " +
              std::to_string(self->handshake_timeout_.count()) + " ms");
  });

  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(target_.host, ec);
  if (ec) {
    // Reported from the event loop: on_down never runs inside a call from the owner.
    boost::asio::post(socket_.get_executor(), [weak] {
      if (auto self = weak.lock()) {
        self->end("cannot connect to " + self->where() + ": '" + self->target_.host +
                  "' is not a numeric IP address");
      }
    });
    return;
  }
  // Our own socket rather than async_connect_to, so that close() can abort a connect that
  // would otherwise wait for the operating system's timeout.
  socket_.async_connect(
      stream_protocol::endpoint(boost::asio::ip::tcp::endpoint(address, target_.port)),
      [weak](const boost::system::error_code& connect_ec) {
        if (auto self = weak.lock()) {
          self->on_connected(connect_ec);
        }
      });
}

void outgoing_link::on_connected(const boost::system::error_code& ec) {
  if (phase_ != phase::connecting) {
    return;
  }
  if (ec) {
    end("cannot connect to " + where() + ": " + ec.message());
    return;
  }
  tune_socket(socket_);
  channel_ = framed_channel::create(std::move(socket_), "to node " + std::to_string(node_));
  phase_ = phase::handshaking;
  nonces_.nonce_d = random_hex(16);
  const std::weak_ptr<outgoing_link> weak = weak_from_this();
  channel_->start(
      [weak](json message) {
        if (auto self = weak.lock()) {
          self->on_message(message);
        }
      },
      [weak](const std::string& reason) {
        if (auto self = weak.lock()) {
          self->end("connection to " + self->where() + " closed: " + reason);
        }
      });
  channel_->send(make_hello(
      {cluster_, self_, version_, nonces_.nonce_d, aka_, heartbeat_ms_, threshold_}, secret_));
}

void outgoing_link::on_message(const json& message) {
  const auto& type = message["type"].get_ref<const std::string&>();
  if (phase_ == phase::handshaking && type == "welcome") {
    on_welcome(message);
  } else if (phase_ == phase::handshaking && type == "refused") {
    const auto refused = read_refused(message);
    end("refused by " + where() + " (code " + std::to_string(refused.code) +
        "): " + refused.message);
  } else if (phase_ == phase::handshaking) {
    end("unexpected '" + type + "' from " + where() + " during the handshake");
  } else if (phase_ == phase::up) {
    end("unexpected '" + type + "' from " + where() + " (this connection only sends)");
  }
}

void outgoing_link::on_welcome(const json& message) {
  auto nonce_a = check_welcome(message, cluster_, nonces_.nonce_d, secret_);
  if (!nonce_a) {
    end(where() + ": " + nonce_a.error());
    return;
  }
  nonces_.nonce_a = std::move(nonce_a).value();
  phase_ = phase::up;
  handshake_timer_.cancel();
  for (auto& p : std::exchange(waiting_, {})) {
    if (p.rename) {
      send_rename(*p.rename);
    } else {
      send_body(std::move(p.body));
    }
  }
  events_.on_up();
}

void outgoing_link::send(const json& frame) {
  if (phase_ == phase::ended) {
    return;
  }
  auto body = dump_compact(frame);
  if (phase_ == phase::up) {
    send_body(std::move(body));
  } else {
    waiting_.push_back({std::move(body), std::nullopt});
  }
}

void outgoing_link::rename(std::uint32_t node) {
  if (phase_ == phase::up) {
    send_rename(node);
  } else if (phase_ != phase::ended) {
    waiting_.push_back({{}, node});
  }
}

void outgoing_link::send_rename(std::uint32_t node) {
  channel_->send(make_rename(nonces_, ++ctr_, node, secret_));
}

void outgoing_link::send_body(std::string body) {
  channel_->send_binary(make_peer_frame(mac_key_, nonces_, ++ctr_, body));
}

std::size_t outgoing_link::unsent_bytes() const {
  if (phase_ == phase::ended)
    return 0;
  std::size_t n = channel_ ? channel_->queued_bytes() : 0;
  for (const auto& w : waiting_)
    n += w.body.size() + 1;  // a rename counts too: it must go first
  return n;
}

void outgoing_link::close() {
  if (phase_ == phase::ended) {
    return;
  }
  phase_ = phase::ended;
  handshake_timer_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (channel_) {
    channel_->close();
  }
  waiting_.clear();
}

void outgoing_link::end(const std::string& reason) {
  if (phase_ == phase::ended) {
    return;
  }
  close();
  events_.on_down(reason);
}

std::string outgoing_link::where() const {
  return "node " + std::to_string(node_) + " at " + target_.to_string();
}

}  // namespace wolfpack::cluster_transport
