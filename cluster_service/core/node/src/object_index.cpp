#include "object_index.hpp"

#include <algorithm>
#include <set>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

namespace {

template <typename Entry>
std::vector<const Entry*> sorted_by_name(const std::map<std::string, std::string>& names,
                                         const std::map<std::string, Entry>& entries) {
  std::vector<const Entry*> out;
  out.reserve(names.size());
  for (const auto& [folded, id] : names) {
    if (auto it = entries.find(id); it != entries.end())
      out.push_back(&it->second);
  }
  return out;
}

template <typename Entry>
const Entry* by_name(const std::map<std::string, std::string>& names,
                     const std::map<std::string, Entry>& entries, std::string_view name) {
  auto it = names.find(fold_case(name));
  if (it == names.end())
    return nullptr;
  auto e = entries.find(it->second);
  return e == entries.end() ? nullptr : &e->second;
}

}  // namespace

bool object_index::indexes(const db_op& op) {
  static const std::set<std::string> roots = {
      fold_case(schema::nodes_key), fold_case(schema::types_key), fold_case(schema::resources_key),
      fold_case(schema::groups_key)};
  static const std::set<std::string> values = {fold_case(schema::name),
                                               fold_case(schema::node_name),
                                               fold_case(schema::contains),
                                               fold_case(schema::preferred_owners),
                                               fold_case(schema::type),
                                               fold_case(schema::depends_on),
                                               fold_case(schema::possible_owners),
                                               fold_case(schema::dll_name)};
  const bool key_op = op.op == db_op::kind::create_key || op.op == db_op::kind::delete_key;
  if (op.path.empty())
    return key_op;  // a value of the root is not indexed; the root's keys are
  const auto first = op.path.find('\\');
  if (!roots.contains(fold_case(op.path.substr(0, first))))
    return false;
  const std::size_t depth = 1 + std::count(op.path.begin(), op.path.end(), '\\');
  if (key_op)
    return depth <= 2;
  return depth == 2 && values.contains(fold_case(op.name));
}

void object_index::rebuild(const db_tree& tree) {
  nodes_.clear();
  types_.clear();
  groups_.clear();
  resources_.clear();
  node_names_.clear();
  type_names_.clear();
  group_names_.clear();
  resource_names_.clear();

  for (const auto& id : tree.subkeys(schema::nodes_key)) {
    const auto path = schema::node_path(id);
    node_entry n{id, tree.get_sz(path, schema::node_name, id)};
    node_names_[fold_case(n.name)] = id;
    nodes_[id] = std::move(n);
  }
  for (const auto& id : tree.subkeys(schema::types_key)) {
    const auto path = schema::type_path(id);
    type_entry t{id, tree.get_sz(path, schema::name, id), tree.get_sz(path, schema::dll_name, "")};
    type_names_[fold_case(t.display_name)] = fold_case(id);
    type_names_[fold_case(id)] = fold_case(id);
    types_[fold_case(id)] = std::move(t);
  }
  for (const auto& id : tree.subkeys(schema::resources_key)) {
    const auto path = schema::resource_path(id);
    resource_entry r;
    r.id = id;
    r.name = tree.get_sz(path, schema::name, id);
    r.type = tree.get_sz(path, schema::type, "");
    r.depends_on = tree.get_multi_sz(path, schema::depends_on, {});
    r.possible_owners = tree.get_multi_sz(path, schema::possible_owners, {});
    resource_names_[fold_case(r.name)] = id;
    resources_[id] = std::move(r);
  }
  for (auto& [id, r] : resources_) {
    for (const auto& p : r.depends_on) {
      if (auto it = resources_.find(p); it != resources_.end())
        it->second.dependents.push_back(id);
    }
  }
  for (const auto& id : tree.subkeys(schema::groups_key)) {
    const auto path = schema::group_path(id);
    group_entry g;
    g.id = id;
    g.name = tree.get_sz(path, schema::name, id);
    g.resources = tree.get_multi_sz(path, schema::contains, {});
    g.preferred_owners = tree.get_multi_sz(path, schema::preferred_owners, {});
    for (const auto& rid : g.resources) {
      if (auto it = resources_.find(rid); it != resources_.end())
        it->second.group = id;
    }
    group_names_[fold_case(g.name)] = id;
    groups_[id] = std::move(g);
  }
}

const node_entry* object_index::node_by_name(std::string_view name) const {
  return by_name(node_names_, nodes_, name);
}
const node_entry* object_index::node_by_id(std::string_view id) const {
  auto it = nodes_.find(std::string(id));
  return it == nodes_.end() ? nullptr : &it->second;
}
const type_entry* object_index::type_by_name(std::string_view name) const {
  return by_name(type_names_, types_, name);
}
const group_entry* object_index::group_by_name(std::string_view name) const {
  return by_name(group_names_, groups_, name);
}
const group_entry* object_index::group_by_id(std::string_view id) const {
  auto it = groups_.find(std::string(id));
  return it == groups_.end() ? nullptr : &it->second;
}
const resource_entry* object_index::resource_by_name(std::string_view name) const {
  return by_name(resource_names_, resources_, name);
}
const resource_entry* object_index::resource_by_id(std::string_view id) const {
  auto it = resources_.find(std::string(id));
  return it == resources_.end() ? nullptr : &it->second;
}

std::vector<const node_entry*> object_index::nodes() const {
  return sorted_by_name(node_names_, nodes_);
}
std::vector<const type_entry*> object_index::types() const {
  std::vector<const type_entry*> out;
  for (const auto& [folded, t] : types_)
    out.push_back(&t);
  return out;
}
std::vector<const group_entry*> object_index::groups() const {
  return sorted_by_name(group_names_, groups_);
}
std::vector<const resource_entry*> object_index::resources() const {
  return sorted_by_name(resource_names_, resources_);
}
std::vector<const resource_entry*> object_index::resources_of_type(std::string_view type_id) const {
  std::vector<const resource_entry*> out;
  for (const auto* r : resources()) {
    if (fold_case(r->type) == fold_case(type_id))
      out.push_back(r);
  }
  return out;
}

std::vector<std::string> object_index::online_order(const group_entry& group) const {
  // Kahn's algorithm over the group's resources, always taking the ready resource whose name
  // sorts first, so every node computes the same order.
  std::map<std::string, const resource_entry*> members;
  for (const auto& id : group.resources) {
    if (const auto* r = resource_by_id(id))
      members[id] = r;
  }
  std::map<std::string, int> waiting;
  for (const auto& [id, r] : members) {
    int n = 0;
    for (const auto& p : r->depends_on)
      n += members.contains(p) ? 1 : 0;
    waiting[id] = n;
  }
  std::vector<std::string> order;
  std::set<std::pair<std::string, std::string>> ready;  // (folded name, id)
  for (const auto& [id, n] : waiting) {
    if (n == 0)
      ready.insert({fold_case(members[id]->name), id});
  }
  while (!ready.empty()) {
    auto [folded, id] = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(id);
    for (const auto& d : members[id]->dependents) {
      auto it = waiting.find(d);
      if (it != waiting.end() && --it->second == 0)
        ready.insert({fold_case(members[d]->name), d});
    }
  }
  // A cycle (only a damaged database has one) leaves members out; append them so that they
  // are still managed.
  for (const auto& [id, n] : waiting) {
    if (std::find(order.begin(), order.end(), id) == order.end())
      order.push_back(id);
  }
  return order;
}

std::set<std::string> object_index::closure(std::string_view id, bool providers) const {
  std::set<std::string> seen;
  std::vector<std::string> stack{std::string(id)};
  while (!stack.empty()) {
    auto current = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(current).second)
      continue;
    if (const auto* r = resource_by_id(current)) {
      const auto& next = providers ? r->depends_on : r->dependents;
      stack.insert(stack.end(), next.begin(), next.end());
    }
  }
  return seen;
}

std::set<std::string> object_index::with_providers(std::string_view id) const {
  return closure(id, true);
}

std::set<std::string> object_index::with_dependents(std::string_view id) const {
  return closure(id, false);
}

bool object_index::depends_transitively(std::string_view from, std::string_view to) const {
  return from != to && with_providers(from).contains(std::string(to));
}

}  // namespace wolfpack::cluster
