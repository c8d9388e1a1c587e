#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/ip/udp.hpp>
#include <nlohmann/json.hpp>

#include "transport_log.hpp"
#include "wire.hpp"
#include "wolfpack/cluster_transport/peer_transport.hpp"

namespace wolfpack::cluster_transport {

// The UDP side: sends heartbeat datagrams stamped with this start's random incarnation and a
// growing sequence number, and delivers the ones that arrive with a valid MAC and are fresh
// (a new incarnation of the sender, or a higher seq than the last one seen). Everything else
// is dropped and counted.
class heartbeat_socket {
 public:
  struct events {
    std::function<void(std::uint32_t from, nlohmann::json body)> on_heartbeat;
    log_fn log;
  };

  // Datagrams above this are not sent: well under the 64 KB UDP limit, so that an IPv6
  // header or a proxy adds nothing that makes them fail.
  static constexpr std::size_t max_datagram_bytes = 60 * 1024;

  // `socket` is open and bound.
  heartbeat_socket(boost::asio::ip::udp::socket socket, const transport_config& config,
                   events handlers);
  ~heartbeat_socket();
  heartbeat_socket(const heartbeat_socket&) = delete;
  heartbeat_socket& operator=(const heartbeat_socket&) = delete;

  void start();
  void send(std::uint32_t node, const boost::asio::ip::udp::endpoint& to,
            const nlohmann::json& body);
  std::uint64_t dropped() const { return dropped_; }
  // This node's id changed: datagrams carry it as `from` and must name it as `to`.
  void set_self(std::uint32_t node) { self_ = node; }
  void set_cluster_names(cluster_names names) { cluster_ = std::move(names); }
  void close();

 private:
  // What we last accepted from one sender. Old incarnations are remembered (a few) so that
  // a datagram of a previous start, delayed or replayed, is not taken for a new start.
  struct sender {
    std::uint64_t inc = 0;
    std::uint64_t seq = 0;
    std::deque<std::uint64_t> retired;
  };
  static constexpr std::size_t max_retired_incarnations = 8;

  void do_receive();
  void on_datagram(std::size_t size);
  bool is_fresh(const heartbeat& hb);

  boost::asio::ip::udp::socket socket_;
  cluster_names cluster_;  // the current name first
  const std::string secret_;
  const std::uint64_t incarnation_;
  const events events_;

  std::uint32_t self_;
  std::uint64_t seq_ = 0;
  std::uint64_t dropped_ = 0;
  std::map<std::uint32_t, sender> senders_;
  std::array<char, 64 * 1024> buffer_{};
  boost::asio::ip::udp::endpoint source_;
  // Handlers that may run after destruction hold a weak_ptr to this.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace wolfpack::cluster_transport
