#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster_transport {

struct transport_config {
  std::string cluster_name;
  // Names the cluster had before a rename (SetClusterName): a hello or heartbeat that carries
  // one is this cluster's too (a peer that has not applied the rename yet).
  std::vector<std::string> earlier_cluster_names;
  std::uint32_t node_id = 0;  // this node
  // Raw bytes of the lab secret; start() refuses fewer than 16 bytes.
  std::string secret;
  std::string listen_host = "127.0.0.1";  // a numeric address
  // TCP and UDP on the same port number; 0: an ephemeral one (see port()).
  std::uint16_t listen_port = 0;
  // 2: peer frames are binary (wire.hpp); a node of version 1 is refused with 5075.
  std::uint32_t protocol_version = 2;
  // From dialling until a verified welcome (outgoing), and from accepting until the hello
  // (incoming): a peer that stalls longer is given up on.
  std::uint32_t handshake_timeout_ms = 5000;
  // The membership's heartbeat period and threshold (--heartbeat-ms, --threshold): every
  // node's lease is their product, so nodes that disagree would not fence in step; each
  // hello carries them and a peer with others is refused. 0: not sent, not compared.
  std::uint32_t heartbeat_ms = 0;
  std::uint32_t threshold = 0;
};

// Every handler runs on the io_context's thread and never after close(). on_frame, on_link
// and on_heartbeat run from Asio handlers, never from inside a call to peer_transport, so
// they may call it freely; on_log may also run inside a call. No handler may destroy the
// transport.
struct transport_handlers {
  // An authenticated frame from a peer (a JSON object, as the peer passed it to send()).
  std::function<void(std::uint32_t from, nlohmann::json frame)> on_frame;
  // Our outgoing connection to `node` came up (reason empty), or ended: closed, refused,
  // failed, or replaced by set_peer/remove_peer. Once per connection attempt.
  std::function<void(std::uint32_t node, bool up, std::string reason)> on_link;
  // An authenticated, fresh heartbeat datagram.
  std::function<void(std::uint32_t from, nlohmann::json body)> on_heartbeat;
  // level: "debug", "info", "warn" or "error"; fields name the node and the like.
  std::function<void(std::string level, std::string message,
                     std::map<std::string, std::string> fields)>
      on_log;
};

class heartbeat_socket;
class incoming_link;

// clussvc's authenticated links to the other nodes (docs/internals/multinode.md, "Transport
// and authentication"): frames over TCP, one outgoing connection per peer used only for
// sending, accepted connections used only for receiving; heartbeats as UDP datagrams on the
// same port number. Both are authenticated with HMAC-SHA256 under the cluster secret.
//
// Single-threaded: every member function runs on the io_context's thread.
class peer_transport {
 public:
  peer_transport(boost::asio::io_context& io, transport_config config, transport_handlers handlers);
  ~peer_transport();
  peer_transport(const peer_transport&) = delete;
  peer_transport& operator=(const peer_transport&) = delete;

  // Binds TCP and UDP and starts accepting. With port 0 the UDP port is the one TCP got
  // (tried a few times, since another process may hold that UDP port). The error names the
  // address and the OS error: "cannot bind tcp:127.0.0.1:5000: Address already in use".
  status start();
  // The bound port, once started.
  std::uint16_t port() const { return port_; }

  // This node's id changed (a joining node's temporary id became its real one). Frames and
  // heartbeats sent from now on carry the new id; open connections switch in place, in order
  // with their frames, so nothing is lost and no link goes down.
  void set_node_id(std::uint32_t node);
  // The cluster was renamed: hellos and heartbeats sent from now on carry `name`; `earlier`
  // names are still accepted. Open connections are not disturbed.
  void set_cluster_names(std::string name, std::vector<std::string> earlier);

  // Where `node` listens (a numeric address). A changed address ends the old connection
  // (on_link false, "address changed"); the next send dials the new one.
  void set_peer(std::uint32_t node, std::string host, std::uint16_t port);
  // Ends the connection to `node` (on_link false) and drops frames waiting for it. Frames
  // from `node` on its own connections are still accepted: acceptance needs only the secret.
  void remove_peer(std::uint32_t node);

  // Sends a JSON object (std::invalid_argument otherwise: a bug at the call site). Dials on
  // demand and queues while connecting. Lost when the connection fails (on_link false says
  // so); after a failure, a dial happens at most once per 100 ms per peer and frames in
  // between are dropped: the core retries on its own timers.
  void send(std::uint32_t node, const nlohmann::json& frame);
  // One UDP datagram (not sent, with a warning, when over 60 KB).
  void send_heartbeat(std::uint32_t node, const nlohmann::json& body);

  // Lab faults, no root needed. Every frame and heartbeat to or from a blocked node is
  // dropped silently; connections stay open and handshakes still pass, so it looks like a cut
  // network rather than a crash, and traffic flows again once unblocked. Every outgoing
  // frame and heartbeat is delayed by delay_ms, order kept per peer.
  void set_faults(std::set<std::uint32_t> blocked, std::uint32_t delay_ms);

  // Datagrams refused: malformed, wrong cluster or recipient, bad MAC, replayed.
  std::uint64_t dropped_datagrams() const;
  // Bytes of frames to peers not yet written to their sockets: what a clean stop waits for
  // (briefly) before close(), so that its last frames (the leave) go out.
  std::size_t unsent_bytes() const;

  // Stops everything without calling any handler again. The destructor calls it.
  void close();

 private:
  struct peer;

  void do_accept();
  void on_accepted(stream_socket socket);
  void release_frame(std::uint32_t node, const nlohmann::json& frame);
  void release_heartbeat(std::uint32_t node, const nlohmann::json& body);
  void dial(std::uint32_t node, peer& p);
  void on_link_down(std::uint32_t node, std::uint64_t attempt, const std::string& reason);
  void end_link(std::uint32_t node, peer& p, const std::string& reason);
  void on_incoming_frame(std::uint32_t node, nlohmann::json frame);
  void on_incoming_authentic(std::uint64_t id, std::uint32_t node);
  void on_heartbeat_received(std::uint32_t node, nlohmann::json body);
  void log(const char* level, std::string message,
           std::map<std::string, std::string> fields = {}) const;
  // on_log for the pieces, silent once the transport is closed or gone.
  std::function<void(std::string, std::string, std::map<std::string, std::string>)> logger();

  boost::asio::io_context& io_;
  transport_config config_;  // node_id changes through set_node_id
  const transport_handlers handlers_;

  std::optional<stream_acceptor> acceptor_;
  std::unique_ptr<heartbeat_socket> heartbeat_;
  std::uint16_t port_ = 0;
  bool closed_ = false;
  std::map<std::uint32_t, std::unique_ptr<peer>> peers_;
  std::map<std::uint64_t, std::shared_ptr<incoming_link>> incoming_;  // by accept number
  std::uint64_t next_incoming_ = 0;
  std::uint64_t next_attempt_ = 0;
  std::set<std::uint32_t> blocked_;
  std::chrono::milliseconds delay_{0};
  // Handlers that may run after destruction hold a weak_ptr to this.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace wolfpack::cluster_transport
