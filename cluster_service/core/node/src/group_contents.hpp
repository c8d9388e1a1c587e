// The locker's check of an update that rewrites a group's Contains (creating, deleting or
// moving a resource) against the database as the updates ordered before it left it. The
// origin computes the new list from its own copy, which may not have an update ordered just
// before (a resource created in the same group through another node): written as it is, that
// resource would be in no group at all, acknowledged and lost (two creations at once through
// two nodes did it). The update is refused instead, naming the resource, and can be asked
// again.
#pragma once

#include <vector>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

// Every resource the groups it rewrites (or deletes) held stays in a group or is deleted by the
// update, and every resource they list exists or is created by it and is not taken from a
// group the update leaves as it is.
status group_contents_still_valid(const object_index& index, const std::vector<db_op>& ops);

}  // namespace wolfpack::cluster
