// The simulated network of fake_cluster: what the runtime's transport does with a node's
// out_peers, out_send_peer and out_heartbeat (docs/internals/multinode.md), on a virtual clock.
//
// Nodes are numbered 1..N; node i listens at its configured address (core_config.peer_address).
// A node's last out_peers gives its own id (`self`) and its address book (id -> address).
//
// - out_send_peer{node, frame} goes to the node listening at the address the sender has for
//   `node`, as in_peer_frame{from = sender's self, frame}, after the latency, FIFO per pair of
//   nodes. The listener must be that node: its self is `node`, unless `node` is at or above
//   temp_node_id_base (an id the sender made up for an address whose owner it does not know
//   yet: a joiner's sponsor, a joiner); a frame for another id is dropped.
// - A connection (one per sender and address) comes up on the first frame: the sender gets
//   in_peer_link{node, true}. A frame for an address where no process listens (never started,
//   crashed, exited) is lost and the sender gets in_peer_link{node, false} (connection
//   refused; one at a time per connection, until it has been delivered). A frame on a
//   connection to a process that has since been replaced is lost the same way (connection
//   reset); the next frame connects again.
// - out_heartbeat{body} goes to every peer of the sender's address book as
//   in_heartbeat{from, body}, with the same latency; nothing tells the sender when one is lost.
// - A partition drops frames and heartbeats between its sides silently (no link event), when
//   they would be delivered.
// - Inputs for a process that ended, or was replaced since the send, are dropped.
// - Heartbeats are datagrams stamped with the sender process's incarnation and a growing seq;
//   the receiving process takes only fresh ones (a new incarnation, or a higher seq), as the
//   runtime's heartbeat_socket does, so a duplicated or overtaken datagram never reaches it.
//
// Faults (set_faults, all off by default; the draws come from the seeded generator):
// - a datagram is lost, or duplicated, with a given probability;
// - every frame and datagram takes the latency plus a random extra delay: datagrams overtake
//   each other, frames stay in order per connection (TCP) but not across connections;
// - break_connection(): a connection resets; the frames on it that have not arrived are lost
//   and the sender gets in_peer_link{down} (the next frame connects again). A frame is
//   otherwise never lost or duplicated: the transport's per-connection counters rule it out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/sim/sim_random.hpp"

namespace wolfpack::cluster::sim {

class fake_network {
 public:
  // One input for node `to` (1-based).
  struct delivery {
    std::size_t to = 0;
    input in;
  };
  struct counters {
    std::uint64_t frames_sent = 0;
    std::uint64_t frames_delivered = 0;
    std::uint64_t heartbeats_delivered = 0;
    std::uint64_t link_events = 0;
    std::uint64_t dropped_partition = 0;   // cut off by a partition
    std::uint64_t dropped_filter = 0;      // dropped by the frame filter (tests)
    std::uint64_t dropped_dead = 0;        // no process (refused, reset, or ended in flight)
    std::uint64_t dropped_no_address = 0;  // the sender has no address for the id
    std::uint64_t dropped_wrong_id = 0;    // the listener is another node
    std::uint64_t dropped_loss = 0;        // a datagram the network lost (faults)
    std::uint64_t dropped_stale = 0;       // a datagram that was not fresh (duplicate, overtaken)
    std::uint64_t dropped_broken = 0;      // a frame on a connection that broke
    std::uint64_t duplicated = 0;          // datagrams sent twice (faults)
  };
  struct faults {
    double heartbeat_loss = 0;       // probability that a datagram is lost
    double heartbeat_duplicate = 0;  // probability that a datagram is delivered twice
    time_ms jitter_ms = 0;           // extra delay of each frame and datagram: [0, jitter_ms]

    bool operator==(const faults&) const = default;
  };

  // addresses[i - 1] is where node i listens; `seed` drives the faults.
  explicit fake_network(std::vector<std::string> addresses, time_ms latency_ms = 1,
                        std::uint64_t seed = 1);

  std::size_t size() const { return endpoints_.size(); }
  // Latency of what is sent from now on (FIFO per pair is kept when it shrinks).
  void set_latency(time_ms ms) { latency_ = ms; }
  time_ms latency() const { return latency_; }
  void set_faults(const faults& f) { faults_ = f; }
  const faults& current_faults() const { return faults_; }
  // The connection from node `from` to node `to` resets (see above). False when there is
  // none that is up.
  bool break_connection(std::size_t from, std::size_t to);

  // Node i's process started (a new one: no connections, no address book yet) / ended.
  void process_started(std::size_t i);
  void process_ended(std::size_t i);
  bool listening(std::size_t i) const { return endpoint_of(i).alive; }

  // An output of node i at `now`: out_peers, out_send_peer or out_heartbeat (others are
  // ignored).
  void send(std::size_t from, time_ms now, output&& out);

  // Frames for which the filter returns true are dropped silently, as a partition drops them
  // but one frame, one direction at a time: a test loses exactly the frame it is about (node
  // numbers from and to, the frame). Empty: none.
  using frame_filter =
      std::function<bool(std::size_t from, std::size_t to, const nlohmann::json& frame)>;
  void set_frame_filter(frame_filter f) { filter_ = std::move(f); }

  // Sides of a partition (node numbers); a node on no side is cut off from every other.
  void partition(const std::vector<std::vector<std::size_t>>& sides);
  void heal();
  bool connected(std::size_t a, std::size_t b) const;

  // What node i last said about itself and its peers.
  std::uint32_t self(std::size_t i) const { return endpoint_of(i).self; }
  const std::map<std::uint32_t, std::string>& address_book(std::size_t i) const {
    return endpoint_of(i).book;
  }
  // The node listening at `address` (0: none configured).
  std::size_t node_at(const std::string& address) const;

  // When the next item is due (nullopt: nothing in flight).
  std::optional<time_ms> next_delivery() const;
  // Removes the items due at `now` in (time, send order) and returns those that arrive.
  std::vector<delivery> take_due(time_ms now);
  std::size_t in_flight() const { return queue_.size(); }

  const counters& stats() const { return stats_; }
  // The last lines of a trace of drops and link events, oldest first.
  const std::deque<std::string>& trace() const { return trace_; }

 private:
  enum class kind { frame, heartbeat, link };
  struct endpoint {
    std::string address;
    bool alive = false;
    std::uint64_t incarnation = 0;
    std::uint32_t self = 0;
    std::map<std::uint32_t, std::string> book;
    std::uint64_t heartbeats_sent = 0;  // the seq of its last datagram
    // Freshness of what it received, per sender id (heartbeat_socket::is_fresh).
    struct sender {
      std::uint64_t incarnation = 0;
      std::uint64_t seq = 0;
      std::deque<std::uint64_t> retired;
    };
    std::map<std::uint32_t, sender> heard;
  };
  struct link {
    std::uint32_t node = 0;  // the id the sender last used for it
    bool up = false;
    std::uint64_t incarnation = 0;  // of the process the connection reached
    bool down_in_flight = false;
  };
  struct item {
    kind k = kind::frame;
    std::size_t from = 0;
    std::size_t to = 0;
    std::uint64_t to_incarnation = 0;
    std::string link_address;            // kind::link: the connection it reports on
    std::uint64_t from_incarnation = 0;  // kind::heartbeat: the datagram's stamp
    std::uint64_t heartbeat_seq = 0;
    input in;
  };

  endpoint& endpoint_of(std::size_t i);
  const endpoint& endpoint_of(std::size_t i) const;
  void send_frame(std::size_t from, time_ms now, out_send_peer&& out);
  void send_heartbeat(std::size_t from, time_ms now, out_heartbeat&& out);
  void link_event(std::size_t from, time_ms now, const std::string& address, std::uint32_t node,
                  bool up, const std::string& reason);
  void post(time_ms at, item it);
  time_ms extra_delay();
  bool fresh(std::size_t to, const item& it);
  void note(std::string line);

  std::vector<endpoint> endpoints_;
  time_ms latency_ = 1;
  std::vector<int> side_;  // 0: no partition
  std::map<std::pair<std::size_t, std::string>, link> links_;
  std::map<std::pair<std::size_t, std::size_t>, time_ms> last_at_;  // FIFO per pair
  std::map<std::pair<time_ms, std::uint64_t>, item> queue_;
  std::uint64_t next_seq_ = 0;
  time_ms now_ = 0;  // of the last send or take_due, for the trace
  counters stats_;
  faults faults_;
  frame_filter filter_;
  sim_random random_;
  std::deque<std::string> trace_;
};

}  // namespace wolfpack::cluster::sim
