#include "placement.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

bool can_host(const object_index& index, const group_entry& group, std::uint32_t node) {
  const auto id = std::to_string(node);
  for (const auto& rid : group.resources) {
    const auto* r = index.resource_by_id(rid);
    if (r == nullptr || r->possible_owners.empty())
      continue;
    if (std::find(r->possible_owners.begin(), r->possible_owners.end(), id) ==
        r->possible_owners.end()) {
      return false;
    }
  }
  return true;
}

namespace {

// Nodes hosting another group that shares one of the group's anti-affinity classes.
std::set<std::uint32_t> anti_affine_hosts(const object_index& index, const db_tree& tree,
                                          const placement_request& request) {
  std::set<std::uint32_t> hosts;
  const auto mine = tree.get_multi_sz(schema::group_path(request.group->id),
                                      schema::anti_affinity_class_names, {});
  if (mine.empty())
    return hosts;
  for (const auto* other : index.groups()) {
    if (other->id == request.group->id)
      continue;
    std::uint32_t owner = 0;
    if (request.planned != nullptr) {
      if (auto it = request.planned->find(other->id); it != request.planned->end())
        owner = it->second;
    }
    if (owner == 0) {
      try {
        owner = static_cast<std::uint32_t>(
            std::stoul(tree.get_sz(schema::group_path(other->id), schema::owner_node, "0")));
      } catch (const std::exception&) {
        continue;
      }
    }
    if (owner == 0 || hosts.contains(owner))
      continue;
    const auto theirs =
        tree.get_multi_sz(schema::group_path(other->id), schema::anti_affinity_class_names, {});
    const bool shared = std::any_of(mine.begin(), mine.end(), [&](const std::string& c) {
      return !c.empty() && std::any_of(theirs.begin(), theirs.end(), [&](const std::string& t) {
        return fold_case(c) == fold_case(t);
      });
    });
    if (shared)
      hosts.insert(owner);
  }
  return hosts;
}

}  // namespace

std::optional<std::uint32_t> choose_owner(const object_index& index, const db_tree& tree,
                                          const placement_request& request) {
  if (request.group == nullptr)
    return std::nullopt;
  std::vector<std::uint32_t> order;
  auto add = [&order](std::uint32_t id) {
    if (std::find(order.begin(), order.end(), id) == order.end())
      order.push_back(id);
  };
  for (const auto& p : request.group->preferred_owners) {
    try {
      add(static_cast<std::uint32_t>(std::stoul(p)));
    } catch (const std::exception&) {
    }
  }
  std::vector<std::uint32_t> all;
  for (const auto* n : index.nodes()) {
    try {
      all.push_back(static_cast<std::uint32_t>(std::stoul(n->id)));
    } catch (const std::exception&) {
    }
  }
  std::sort(all.begin(), all.end());
  for (auto id : all)
    add(id);

  auto eligible = [&](std::uint32_t id) {
    if (std::find(request.up.begin(), request.up.end(), id) == request.up.end())
      return false;
    if (tree.get_dword(schema::node_path(std::to_string(id)), "Paused", 0) != 0)
      return false;
    return can_host(index, *request.group, id);
  };
  // Walk the list from just after the current owner, wrapping around: first past the nodes
  // hosting an anti-affine group, then, when that leaves none, as if there were no classes.
  std::size_t start = 0;
  if (auto it = std::find(order.begin(), order.end(), request.current); it != order.end())
    start = static_cast<std::size_t>(it - order.begin()) + 1;
  const auto avoid = anti_affine_hosts(index, tree, request);
  for (const bool keep_apart : {true, false}) {
    if (!keep_apart && avoid.empty())
      break;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto id = order[(start + i) % order.size()];
      if (request.exclude_current && id == request.current)
        continue;
      if (keep_apart && avoid.contains(id))
        continue;
      if (eligible(id))
        return id;
    }
  }
  return std::nullopt;
}

status owner_change_allowed(const std::vector<db_op>& ops, std::uint32_t origin,
                            const std::vector<std::uint32_t>& members,
                            const std::function<std::uint32_t(const std::string&)>& owner_of) {
  for (const auto& op : ops) {
    if (op.op != db_op::kind::set_value || fold_case(op.name) != fold_case(schema::owner_node))
      continue;
    const auto parts = split_key_path(op.path);
    if (!parts || parts->size() != 2 || fold_case((*parts)[0]) != fold_case(schema::groups_key))
      continue;
    const auto owner = owner_of((*parts)[1]);
    if (owner == 0 || owner == origin ||
        std::find(members.begin(), members.end(), owner) == members.end())
      continue;
    return fail("group " + (*parts)[1] + " belongs to node " + std::to_string(owner) +
                ", a member of the view, which did not give it away");
  }
  return {};
}

}  // namespace wolfpack::cluster
