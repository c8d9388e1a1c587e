#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "transport_log.hpp"
#include "wire.hpp"
#include "wolfpack/cluster_transport/peer_transport.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/framed_channel.hpp"

namespace wolfpack::cluster_transport {

// One accepted connection, used only to receive: wait for a hello, check it (cluster,
// version, MAC), answer welcome or refused, then verify every frame's MAC and counter and
// hand its body on. A refused dialler gets a moment to read the refusal before we close.
// A frame that fails its check closes the connection with a logged warning.
//
// events::on_closed runs once when the connection ends by itself (peer, error, refusal,
// timeout), from an Asio handler; never after close().
class incoming_link : public std::enable_shared_from_this<incoming_link> {
 public:
  struct events {
    std::function<void(std::uint32_t node, nlohmann::json frame)> on_frame;
    // The first frame verified, or a rename: the dialler has proved it holds the secret on
    // this very connection (a replayed hello cannot get this far), and that it is `node`.
    std::function<void(std::uint32_t node)> on_authentic;
    std::function<void()> on_closed;
    log_fn log;
  };

  static std::shared_ptr<incoming_link> create(boost::asio::io_context& io,
                                               const transport_config& config, stream_socket socket,
                                               events handlers);
  incoming_link(const incoming_link&) = delete;
  incoming_link& operator=(const incoming_link&) = delete;

  void start();
  // Ends the connection without calling on_closed.
  void close();
  // The dialler's node id, once its hello was accepted (updated by its renames).
  std::optional<std::uint32_t> node() const { return node_; }

 private:
  enum class phase { awaiting_hello, refusing, open, ended };

  incoming_link(boost::asio::io_context& io, const transport_config& config, stream_socket socket,
                events handlers);

  void on_message(const nlohmann::json& message);
  void on_hello(const nlohmann::json& message);
  void on_frame(const nlohmann::json& message);
  void on_rename(const nlohmann::json& message);
  void close_for(const std::string& reason);
  void refuse(const refusal& r);
  void end();
  void arm_timer(std::chrono::milliseconds after, phase expected);

  // ---- constant after construction (copied: the link may outlive a call into its owner)
  const cluster_names cluster_;
  const std::string secret_;
  const std::uint32_t version_;
  const std::uint32_t heartbeat_ms_;  // transport_config::heartbeat_ms, threshold
  const std::uint32_t threshold_;
  const std::chrono::milliseconds handshake_timeout_;
  const std::string remote_;  // the dialler's address, for log lines
  const events events_;

  phase phase_ = phase::awaiting_hello;
  std::shared_ptr<framed_channel> channel_;
  // The hello deadline, then (after a refusal) the moment we stop waiting for the dialler to
  // hang up.
  boost::asio::steady_timer timer_;
  session_nonces nonces_;
  std::optional<std::uint32_t> node_;
  std::uint64_t expected_ctr_ = 1;
  bool authentic_ = false;
  platform::hmac_sha256_key mac_key_{secret_};
};

}  // namespace wolfpack::cluster_transport
