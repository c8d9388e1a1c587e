// The invariants a simulated run must keep (docs/internals/simulator.md states each one
// precisely). invariant_checker follows a fake_cluster: the call-time checks see every
// monitor call as it is made (fake_cluster::set_call_hook), the step checks run after every
// step of the schedule, and the end checks once everything has healed.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wolfpack/cluster_core/core_io.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

namespace wolfpack::cluster::sim {

// Names of the invariants, as failures report them.
inline constexpr const char* inv_split_brain = "no split brain";
inline constexpr const char* inv_dependency_order = "dependency order";
inline constexpr const char* inv_one_history = "one history of global updates";
inline constexpr const char* inv_store = "store accepts every update";
inline constexpr const char* inv_liveness = "liveness";
inline constexpr const char* inv_same_database = "same database at quiescence";
inline constexpr const char* inv_acknowledged = "acknowledged updates survive";
inline constexpr const char* inv_core_error = "the core and harness run without error";
inline constexpr const char* inv_witness_holder = "a view relying on the witness is its holder's";
inline constexpr const char* inv_partition_in_time = "no partition in time";

struct violation {
  std::string invariant;
  time_ms at = 0;
  std::string detail;
};

class invariant_checker {
 public:
  explicit invariant_checker(const fake_cluster& cluster) : cluster_(cluster) {}

  // Call-time checks, for every call a monitor makes (install with
  // fake_cluster::set_call_hook). The first violation is kept for check_step().
  void on_call(const cluster_call& call);

  // View-time checks, for every view a process installs (fake_cluster::set_view_hook), at
  // that instant (invariants_witness.cpp). The first violation is kept for check_step().
  void on_view(std::size_t node, std::size_t process);

  // Step checks: the first violation seen since the start (call-time ones included).
  std::optional<violation> check_step();

  // No split brain. A process P (one start of one node) *holds* resource R from the moment
  // an Online call into R runs in one of P's monitors until a Terminate, Offline or Close of
  // R runs there (asked by the core, or done by the monitor itself: lease expiry, failure,
  // PendingTimeout, parent loss). While P holds R, no other process may run any call into R
  // other than Terminate, Offline or Close; a call in the same millisecond as P's release
  // counts as overlapping. Refused calls (the monitor did not call the plugin) do not count.
  // The witness's calls in the quorum monitors do not count: its reservation decides who
  // holds it (witness_holder).
  std::optional<std::string> split_brain(const cluster_call& call);

  // A view relies on the witness when its members have no more than half of the votes
  // without it (the configured nodes' and the witness's, as membership's has_quorum counts
  // them, in the installing node's database). When process P installs such a view V as V's
  // coordinator (the node whose ballot V's epoch is; on_view calls these two only then), at
  // that virtual instant:
  // - P holds the witness's reservation (fake_witness), and
  // - the last witness record was written by P and names V's epoch (it was written before V
  //   was committed, so that a later holder learns of V before V acknowledges anything).
  // The other members install V when the commit reaches them; by then the coordinator may
  // have lost the reservation (it learns at its next renewal and is fenced), which the lease
  // covers (docs/semantics.md, "The witness and the lease"), so only the coordinator's
  // install is checked.
  std::optional<std::string> witness_holder(std::size_t node, std::size_t process) const;

  // No partition in time: for such a view V, the witness record written before V's own (the
  // one P read when it checked the record) names at least one member of V, or there was none.
  // (Not: that each record overlaps the previous one. V's record names V's members with the
  // newest database, which may all be members the previous record did not name when they
  // took a newer database from a view with a node majority meanwhile.)
  std::optional<std::string> partition_in_time(std::size_t node, std::size_t process) const;

  // Dependency order: when an Online call into R runs on a node, every provider of R (R's
  // DependsOn in that node's database at that moment) is Online in that node's monitors.
  std::optional<std::string> dependency_order(const cluster_call& call) const;

  // One history: two databases with the same version (GumEpoch, seq), on any nodes at any
  // times, are the same database (hash). Only versions a view wrote (GumEpoch > 0) count:
  // before a node joins, its database is its own.
  std::optional<std::string> one_history();

  // The store never refused an update: each one followed the stored seq and applied.
  std::optional<std::string> store_accepts() const;

 private:
  using holder = std::pair<std::size_t, std::size_t>;  // node, process
  struct version_seen {
    std::string hash;
    std::size_t node = 0;
    time_ms at = 0;
  };
  struct node_mark {
    std::uint64_t seq = 0;
    std::uint64_t epoch = 0;
    std::size_t writes = 0;
    std::size_t replacements = 0;
    std::size_t process = 0;
  };

  const fake_cluster& cluster_;
  std::optional<violation> first_;
  // resource -> processes holding it -> since
  std::map<std::string, std::map<holder, time_ms>> holders_;
  // resource -> process -> when it last released it
  std::map<std::string, std::map<holder, time_ms>> released_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, version_seen> versions_;
  std::map<std::size_t, node_mark> marks_;
  // dependency_order(): each node's resource ids by name, as last read.
  mutable std::map<std::size_t, std::unordered_map<std::string, std::string>> names_;
};

// The quorum manager's monitor, which runs the witness (quorum_manager::monitor_id).
inline constexpr const char* quorum_monitor_id = "quorum";

// A monitor call that stops a resource (Terminate, Offline, Close): the only ones a node that
// lost a group may still make into it.
bool is_stop_call(const std::string& type);

// The version of a database: (GumEpoch, seq).
std::pair<std::uint64_t, std::uint64_t> version_of(const node_core& core);

}  // namespace wolfpack::cluster::sim
