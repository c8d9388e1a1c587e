#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "wire.hpp"
#include "wolfpack/cluster_transport/peer_transport.hpp"
#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"

namespace wolfpack::cluster_transport {

// Our one connection to a peer, used only to send: dial, hello, wait for a welcome whose MAC
// proves the peer holds the secret, then send each frame with the next counter. Frames
// passed to send() before the welcome wait in order.
//
// The hello names the node id this node had when the attempt started; rename() moves the
// connection to a new id in place, ordered with the frames, so the acceptor attributes each
// frame to the id it was sent under.
//
// One object is one connection attempt. It ends exactly once, through events::on_down,
// called from an Asio handler (never from inside a member function the owner called), unless
// the owner ended it first with close(); after either, sends are dropped. The owner dials
// again with a new object.
class outgoing_link : public std::enable_shared_from_this<outgoing_link> {
 public:
  struct events {
    std::function<void()> on_up;
    std::function<void(std::string reason)> on_down;
  };

  static std::shared_ptr<outgoing_link> create(boost::asio::io_context& io,
                                               const transport_config& config, std::uint32_t node,
                                               endpoint target, events handlers);
  outgoing_link(const outgoing_link&) = delete;
  outgoing_link& operator=(const outgoing_link&) = delete;

  void start();
  // `frame` is a JSON object.
  void send(const nlohmann::json& frame);
  // Frames sent from now on come from `node` (this node's id changed).
  void rename(std::uint32_t node);
  // Ends the attempt without calling on_down.
  void close();
  // Bytes of frames not yet written to the socket (waiting for the handshake included).
  std::size_t unsent_bytes() const;

 private:
  enum class phase { idle, connecting, handshaking, up, ended };
  // Sent before the welcome: a frame's body, or a change of our node id.
  struct pending {
    std::string body;
    std::optional<std::uint32_t> rename;
  };

  outgoing_link(boost::asio::io_context& io, const transport_config& config, std::uint32_t node,
                endpoint target, events handlers);

  void on_connected(const boost::system::error_code& ec);
  void on_message(const nlohmann::json& message);
  void on_welcome(const nlohmann::json& message);
  void send_body(std::string body);
  void send_rename(std::uint32_t node);
  void end(const std::string& reason);
  std::string where() const;

  // ---- constant after construction (copied: the link may outlive a call into its owner)
  const std::string cluster_;
  const std::vector<std::string> aka_;  // the cluster's earlier names
  const std::string secret_;
  const std::uint32_t self_;  // as of the dial
  const std::uint32_t version_;
  const std::uint32_t heartbeat_ms_;  // transport_config::heartbeat_ms, threshold
  const std::uint32_t threshold_;
  const std::uint32_t node_;
  const endpoint target_;
  const std::chrono::milliseconds handshake_timeout_;
  const events events_;

  phase phase_ = phase::idle;
  stream_socket socket_;  // until the connection is handed to channel_
  std::shared_ptr<framed_channel> channel_;
  boost::asio::steady_timer handshake_timer_;
  session_nonces nonces_;
  std::uint64_t ctr_ = 0;
  std::vector<pending> waiting_;
  platform::hmac_sha256_key mac_key_{secret_};
};

}  // namespace wolfpack::cluster_transport
