#include "dependency_edits.hpp"

#include <set>
#include <string>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

status dependency_edits_still_valid(const object_index& index, const std::vector<db_op>& ops) {
  const auto resources = fold_case(schema::resources_key);
  const auto depends_on = fold_case(schema::depends_on);
  for (const auto& op : ops) {
    if (op.op != db_op::kind::set_value || op.value.type != value_type::multi_sz ||
        fold_case(op.name) != depends_on)
      continue;
    auto parts = split_key_path(op.path);
    if (!parts || parts->size() != 2 || fold_case((*parts)[0]) != resources)
      continue;
    const auto* r = index.resource_by_id((*parts)[1]);
    if (r == nullptr)
      continue;  // created by this update: its first list
    std::set<std::string> now, written;
    for (const auto& p : r->depends_on)
      now.insert(fold_case(p));
    for (const auto& p : op.value.as_strings())
      written.insert(fold_case(p));
    std::size_t differences = 0;
    for (const auto& p : now)
      differences += written.contains(p) ? 0 : 1;
    for (const auto& p : written)
      differences += now.contains(p) ? 0 : 1;
    if (differences > 1) {
      return fail("the dependencies of resource '" + r->name + "' changed meanwhile; ask again");
    }
  }
  return {};
}

}  // namespace wolfpack::cluster
