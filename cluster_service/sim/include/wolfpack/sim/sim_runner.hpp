// One simulated run of `wolfpack sim` (docs/internals/simulator.md): N real node_cores on
// virtual time form a cluster, the client creates the initial groups, then a schedule drawn
// from the seed mixes faults and client requests, with the invariants checked after every
// step; then every fault heals and the cluster must come back (liveness) without losing an
// acknowledged update. The same options give the same run.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "wolfpack/sim/invariants.hpp"
#include "wolfpack/sim/sim_options.hpp"

namespace wolfpack::cluster::sim {

struct sim_result {
  sim_options options;
  std::optional<violation> failure;
  time_ms virtual_ms = 0;  // virtual time the run covered, set-up included
  std::size_t steps = 0;
  std::size_t faults = 0;    // faults started
  std::size_t evicted = 0;   // nodes evicted (the evict fault)
  std::size_t requests = 0;  // client requests sent
  std::size_t acknowledged = 0;

  bool passed() const { return !failure.has_value(); }
};

// Runs one seed; with `trace`, writes its event history as JSON lines (sim_trace.hpp).
sim_result run_simulation(const sim_options& options, std::ostream* trace = nullptr);

// One line: "seed 7: no split brain at 12345 ms: <detail> (replay: wolfpack sim ...)".
std::string describe_failure(const sim_result& r);

}  // namespace wolfpack::cluster::sim
