#include "incoming_link.hpp"

#include <cstring>
#include <utility>
#include <variant>

#include <boost/asio/ip/tcp.hpp>

#include "crypto.hpp"

namespace wolfpack::cluster_transport {
namespace {

using nlohmann::json;

// Long enough for the dialler to read the refusal and hang up first (so its side sees the
// reason, not a reset), short enough that a client which never hangs up costs little.
constexpr std::chrono::milliseconds refusal_linger{500};

std::string describe_remote(const stream_socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) {
    return "(unknown address)";
  }
  const int family = remote.protocol().family();
  if (family != AF_INET && family != AF_INET6) {
    return "(non-TCP peer)";
  }
  boost::asio::ip::tcp::endpoint tcp_ep;
  tcp_ep.resize(remote.size());
  std::memcpy(tcp_ep.data(), remote.data(), remote.size());
  return endpoint::tcp(tcp_ep.address().to_string(), tcp_ep.port()).to_string();
}

}  // namespace

std::shared_ptr<incoming_link> incoming_link::create(boost::asio::io_context& io,
                                                     const transport_config& config,
                                                     stream_socket socket, events handlers) {
  // Private constructor: handlers hold weak_ptrs, so every link lives in a shared_ptr.
  return std::shared_ptr<incoming_link>(
      new incoming_link(io, config, std::move(socket), std::move(handlers)));
}

incoming_link::incoming_link(boost::asio::io_context& io, const transport_config& config,
                             stream_socket socket, events handlers)
    : cluster_(names_of(config)),
      secret_(config.secret),
      version_(config.protocol_version),
      heartbeat_ms_(config.heartbeat_ms),
      threshold_(config.threshold),
      handshake_timeout_(config.handshake_timeout_ms),
      remote_(describe_remote(socket)),
      events_(std::move(handlers)),
      timer_(io) {
  tune_socket(socket);
  channel_options options;
  options.binary_frames = true;  // peer frames (wire.hpp)
  channel_ = framed_channel::create(std::move(socket), "from " + remote_, options);
}

void incoming_link::start() {
  const std::weak_ptr<incoming_link> weak = weak_from_this();
  channel_->start(
      [weak](json message) {
        if (auto self = weak.lock()) {
          self->on_message(message);
        }
      },
      [weak](const std::string& reason) {
        auto self = weak.lock();
        if (!self || self->phase_ == phase::ended) {
          return;
        }
        if (self->node_) {
          self->events_.log(
              "debug",
              "connection from node " + std::to_string(*self->node_) + " closed: " + reason,
              {{"node", std::to_string(*self->node_)}, {"remote", self->remote_}});
        }
        self->end();
      });
  arm_timer(handshake_timeout_, phase::awaiting_hello);
}

void incoming_link::arm_timer(std::chrono::milliseconds after, phase expected) {
  timer_.expires_after(after);
  timer_.async_wait([weak = weak_from_this(), expected](const boost::system::error_code& ec) {
    auto self = weak.lock();
    // A deadline that fired just before the phase moved on finds another phase: ignored.
    if (!self || ec || self->phase_ != expected) {
      return;
    }
    if (expected == phase::awaiting_hello) {
      self->events_.log("info",
                        "no hello from " + self->remote_ + " within " +
                            std::to_string(self->handshake_timeout_.count()) + " ms; closing",
                        {{"remote", self->remote_}});
    }
    self->end();
  });
}

void incoming_link::on_message(const json& message) {
  switch (phase_) {
    case phase::awaiting_hello:
      on_hello(message);
      break;
    case phase::open:
      if (message["type"] == "rename") {
        on_rename(message);
      } else {
        on_frame(message);
      }
      break;
    case phase::refusing:  // whatever a refused dialler sends is not read
    case phase::ended:
      break;
  }
}

void incoming_link::on_hello(const json& message) {
  auto checked = check_hello(message, cluster_, version_, secret_, heartbeat_ms_, threshold_);
  if (const auto* r = std::get_if<refusal>(&checked)) {
    events_.log("warn", "refused connection from " + remote_ + ": " + r->message,
                {{"remote", remote_}, {"code", std::to_string(r->code)}});
    refuse(*r);
    return;
  }
  auto& h = std::get<hello>(checked);
  node_ = h.node;
  nonces_.nonce_d = std::move(h.nonce_d);
  const auto their_name = std::move(h.cluster);
  nonces_.nonce_a = random_hex(16);
  phase_ = phase::open;
  timer_.cancel();
  channel_->send(make_welcome(their_name, nonces_, secret_));
  events_.log("debug", "accepted connection from node " + std::to_string(*node_),
              {{"node", std::to_string(*node_)}, {"remote", remote_}});
}

void incoming_link::on_frame(const json& message) {
  const auto data = message.find("data");
  if (message["type"] != binary_message_type || data == message.end() || !data->is_binary()) {
    close_for("unexpected '" + message["type"].get<std::string>() +
              "' message where a peer frame was expected");
    return;
  }
  const auto& bytes = data->get_binary();
  auto body = open_peer_frame(
      mac_key_, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
      nonces_, expected_ctr_);
  if (!body) {
    close_for(body.error());
    return;
  }
  ++expected_ctr_;
  if (!authentic_) {
    authentic_ = true;
    events_.on_authentic(*node_);
    if (phase_ != phase::open) {
      return;
    }
  }
  events_.on_frame(*node_, std::move(body).value());
}

void incoming_link::on_rename(const json& message) {
  auto node = open_rename(message, nonces_, expected_ctr_, secret_);
  if (!node) {
    close_for(node.error());
    return;
  }
  ++expected_ctr_;
  events_.log("info",
              "node " + std::to_string(*node_) + " is now node " + std::to_string(*node) +
                  " on its connection",
              {{"node", std::to_string(*node)}, {"remote", remote_}});
  node_ = *node;
  authentic_ = true;
  events_.on_authentic(*node_);
}

void incoming_link::close_for(const std::string& reason) {
  events_.log("warn", "closing connection from node " + std::to_string(*node_) + ": " + reason,
              {{"node", std::to_string(*node_)}, {"remote", remote_}});
  end();
}

void incoming_link::refuse(const refusal& r) {
  phase_ = phase::refusing;
  channel_->send(make_refused(r));
  arm_timer(refusal_linger, phase::refusing);
}

void incoming_link::close() {
  if (phase_ == phase::ended) {
    return;
  }
  phase_ = phase::ended;
  timer_.cancel();
  channel_->close();
}

void incoming_link::end() {
  if (phase_ == phase::ended) {
    return;
  }
  close();
  events_.on_closed();
}

}  // namespace wolfpack::cluster_transport
