// What goes into and comes out of the deterministic core of clussvc (DESIGN.md section 2).
// The runtime (Asio, SQLite, resrcmon processes, the HTTP server) and the simulator both turn
// the world into these inputs and carry out these outputs; the core itself never reads a
// clock, touches a socket or sleeps.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/cluster_db/db_update.hpp"

namespace wolfpack::cluster {

// Milliseconds on a monotonic clock; only differences mean anything. Every input carries the
// time it happened at (node_core::handle's `now`).
using time_ms = std::uint64_t;

// ---- inputs -------------------------------------------------------------------------------

// The node finished loading its database and may start: the core registers itself in the
// database if needed, starts the default monitor and brings persistent groups online.
struct in_start {};

// An API call (docs/api.md). The answer is an out_respond with the same id, now or later.
struct in_api_request {
  std::uint64_t id = 0;
  std::string method;
  std::vector<std::string> path;  // percent-decoded segments
  std::map<std::string, std::string> query;
  nlohmann::json body;  // null without a body
};

// A resource monitor said hello: commands may be sent to it.
struct in_monitor_ready {
  std::string monitor_id;
  int pid = 0;  // the monitor process (0: unknown), shown as resources' MonitorProcessId
};

// A frame from a monitor (docs/monitor-protocol.md), hello excepted.
struct in_monitor_event {
  std::string monitor_id;
  nlohmann::json event;
};

// A monitor process ended. Its resources are failed with `reason`; the runtime restarts it
// (then in_monitor_ready comes again) unless the core stopped it.
struct in_monitor_exit {
  std::string monitor_id;
  std::string reason;
};

// A timer armed with out_arm_timer fired (timers cancelled before firing never come).
struct in_timer {
  std::uint64_t timer_id = 0;
};

// The out_write_db with this seq is durable (ok) or could not be written (the node must stop:
// its replica no longer matches the cluster's).
struct in_db_written {
  std::uint64_t seq = 0;
  bool ok = true;
  std::string error;
};

// SIGTERM / Ctrl-C: take this node's groups offline in dependency order, then out_exit.
// PersistentState is left as it is, so the groups come back with the node.
struct in_shutdown {};

// ---- from other nodes (docs/internals/multinode.md). Node ids are the numbers of the Nodes
// key; a node that is still joining uses a temporary id at or above temp_node_id_base.

inline constexpr std::uint32_t temp_node_id_base = 0x80000000u;

// Peer frames are shared and never changed: a frame broadcast to every member (the owners'
// states after each view change, GUM batches) is built once and the simulator hands that one
// to every receiver; a copy per member was about a tenth of a faulty simulated run.
using peer_frame_ptr = std::shared_ptr<const nlohmann::json>;

// A frame from a peer's connection, already authenticated by the transport.
struct in_peer_frame {
  std::uint32_t from = 0;
  peer_frame_ptr frame;  // null is no frame
};
// Our connection to `node` came up, or closed / was refused (the peer's process is probably
// gone: a strong hint that starts a regroup at once).
struct in_peer_link {
  std::uint32_t node = 0;
  bool up = false;
  std::string reason;
};
// An authenticated heartbeat datagram.
struct in_heartbeat {
  std::uint32_t from = 0;
  // Shared and never changed: the simulator hands one datagram's body to every receiver
  // without copying it (a copy per receiver was a tenth of a quiet simulated cluster's time).
  std::shared_ptr<const nlohmann::json> body;
};
// The hour of the day in cluster local time (0-23), fed at start and whenever it may have
// changed: the failback windows of groups (FailbackWindowStart/End) are hours of the day, and
// the core has no clock of its own.
struct in_wall_clock {
  int local_hour = 0;
};

using input = std::variant<in_start, in_api_request, in_monitor_ready, in_monitor_event,
                           in_monitor_exit, in_timer, in_db_written, in_shutdown, in_peer_frame,
                           in_peer_link, in_heartbeat, in_wall_clock>;

// ---- outputs ------------------------------------------------------------------------------

// Start the monitor with this id unless it runs ("default", "sep-<resource id>").
struct out_ensure_monitor {
  std::string monitor_id;
  // Fenced by the node's lease (out_renew_lease). The quorum monitor ("quorum") is not: it
  // arbitrates the witness before this node has a membership, and the witness's own
  // challenge and defense keep it safe (docs/semantics.md, "Witness").
  bool leased = true;
};
// Stop it for good (its last SeparateMonitor resource went away).
struct out_stop_monitor {
  std::string monitor_id;
};
// Stop it as out_stop_monitor does (its resources terminated), then start it again: it sent
// a frame the core could not read, so what it runs is no longer known. The core hears of the
// end through in_monitor_exit, whose reason names `reason`, and of the new process through
// in_monitor_ready.
struct out_restart_monitor {
  std::string monitor_id;
  std::string reason;
};
// A command frame for a monitor. If the monitor is not ready the runtime drops it and the
// core hears of the monitor through in_monitor_exit / in_monitor_ready.
struct out_send_monitor {
  std::string monitor_id;
  nlohmann::json command;
};
// Fire in_timer{timer_id} at `at` (or at once if `at` has passed). Re-arming an id moves it.
struct out_arm_timer {
  std::uint64_t timer_id = 0;
  time_ms at = 0;
};
struct out_cancel_timer {
  std::uint64_t timer_id = 0;
};
// Make this update durable, in seq order, then feed in_db_written.
// With `replace`, the whole database becomes that tree under update.seq (no ops).
struct out_write_db {
  db_update update;
  std::shared_ptr<const db_tree> replace;
};
// The answer to in_api_request `request_id`.
struct out_respond {
  std::uint64_t request_id = 0;
  int status = 200;
  nlohmann::json body;  // null: no body
};
// A change notification (docs/api.md "Events"), with an increasing "seq": deliver to
// subscribers and write to the node's log. The runtime adds the wall-clock "time".
struct out_event {
  nlohmann::json event;
};
// A line for the node's log that is not an event: component, level, message, fields.
struct out_log {
  std::string level;  // "info", "warn", "error"
  std::string component;
  std::string message;
  std::map<std::string, std::string> fields;
};
// Shutdown finished (or the node cannot go on): stop monitors and exit with this code.
struct out_exit {
  int code = 0;
  std::string reason;
};

// ---- to other nodes
// Who this node is on the wire and where its peers listen ("host:port"). Sent whenever either
// changes; the runtime (re)configures its transport and heartbeats go to every listed peer.
// `cluster` is the name frames carry; frames of this cluster may carry `earlier` names too
// (a peer that has not applied a rename yet, or was started with the old name).
struct out_peers {
  std::uint32_t self = 0;
  std::map<std::uint32_t, std::string> addresses;
  std::string cluster;
  std::vector<std::string> earlier;
};
// A frame for one peer (dialled on demand; lost if the peer is unreachable: the protocols
// above retry on their own timers).
struct out_send_peer {
  std::uint32_t node = 0;
  peer_frame_ptr frame;  // never null
};
// One heartbeat datagram to every peer of the last out_peers.
struct out_heartbeat {
  nlohmann::json body;
};
// Renew every monitor's lease: it now ends at `until` on the core's clock, which is `ms` from
// now (docs/semantics.md, "Fencing"). The monitor must get the end, not the length: a renewal
// that reaches it late (the node was stopped in between) must not last longer.
struct out_renew_lease {
  std::uint32_t ms = 0;
  time_ms until = 0;
};

// Keep this regroup ballot epoch on disk, beside the database but not in it, before carrying
// out any output that follows: the node promised it, and a restarted process must not promise
// a lower one (core_config::promised_epoch; docs/semantics.md, "Regroup").
struct out_keep_promise {
  std::uint64_t epoch = 0;
};

using output = std::variant<out_ensure_monitor, out_stop_monitor, out_restart_monitor,
                            out_send_monitor, out_arm_timer, out_cancel_timer, out_write_db,
                            out_respond, out_event, out_log, out_exit, out_peers, out_send_peer,
                            out_heartbeat, out_renew_lease, out_keep_promise>;

}  // namespace wolfpack::cluster
