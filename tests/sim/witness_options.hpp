// The options of the simulator's witness runs, shared by the witness seeds and the break tests.
#pragma once

#include <cstddef>

#include "wolfpack/sim/sim_options.hpp"

namespace wolfpack::cluster::sim::testing {

// `nodes` nodes with a witness and 4 groups (the seeds of 5 nodes have 10), every fault.
inline sim_options witness_options(std::size_t nodes) {
  sim_options o;
  o.nodes = nodes;
  o.groups = 4;
  o.quorum = quorum_kind::witness;
  return o;
}

}  // namespace wolfpack::cluster::sim::testing
