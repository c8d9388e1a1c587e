// Choosing a group's next owner (SPEC 4.6): the group's preferred owners in order, then the
// other nodes by id; only nodes that are up, not paused and possible owners of every resource
// of the group; starting after the current owner's place in that list, so a group that fails
// on one node walks the list instead of bouncing back to the first. Anti-affinity (SPEC 4.6):
// a node that hosts another group sharing one of the group's AntiAffinityClassNames is passed
// over while any other node qualifies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "object_index.hpp"
#include "wolfpack/cluster_db/db_op.hpp"
#include "wolfpack/cluster_db/db_tree.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack::cluster {

struct placement_request {
  const group_entry* group = nullptr;
  std::vector<std::uint32_t> up;  // members of the view
  std::uint32_t current = 0;      // the owner now (0: none)
  bool exclude_current = false;   // a move or a failover: somewhere else
  // Owners decided for other groups in the same update and not yet in the tree (group id ->
  // node id): anti-affinity must see them, or one failover would pile anti-affine groups on
  // one node.
  const std::map<std::string, std::uint32_t>* planned = nullptr;
};

// The node's id, or nullopt when no node qualifies.
std::optional<std::uint32_t> choose_owner(const object_index& index, const db_tree& tree,
                                          const placement_request& request);

// Whether `node` may host every resource of the group (its possible owners).
bool can_host(const object_index& index, const group_entry& group, std::uint32_t node);

// Whether the changes of OwnerNode in an update from `origin` may be ordered in the view of
// `members` (the locker asks as it orders them; `owner_of` reads the owner now, 0 for none).
// A group is given away by its owner (a move, a failover after a resource failure, a
// failback), or placed by the locker while its owner is not a member. A placement decided in
// an earlier view and ordered once the owner is back in the membership, where it may be
// running the group again, is refused: the locker decides anew.
status owner_change_allowed(const std::vector<db_op>& ops, std::uint32_t origin,
                            const std::vector<std::uint32_t>& members,
                            const std::function<std::uint32_t(const std::string&)>& owner_of);

}  // namespace wolfpack::cluster
