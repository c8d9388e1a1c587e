// The deterministic core of one clussvc node: database manager, resource and failover
// manager, event processor and the API's request handling, driven by inputs (core_io.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"

namespace wolfpack::cluster {

// A resource type registered when a cluster is created (the plugins found beside clussvc).
struct default_resource_type {
  std::string name;          // "Dummy"
  std::string dll;           // plugin file: "/…/build/plugins/wp_dummy.so"
  std::string display_name;  // shown by cluster.exe; defaults to name
};

// Test-only switches, each breaking one guarantee on purpose, so that tests can show the
// simulator's checks find the break (docs/internals/simulator.md, "The checker can fail").
// clussvc never sets them.
struct core_breaks {
  // A partition without quorum installs its view anyway and renews its leases.
  bool skip_quorum = false;
  // An origin applies its own update at once, before (and besides) the locker's order.
  bool unordered_updates = false;
  // The locker answers a value write (an update that creates or deletes no key) as soon as it
  // applied it, and sends every update on only once it is durable there: a crash in between
  // loses an acknowledged write.
  bool early_ack = false;
  // Resources are brought online without waiting for their providers, dependents first.
  bool ignore_dependencies = false;
  // A view that relies on the witness is committed although the witness record names none of
  // its members (a partition in time).
  bool skip_witness_record = false;
  // A regroup whose members would have quorum with the witness commits its view without
  // arbitrating for it (nor checking and writing the witness record).
  bool skip_witness_arbitration = false;
};

// The interface this node's peer address is on, as the runtime found it among the host's
// adapters; it becomes the node's network interface, on the cluster network of its subnet
// (docs/api.md, "Networks"). Fields left empty are derived from the peer address when its
// host is an IPv4 literal (127.x.x.x: 255.0.0.0, otherwise 255.255.255.0).
struct peer_interface {
  std::string address;  // "127.0.0.1"
  std::string network;  // the subnet's address: "127.0.0.0"
  std::string mask;     // "255.0.0.0"; for IPv6 the prefix length: "64"
  std::string adapter;  // "lo", "eth0"; "" when unknown
};

struct core_config {
  std::string node_name;
  std::string cluster_name;
  std::uint64_t random_seed = 0;  // object ids (GUIDs) come from a generator seeded here
  std::vector<default_resource_type> default_types;

  // ---- many nodes (docs/internals/multinode.md) ----
  // "host:port" where other nodes reach this one; empty: a single node without peers.
  std::string peer_address;
  peer_interface peer_nic;  // not "interface": a macro in the Windows headers
  // Peer addresses of members to join through (sponsors); empty: form (or, when the database
  // lists other nodes, look for them and regroup with those that answer).
  std::vector<std::string> join;
  std::uint32_t heartbeat_ms = 1000;  // SameSubnetDelay
  std::uint32_t threshold = 5;        // SameSubnetThreshold: missed heartbeats before suspicion
  // Added to the lease before a survivor brings a departed node's groups online.
  std::uint32_t lease_margin_ms = 50;
  // The last regroup ballot epoch an earlier process of this node kept (out_keep_promise).
  std::uint64_t promised_epoch = 0;
  core_breaks breaks;
  // Whether change notifications come out as out_event. A driver that reads none (the
  // simulator's long runs) turns them off: they are only counted (event_seq()), and the core
  // copies no event it would throw away.
  bool events = true;
};

// How this node sees one configured node.
struct node_view {
  std::uint32_t id = 0;
  std::string name;
  std::string state;  // "Up", "Down", "Paused", "Joining"
};

class core_state;

class node_core {
 public:
  // `tree` and `last_seq` are what the node's store loaded (empty tree, 0 for a new node).
  node_core(core_config config, db_tree tree, std::uint64_t last_seq);
  ~node_core();
  node_core(const node_core&) = delete;
  node_core& operator=(const node_core&) = delete;

  // Handles one input that happened at `now` and returns what to do, in order.
  std::vector<output> handle(time_ms now, input in);

  // Read-only views for tests and the simulator's invariant checks.
  const db_tree& database() const;
  std::uint64_t database_seq() const;
  // The event seq of the last out_event (0 before any).
  std::uint64_t event_seq() const;
  // Resource state by name (MSCS code; -1 when unknown) and group state (-1 when unknown).
  int resource_state(const std::string& name) const;
  int group_state(const std::string& name) const;
  // Whether the failure policy holds the resource down until an administrator acts (SPEC 4.3):
  // it exhausted its restarts and its one RetryPeriodOnFailure attempt, or its group was left
  // offline by a failover that could not happen and no retry of the group's is pending.
  bool held_by_policy(const std::string& name) const;

  // Membership: this node's id (0 before it has one), the epoch of its view, the members.
  std::uint32_t node_id() const;
  std::uint64_t view_epoch() const;
  std::vector<std::uint32_t> members() const;
  // Whether this node is in a membership with quorum (may own groups).
  bool has_quorum() const;
  std::vector<node_view> nodes() const;
  // The node id owning a group (0: none).
  std::uint32_t group_owner(const std::string& group_name) const;

 private:
  std::unique_ptr<core_state> state_;
};

}  // namespace wolfpack::cluster
