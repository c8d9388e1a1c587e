// What one simulated run does (docs/internals/simulator.md): how many nodes and groups, the
// seed every random choice comes from, how long the faulty phase lasts and which faults it
// draws from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <wolfpack/common/result.hpp>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_core/node_core.hpp"

namespace wolfpack::cluster::sim {

enum class fault_kind {
  crash,       // a node's process dies (kill -9) and is restarted later on its store
  freeze,      // SIGSTOP of a node's clussvc, SIGCONT later (its monitors keep running)
  partition,   // the network splits in two sides, and heals later
  loss,        // heartbeat datagrams are lost
  duplicate,   // heartbeat datagrams arrive twice
  delay,       // frames and datagrams take a random extra delay (datagrams reorder)
  disconnect,  // a peer connection resets: its frames in flight are lost
  fail,        // an online resource fails (IsAlive said FALSE)
  hang,        // an online hangs until its PendingTimeout
  storage,     // the witness's storage is unreachable from some nodes for a while (only
               // with a witness: without one the schedule never draws it)
  stop,        // a node's service is stopped cleanly (groups offline, leave, exit) and started
               // again later (last, so that explicit lists of the others draw as they did)
  evict,       // a crashed node is evicted (once a run); restarted on its old database later, it
               // must stay out. Not in the default mix ("all"): asked for as "all,evict"
  timing,      // SameSubnetDelay or SameSubnetThreshold is changed through a running node (the
               // window and the lease with it). Not in "all" either: "all,timing"
};

// How the cluster keeps quorum (docs/semantics.md, "Quorum").
enum class quorum_kind {
  majority,  // node majority
  witness,   // node and witness majority: QuorumResource names a fake File Share Witness
};

std::string_view to_string(fault_kind k);
// Every fault, in the order above: the default mix (storage counts only with a witness).
std::set<fault_kind> all_faults();
// "all" (or "default"), "none", or a comma-separated list of fault names; an unknown name is
// an error that names it and lists the known ones.
result<std::set<fault_kind>> parse_faults(std::string_view list);
// The comma-separated names, in the order above ("none" for the empty set).
std::string faults_text(const std::set<fault_kind>& faults);

struct sim_options {
  std::size_t nodes = 5;
  std::size_t groups = 10;
  std::uint64_t seed = 1;
  // Length of the faulty phase: `steps` scheduler steps, or (when virtual_ms > 0) until that
  // much virtual time has passed since the set-up finished.
  std::size_t steps = 150;
  time_ms virtual_ms = 0;
  std::set<fault_kind> faults = all_faults();
  // After everything healed: how long the cluster has to come back to one view with every
  // wanted group online (docs/internals/simulator.md, "Liveness").
  time_ms liveness_bound_ms = 60000;
  // How long a store takes to make a write durable (a crash in between loses it).
  time_ms store_delay_ms = 2;
  quorum_kind quorum = quorum_kind::majority;
  // The witness's renewal interval: File Share Witness 1 s, Physical Disk's DiskArbInterval
  // 3 s by default; a challenge takes 2.5 intervals + 100 ms.
  std::uint32_t witness_interval_ms = 1000;
  // Test-only: the cores broken on purpose (node_core.hpp), to show the checks can fail.
  core_breaks breaks{};
};

// "majority" or "witness"; parse_quorum takes the same names.
std::string_view to_string(quorum_kind q);
result<quorum_kind> parse_quorum(std::string_view name);

// The `wolfpack sim` command line that runs exactly this seed again.
std::string replay_command(const sim_options& o);

}  // namespace wolfpack::cluster::sim
