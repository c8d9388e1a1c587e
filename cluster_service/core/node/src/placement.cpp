#include "placement.hpp"

#include <algorithm>
#include <string>

#include "db_schema.hpp"

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
  // Walk the list from just after the current owner, wrapping around.
  std::size_t start = 0;
  if (auto it = std::find(order.begin(), order.end(), request.current); it != order.end())
    start = static_cast<std::size_t>(it - order.begin()) + 1;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto id = order[(start + i) % order.size()];
    if (request.exclude_current && id == request.current)
      continue;
    if (eligible(id))
      return id;
  }
  return std::nullopt;
}

}  // namespace wolfpack::cluster
