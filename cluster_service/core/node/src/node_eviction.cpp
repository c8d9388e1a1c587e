#include "node_eviction.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

status eviction_still_valid(const object_index& index, const std::vector<db_op>& ops,
                            const std::vector<std::uint32_t>& members) {
  for (const auto& op : ops) {
    if (op.op != db_op::kind::delete_key)
      continue;
    const auto prefix = std::string(schema::nodes_key) + "\\";
    if (op.path.size() <= prefix.size() ||
        fold_case(op.path.substr(0, prefix.size())) != fold_case(prefix))
      continue;
    const auto id = op.path.substr(prefix.size());
    std::uint32_t numeric = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), numeric);
    if (ec != std::errc() || end != id.data() + id.size())
      continue;
    if (std::find(members.begin(), members.end(), numeric) == members.end())
      continue;
    const auto* n = index.node_by_id(id);
    return fail("node '" + (n != nullptr ? n->name : id) +
                "' is active again; stop its cluster service before evicting it");
  }
  return {};
}

}  // namespace wolfpack::cluster
