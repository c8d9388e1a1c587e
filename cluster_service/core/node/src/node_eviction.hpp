// The locker's check of an eviction (EvictClusterNode, `cluster node N /evict`) at the moment
// it orders the update. The API refuses to evict a node that is up, but it asks when the
// request arrives: a node that was down then may have rejoined before the update is ordered,
// and would apply its own eviction as a member (the simulator found it, seed 885 of
// `--faults all,evict`).
#pragma once

#include <cstdint>
#include <vector>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

// Fails (naming the node) when `ops` delete the key of a node that is in `members`, the view
// of the locker that orders them.
status eviction_still_valid(const object_index& index, const std::vector<db_op>& ops,
                            const std::vector<std::uint32_t>& members);

}  // namespace wolfpack::cluster
