#include "group_contents.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

namespace {

// `path` as (top key folded, object id) when it names an object key: "Groups\{id}".
std::optional<std::pair<std::string, std::string>> object_of(const std::string& path) {
  auto parts = split_key_path(path);
  if (!parts || parts->size() != 2)
    return std::nullopt;
  return std::pair{fold_case((*parts)[0]), (*parts)[1]};
}

}  // namespace

status group_contents_still_valid(const object_index& index, const std::vector<db_op>& ops) {
  const auto groups = fold_case(schema::groups_key);
  const auto resources = fold_case(schema::resources_key);
  const auto contains = fold_case(schema::contains);
  std::map<std::string, std::vector<std::string>> rewritten;  // group id -> its new list
  std::set<std::string> created, deleted;                     // folded resource ids
  std::vector<std::string> groups_deleted;
  for (const auto& op : ops) {
    const auto object = object_of(op.path);
    if (!object)
      continue;
    const auto& [top, id] = *object;
    if (top == groups && op.op == db_op::kind::set_value && fold_case(op.name) == contains &&
        op.value.type == value_type::multi_sz)
      rewritten[id] = op.value.as_strings();
    else if (top == resources && op.op == db_op::kind::create_key)
      created.insert(fold_case(id));
    else if (top == resources && op.op == db_op::kind::delete_key)
      deleted.insert(fold_case(id));
    else if (top == groups && op.op == db_op::kind::delete_key)
      groups_deleted.push_back(id);
  }
  // A group deleted as empty by a node that had not seen a resource created in it.
  for (const auto& gid : groups_deleted) {
    const auto* g = index.group_by_id(gid);
    if (g == nullptr)
      continue;
    for (const auto& rid : g->resources) {
      if (deleted.contains(fold_case(rid)))
        continue;
      const auto* r = index.resource_by_id(rid);
      return fail("resource '" + (r != nullptr ? r->name : rid) + "' was added to group '" +
                  g->name + "' meanwhile; it cannot be deleted");
    }
  }
  if (rewritten.empty())
    return {};
  std::set<std::string> listed;  // folded ids the rewritten groups hold afterwards
  for (const auto& [gid, list] : rewritten) {
    for (const auto& rid : list)
      listed.insert(fold_case(rid));
  }
  for (const auto& [gid, list] : rewritten) {
    const auto* g = index.group_by_id(gid);
    const std::string group_name = g != nullptr ? g->name : gid;
    // What it holds now and the update leaves nowhere: put there by an update this one's
    // origin had not applied yet.
    if (g != nullptr) {
      for (const auto& rid : g->resources) {
        const auto folded = fold_case(rid);
        if (listed.contains(folded) || deleted.contains(folded))
          continue;
        const auto* r = index.resource_by_id(rid);
        return fail("resource '" + (r != nullptr ? r->name : rid) + "' was added to group '" +
                    group_name + "' meanwhile; ask again");
      }
    }
    // What it will list: an existing resource, or one this update creates, not held by a group
    // the update leaves as it is.
    for (const auto& rid : list) {
      const auto folded = fold_case(rid);
      if (created.contains(folded))
        continue;
      const auto* r = index.resource_by_id(rid);
      if (r == nullptr || deleted.contains(folded))
        return fail("a resource of group '" + group_name + "' (" + rid +
                    ") was deleted meanwhile; ask again");
      if (!r->group.empty() && fold_case(r->group) != fold_case(gid) &&
          !rewritten.contains(r->group)) {
        const auto* other = index.group_by_id(r->group);
        return fail("resource '" + r->name + "' was moved to group '" +
                    (other != nullptr ? other->name : r->group) + "' meanwhile; ask again");
      }
    }
  }
  return {};
}

}  // namespace wolfpack::cluster
