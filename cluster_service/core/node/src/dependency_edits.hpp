// The locker's check of an update that rewrites a resource's DependsOn. The asking node writes
// the whole list as its own copy has it, with one provider added or removed (the only edits
// the API makes). A list that differs from the locker's by more than that one provider was
// computed without an update ordered before it (a dependency added at once through another
// node): written as it is, that other dependency would be lost, though acknowledged. It is
// refused instead, naming the resource, and can be asked again.
#pragma once

#include <vector>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

status dependency_edits_still_valid(const object_index& index, const std::vector<db_op>& ops);

}  // namespace wolfpack::cluster
