#include "wolfpack/cluster_transport/peer_transport.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>

#include "delay_line.hpp"
#include "heartbeat_socket.hpp"
#include "incoming_link.hpp"
#include "outgoing_link.hpp"
#include "wolfpack/common/endpoint.hpp"

namespace wolfpack::cluster_transport {
namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t min_secret_bytes = 16;
// A peer that refuses or is down must not make us dial it once per frame.
constexpr std::chrono::milliseconds redial_interval{100};
// With port 0, how often to pick another TCP port when its UDP twin is taken.
constexpr int ephemeral_bind_attempts = 10;

std::string udp_text(const std::string& host, std::uint16_t port) {
  return "udp" + endpoint::tcp(host, port).to_string().substr(3);
}

std::string node_text(std::uint32_t node) {
  return std::to_string(node);
}

}  // namespace

struct peer_transport::peer {
  explicit peer(boost::asio::io_context& io) : delayed(io) {}

  std::string host;
  std::uint16_t port = 0;
  std::shared_ptr<outgoing_link> link;  // null: none, dial on the next frame
  std::uint64_t attempt = 0;            // which dial `link` is, to ignore reports of older ones
  std::optional<clock_type::time_point> last_dial;
  delay_line delayed;  // frames and heartbeats on their way to `link` or the UDP socket
};

peer_transport::peer_transport(boost::asio::io_context& io, transport_config config,
                               transport_handlers handlers)
    : io_(io), config_(std::move(config)), handlers_(std::move(handlers)) {}

peer_transport::~peer_transport() {
  close();
}

status peer_transport::start() {
  if (closed_) {
    return fail("the peer transport is closed");
  }
  if (acceptor_) {
    return fail("the peer transport was already started");
  }
  if (config_.secret.size() < min_secret_bytes) {
    return fail("the cluster secret has " + std::to_string(config_.secret.size()) +
                " bytes; at least " + std::to_string(min_secret_bytes) + " are needed");
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(config_.listen_host, ec);
  if (ec) {
    return fail("listen address '" + config_.listen_host + "' is not a numeric IP address");
  }
  const int attempts = config_.listen_port == 0 ? ephemeral_bind_attempts : 1;
  std::string udp_error;
  for (int i = 0; i < attempts; ++i) {
    auto acceptor = listen_on(io_, endpoint::tcp(config_.listen_host, config_.listen_port));
    if (!acceptor) {
      return fail(acceptor.error());
    }
    auto bound = local_endpoint_of(*acceptor);
    if (!bound) {
      return fail(bound.error());
    }
    // No SO_REUSEADDR here: on UDP it would let two nodes share the port silently.
    boost::asio::ip::udp::socket udp(io_);
    udp.open(address.is_v4() ? boost::asio::ip::udp::v4() : boost::asio::ip::udp::v6(), ec);
    if (!ec) {
      udp.bind(boost::asio::ip::udp::endpoint(address, bound->port), ec);
    }
    if (ec) {
      udp_error = "cannot bind " + udp_text(config_.listen_host, bound->port) + ": " + ec.message();
      continue;  // with port 0, the next round's acceptor gets another port
    }
    acceptor_ = std::move(acceptor).value();
    port_ = bound->port;
    heartbeat_ = std::make_unique<heartbeat_socket>(
        std::move(udp), config_,
        heartbeat_socket::events{
            [this, alive = std::weak_ptr<int>(alive_)](std::uint32_t from, json body) {
              if (!alive.expired()) {
                on_heartbeat_received(from, std::move(body));
              }
            },
            logger()});
    heartbeat_->start();
    do_accept();
    log("info", "listening on " + bound->to_string() + " and " + udp_text(bound->host, port_),
        {{"port", std::to_string(port_)}});
    return {};
  }
  return fail(udp_error);
}

void peer_transport::do_accept() {
  acceptor_->async_accept([this, alive = std::weak_ptr<int>(alive_)](
                              const boost::system::error_code& ec, stream_socket socket) {
    if (alive.expired() || closed_ || ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      log("warn", "accept failed: " + ec.message());
    } else {
      on_accepted(std::move(socket));
    }
    do_accept();
  });
}

void peer_transport::on_accepted(stream_socket socket) {
  const std::weak_ptr<int> alive = alive_;
  const std::uint64_t id = ++next_incoming_;
  auto link =
      incoming_link::create(io_, config_, std::move(socket),
                            incoming_link::events{[this, alive](std::uint32_t node, json frame) {
                                                    if (!alive.expired()) {
                                                      on_incoming_frame(node, std::move(frame));
                                                    }
                                                  },
                                                  [this, alive, id](std::uint32_t node) {
                                                    if (!alive.expired()) {
                                                      on_incoming_authentic(id, node);
                                                    }
                                                  },
                                                  [this, alive, id] {
                                                    if (!alive.expired()) {
                                                      incoming_.erase(id);
                                                    }
                                                  },
                                                  logger()});
  incoming_.emplace(id, link);
  link->start();
}

void peer_transport::on_incoming_frame(std::uint32_t node, json frame) {
  if (closed_ || blocked_.contains(node)) {
    return;
  }
  if (handlers_.on_frame) {
    handlers_.on_frame(node, std::move(frame));
  }
}

void peer_transport::on_incoming_authentic(std::uint64_t id, std::uint32_t node) {
  // A dialler keeps one connection to us, so an older one from the same node is dead (a
  // crash leaves it half-open, as we never write to it). Closing it also keeps its unread
  // tail from arriving after the new connection's frames.
  std::vector<std::uint64_t> stale;
  for (const auto& [other, link] : incoming_) {
    if (other != id && link->node() == node) {
      stale.push_back(other);
    }
  }
  for (const auto other : stale) {
    incoming_[other]->close();
    incoming_.erase(other);
    log("debug", "closed an older connection from node " + node_text(node),
        {{"node", node_text(node)}});
  }
}

void peer_transport::set_cluster_names(std::string name, std::vector<std::string> earlier) {
  if (closed_ || (name == config_.cluster_name && earlier == config_.earlier_cluster_names)) {
    return;
  }
  if (name != config_.cluster_name) {
    log("info", "the cluster is now called '" + name + "' (was '" + config_.cluster_name + "')",
        {{"cluster", name}});
  }
  config_.cluster_name = std::move(name);
  config_.earlier_cluster_names = std::move(earlier);
  // Connections already open stay: their hello is done. New ones say the new name.
  if (heartbeat_) {
    heartbeat_->set_cluster_names(names_of(config_));
  }
}

void peer_transport::set_node_id(std::uint32_t node) {
  if (closed_ || node == config_.node_id) {
    return;
  }
  log("info",
      "this node's id changes from " + node_text(config_.node_id) + " to " + node_text(node),
      {{"node", node_text(node)}});
  config_.node_id = node;
  if (heartbeat_) {
    heartbeat_->set_self(node);
  }
  for (auto& [id, p] : peers_) {
    if (p->link) {
      p->link->rename(node);
    }
  }
}

void peer_transport::set_peer(std::uint32_t node, std::string host, std::uint16_t port) {
  if (closed_) {
    return;
  }
  auto& p = peers_[node];
  if (!p) {
    p = std::make_unique<peer>(io_);
  } else if (p->host == host && p->port == port) {
    return;
  } else {
    end_link(node, *p,
             "address of node " + node_text(node) + " changed to " +
                 endpoint::tcp(host, port).to_string());
    p->last_dial.reset();
  }
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) {
    log("warn", "node " + node_text(node) + ": '" + host + "' is not a numeric IP address",
        {{"node", node_text(node)}});
  }
  p->host = std::move(host);
  p->port = port;
}

void peer_transport::remove_peer(std::uint32_t node) {
  const auto it = peers_.find(node);
  if (closed_ || it == peers_.end()) {
    return;
  }
  end_link(node, *it->second, "node " + node_text(node) + " was removed");
  peers_.erase(it);
}

void peer_transport::end_link(std::uint32_t node, peer& p, const std::string& reason) {
  if (!p.link) {
    return;
  }
  p.link->close();
  p.link.reset();
  // Posted: on_link never runs inside the owner's own call.
  boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_), node, reason] {
    if (!alive.expired() && !closed_ && handlers_.on_link) {
      handlers_.on_link(node, false, reason);
    }
  });
}

void peer_transport::send(std::uint32_t node, const json& frame) {
  if (!frame.is_object()) {
    throw std::invalid_argument("peer_transport::send: a frame must be a JSON object, not " +
                                std::string(frame.type_name()));
  }
  if (closed_ || blocked_.contains(node)) {
    return;
  }
  const auto it = peers_.find(node);
  if (it == peers_.end()) {
    log("warn", "frame to node " + node_text(node) + " dropped: its address is not known",
        {{"node", node_text(node)}});
    return;
  }
  it->second->delayed.push(delay_, [this, node, frame] { release_frame(node, frame); });
}

void peer_transport::release_frame(std::uint32_t node, const json& frame) {
  const auto it = peers_.find(node);
  if (closed_ || blocked_.contains(node) || it == peers_.end()) {
    return;
  }
  peer& p = *it->second;
  if (!p.link) {
    if (p.last_dial && clock_type::now() - *p.last_dial < redial_interval) {
      log("debug",
          "frame to node " + node_text(node) + " dropped: dialled it less than " +
              std::to_string(redial_interval.count()) + " ms ago",
          {{"node", node_text(node)}});
      return;
    }
    dial(node, p);
  }
  p.link->send(frame);
}

void peer_transport::dial(std::uint32_t node, peer& p) {
  p.last_dial = clock_type::now();
  p.attempt = ++next_attempt_;
  const std::weak_ptr<int> alive = alive_;
  const std::uint64_t attempt = p.attempt;
  p.link = outgoing_link::create(
      io_, config_, node, endpoint::tcp(p.host, p.port),
      outgoing_link::events{
          [this, alive, node] {
            if (!alive.expired() && !closed_) {
              log("debug", "link to node " + node_text(node) + " up", {{"node", node_text(node)}});
              if (handlers_.on_link) {
                handlers_.on_link(node, true, "");
              }
            }
          },
          [this, alive, node, attempt](std::string reason) {
            if (!alive.expired()) {
              on_link_down(node, attempt, reason);
            }
          }});
  p.link->start();
}

void peer_transport::on_link_down(std::uint32_t node, std::uint64_t attempt,
                                  const std::string& reason) {
  const auto it = peers_.find(node);
  // A link we ended ourselves (set_peer, remove_peer) was reported when we ended it.
  if (closed_ || it == peers_.end() || it->second->attempt != attempt || !it->second->link) {
    return;
  }
  it->second->link.reset();
  log("info", "link to node " + node_text(node) + " down: " + reason, {{"node", node_text(node)}});
  if (handlers_.on_link) {
    handlers_.on_link(node, false, reason);
  }
}

void peer_transport::send_heartbeat(std::uint32_t node, const json& body) {
  if (closed_ || !heartbeat_ || blocked_.contains(node)) {
    return;
  }
  const auto it = peers_.find(node);
  if (it == peers_.end()) {
    log("debug", "heartbeat to node " + node_text(node) + " dropped: its address is not known",
        {{"node", node_text(node)}});
    return;
  }
  it->second->delayed.push(delay_, [this, node, body] { release_heartbeat(node, body); });
}

void peer_transport::release_heartbeat(std::uint32_t node, const json& body) {
  const auto it = peers_.find(node);
  if (closed_ || blocked_.contains(node) || it == peers_.end()) {
    return;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(it->second->host, ec);
  if (ec) {
    return;  // set_peer warned already
  }
  heartbeat_->send(node, boost::asio::ip::udp::endpoint(address, it->second->port), body);
}

void peer_transport::on_heartbeat_received(std::uint32_t node, json body) {
  if (closed_ || blocked_.contains(node)) {
    return;
  }
  if (handlers_.on_heartbeat) {
    handlers_.on_heartbeat(node, std::move(body));
  }
}

void peer_transport::set_faults(std::set<std::uint32_t> blocked, std::uint32_t delay_ms) {
  blocked_ = std::move(blocked);
  delay_ = std::chrono::milliseconds(delay_ms);
  std::string list;
  for (const auto node : blocked_) {
    list += (list.empty() ? "" : ",") + node_text(node);
  }
  log("info", "lab faults: blocked nodes [" + list + "], delay " + std::to_string(delay_ms) + " ms",
      {{"blocked", list}, {"delay_ms", std::to_string(delay_ms)}});
}

std::uint64_t peer_transport::dropped_datagrams() const {
  return heartbeat_ ? heartbeat_->dropped() : 0;
}

std::size_t peer_transport::unsent_bytes() const {
  std::size_t n = 0;
  for (const auto& [node, p] : peers_) {
    if (p->link)
      n += p->link->unsent_bytes();
  }
  return n;
}

void peer_transport::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  boost::system::error_code ignored;
  if (acceptor_) {
    acceptor_->close(ignored);
  }
  if (heartbeat_) {
    heartbeat_->close();  // kept: dropped_datagrams() still answers
  }
  for (auto& [node, p] : peers_) {
    if (p->link) {
      p->link->close();
    }
  }
  peers_.clear();
  for (auto& [id, link] : incoming_) {
    link->close();
  }
  incoming_.clear();
}

void peer_transport::log(const char* level, std::string message,
                         std::map<std::string, std::string> fields) const {
  if (!closed_ && handlers_.on_log) {
    handlers_.on_log(level, std::move(message), std::move(fields));
  }
}

log_fn peer_transport::logger() {
  return [this, alive = std::weak_ptr<int>(alive_)](std::string level, std::string message,
                                                    std::map<std::string, std::string> fields) {
    if (!alive.expired()) {
      log(level.c_str(), std::move(message), std::move(fields));
    }
  };
}

}  // namespace wolfpack::cluster_transport
