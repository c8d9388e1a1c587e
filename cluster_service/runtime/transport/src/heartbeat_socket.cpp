#include "heartbeat_socket.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

#include "crypto.hpp"

namespace wolfpack::cluster_transport {

heartbeat_socket::heartbeat_socket(boost::asio::ip::udp::socket socket,
                                   const transport_config& config, events handlers)
    : socket_(std::move(socket)),
      cluster_(names_of(config)),
      secret_(config.secret),
      incarnation_(random_u64()),
      events_(std::move(handlers)),
      self_(config.node_id) {}

heartbeat_socket::~heartbeat_socket() {
  close();
}

void heartbeat_socket::start() {
  do_receive();
}

void heartbeat_socket::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void heartbeat_socket::send(std::uint32_t node, const boost::asio::ip::udp::endpoint& to,
                            const nlohmann::json& body) {
  auto datagram = std::make_shared<std::string>(
      make_heartbeat({cluster_.front(), self_, node, incarnation_, ++seq_, body,
                      std::vector<std::string>(cluster_.begin() + 1, cluster_.end())},
                     secret_));
  if (datagram->size() > max_datagram_bytes) {
    events_.log("warn",
                "heartbeat to node " + std::to_string(node) +
                    " not sent: " + std::to_string(datagram->size()) +
                    " bytes exceeds the limit of " + std::to_string(max_datagram_bytes),
                {{"node", std::to_string(node)}});
    return;
  }
  socket_.async_send_to(
      boost::asio::buffer(*datagram), to,
      [this, alive = std::weak_ptr<int>(alive_), datagram, node](
          const boost::system::error_code& ec, std::size_t) {
        if (alive.expired() || !ec || ec == boost::asio::error::operation_aborted) {
          return;
        }
        // Heartbeats are lossy by design; a failed send is a missed beat, not an error.
        events_.log("debug", "heartbeat to node " + std::to_string(node) + ": " + ec.message(),
                    {{"node", std::to_string(node)}});
      });
}

void heartbeat_socket::do_receive() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), source_,
                             [this, alive = std::weak_ptr<int>(alive_)](
                                 const boost::system::error_code& ec, std::size_t size) {
                               if (alive.expired() || ec == boost::asio::error::operation_aborted ||
                                   ec == boost::asio::error::bad_descriptor) {
                                 return;
                               }
                               // Other errors (Windows reports an ICMP "port unreachable" for an
                               // earlier send as a reset on the next receive) concern one datagram,
                               // not the socket.
                               if (!ec) {
                                 on_datagram(size);
                               }
                               do_receive();
                             });
}

void heartbeat_socket::on_datagram(std::size_t size) {
  auto hb = open_heartbeat(std::string_view(buffer_.data(), size), cluster_, self_, secret_);
  if (!hb) {
    ++dropped_;
    events_.log("debug",
                "dropped datagram from " + source_.address().to_string() + ": " + hb.error(), {});
    return;
  }
  if (!is_fresh(*hb)) {
    ++dropped_;
    events_.log("debug",
                "dropped replayed heartbeat from node " + std::to_string(hb->from) + " (seq " +
                    std::to_string(hb->seq) + ")",
                {{"node", std::to_string(hb->from)}});
    return;
  }
  events_.on_heartbeat(hb->from, std::move(hb->body));
}

bool heartbeat_socket::is_fresh(const heartbeat& hb) {
  auto [it, first] = senders_.try_emplace(hb.from);
  auto& s = it->second;
  if (first) {
    s.inc = hb.inc;
    s.seq = hb.seq;
    return true;
  }
  if (hb.inc == s.inc) {
    if (hb.seq <= s.seq) {
      return false;
    }
    s.seq = hb.seq;
    return true;
  }
  if (std::find(s.retired.begin(), s.retired.end(), hb.inc) != s.retired.end()) {
    return false;
  }
  s.retired.push_back(s.inc);
  if (s.retired.size() > max_retired_incarnations) {
    s.retired.pop_front();
  }
  s.inc = hb.inc;
  s.seq = hb.seq;
  return true;
}

}  // namespace wolfpack::cluster_transport
