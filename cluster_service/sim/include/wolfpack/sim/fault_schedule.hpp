// The faults of a simulated run, drawn from its seed: at each step the faults whose time is
// up are undone (restart, thaw, heal, calm network, recovered resource), then maybe a new
// one starts. At most (N - 1) / 2 nodes are down (crashed or frozen) at once (N / 2 with a
// witness, which is one more vote) and one partition exists at a time, so that a quorum can
// form most of the time: a run that never has one shows little.
//
// With a witness (fake_cluster::witness()), a crash is half the time the whole machine's (the
// reservation lapses instead of being released), and the storage fault makes the witness's
// storage unreachable from some nodes, or all, for a while. Without one the storage fault is
// never drawn, so a seed without a witness runs as it did before the witness existed.
//
// The evict fault (not in the default mix) evicts a crashed node once a run; it restarts on its
// old database like any crashed node, and counts as down from then on.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wolfpack/sim/fake_cluster.hpp"
#include "wolfpack/sim/sim_options.hpp"
#include "wolfpack/sim/sim_random.hpp"
#include "wolfpack/sim/sim_trace.hpp"

namespace wolfpack::cluster::sim {

class fault_schedule {
 public:
  // `targets`: the resources that may fail or hang (their policies are known).
  fault_schedule(fake_cluster& cluster, std::set<fault_kind> kinds, sim_random random,
                 sim_trace& trace, std::vector<std::string> targets);

  void step();
  // Undoes every fault now: restarts, thaws, heals, calms the network, recovers resources.
  void heal_all();
  std::size_t injected() const { return injected_; }
  std::size_t evicted() const { return evicted_.size(); }

 private:
  void undo_due();
  void start(fault_kind k);
  std::vector<std::size_t> nodes_that_can_stop() const;
  void restart(std::size_t node);
  void thaw(std::size_t node);
  // A node that crash, freeze or stop may take (nodes_that_can_stop), drawn at random.
  std::optional<std::size_t> pick_stoppable();
  // A stopped node whose service has exited starts again; one still stopping (a resource
  // slow to go offline) is left for a later step, or with `now` ended first (kill -9).
  void start_again(std::size_t node, bool now);
  void heal();
  void calm(fault_kind k);
  void recover(const std::string& resource);
  void reconnect_storage();
  void apply_network();
  time_ms until(time_ms lo, time_ms hi) { return cluster_.now() + random_.between(lo, hi); }

  fake_cluster& cluster_;
  std::vector<fault_kind> kinds_;
  sim_random random_;
  sim_trace& trace_;
  std::vector<std::string> targets_;
  std::size_t injected_ = 0;

  std::map<std::size_t, time_ms> crashed_;  // node -> when it restarts
  std::map<std::size_t, time_ms> frozen_;   // node -> when it thaws
  std::map<std::size_t, time_ms> stopped_;  // node -> when it starts again (clean stop)
  std::optional<time_ms> partitioned_until_;
  std::map<fault_kind, time_ms> network_until_;  // loss, duplicate, delay
  fake_network::faults network_;
  std::map<std::string, time_ms> hung_;  // resource -> when it recovers
  std::optional<time_ms> storage_until_;
  // The eviction asked (evict): of `node`, through `via`'s API, answered later.
  struct evict_request {
    std::size_t node = 0;
    std::size_t via = 0;
    std::size_t process = 0;  // via's incarnation: another one never answers
    std::uint64_t id = 0;
  };
  std::optional<evict_request> evicting_;
  std::set<std::size_t> evicted_;
  void evict();
  void check_eviction();
};

}  // namespace wolfpack::cluster::sim
