#include "object_index.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>

#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"

namespace wolfpack::cluster {

namespace {

template <typename Map, typename Entry = typename Map::mapped_type>
std::vector<const Entry*> sorted_by_name(const name_table& names, const Map& entries) {
  std::vector<const Entry*> out;
  out.reserve(names.size());
  names.for_each([&](const std::string& id) {
    if (auto it = entries.find(id); it != entries.end())
      out.push_back(&it->second);
  });
  return out;
}

template <typename Map, typename Entry = typename Map::mapped_type>
const Entry* by_name(const name_table& names, const Map& entries, std::string_view name) {
  const auto* id = names.find(name);
  if (id == nullptr)
    return nullptr;
  auto e = entries.find(*id);
  return e == entries.end() ? nullptr : &e->second;
}

// Removes the entry that `id` names in any spelling, with its id and name; returns it.
template <typename Map, typename Entry = typename Map::mapped_type>
std::optional<Entry> take(Map& entries, std::set<std::string, folded_less>& ids, name_table& names,
                          std::string_view id) {
  const auto known = ids.find(id);
  if (known == ids.end())
    return std::nullopt;
  auto node = entries.extract(*known);
  ids.erase(known);
  names.remove(node.mapped().name, node.mapped().id);
  return std::move(node.mapped());
}

template <typename Map, typename Entry = typename Map::mapped_type>
Entry& put(Map& entries, std::set<std::string, folded_less>& ids, name_table& names,
           Entry&& entry) {
  names.add(entry.name, entry.id);
  ids.insert(entry.id);
  const auto id = entry.id;
  return entries[id] = std::move(entry);
}

// The depth of a key path (the root is 0).
std::size_t depth_of(std::string_view path) {
  return path.empty() ? 0 : 1 + std::count(path.begin(), path.end(), '\\');
}

// The second component of a path of depth 2 or more: the object's id.
std::string_view object_id(std::string_view path) {
  const auto first = path.find('\\');
  const auto rest = path.substr(first + 1);
  return rest.substr(0, rest.find('\\'));
}

}  // namespace

bool object_index::indexes(const db_op& op) {
  // Compared ignoring case in place: every op of every update is asked.
  static constexpr std::string_view roots[] = {schema::nodes_key, schema::types_key,
                                               schema::resources_key, schema::groups_key};
  static constexpr std::string_view values[] = {
      schema::name, schema::node_name,  schema::contains,        schema::preferred_owners,
      schema::type, schema::depends_on, schema::possible_owners, schema::dll_name};
  const auto one_of = [](std::string_view s, const auto& names) {
    return std::any_of(std::begin(names), std::end(names),
                       [s](std::string_view n) { return folded_equal{}(s, n); });
  };
  const bool key_op = op.op == db_op::kind::create_key || op.op == db_op::kind::delete_key;
  if (op.path.empty())
    return key_op;  // a value of the root is not indexed; the root's keys are
  const auto first = op.path.find('\\');
  if (!one_of(std::string_view(op.path).substr(0, first), roots))
    return false;
  const std::size_t depth = 1 + std::count(op.path.begin(), op.path.end(), '\\');
  if (key_op)
    return depth <= 2;
  return depth == 2 && one_of(op.name, values);
}

void object_index::rebuild(const db_tree& tree) {
  ++generation_;
  groups_.clear();
  resources_.clear();
  group_ids_.clear();
  resource_ids_.clear();
  group_names_.clear();
  resource_names_.clear();
  dependents_of_.clear();
  containers_.clear();
  online_orders_.clear();
  groups_by_name_.reset();
  rebuild_nodes(tree);
  rebuild_types(tree);
  for (const auto& id : tree.subkeys(schema::resources_key))
    refresh_resource(tree, id);
  for (const auto& id : tree.subkeys(schema::groups_key))
    refresh_group(tree, id);
}

void object_index::apply(const db_tree& tree, const std::vector<db_op>& ops) {
  ++generation_;
  bool nodes = false, types = false;
  std::set<std::string, folded_less> groups, resources;
  for (const auto& op : ops) {
    if (!indexes(op))
      continue;
    if (depth_of(op.path) < 2)
      return rebuild(tree);  // a whole kind of object was created or deleted
    const auto top = op.path.substr(0, op.path.find('\\'));
    const std::string id(object_id(op.path));
    if (folded_equal{}(top, schema::nodes_key))
      nodes = true;
    else if (folded_equal{}(top, schema::types_key))
      types = true;
    else if (folded_equal{}(top, schema::groups_key))
      groups.insert(id);
    else
      resources.insert(id);
  }
  if (nodes)
    rebuild_nodes(tree);
  if (types)
    rebuild_types(tree);
  for (const auto& id : resources)
    refresh_resource(tree, id);
  for (const auto& id : groups)
    refresh_group(tree, id);
}

void object_index::rebuild_nodes(const db_tree& tree) {
  nodes_.clear();
  node_names_.clear();
  for (const auto& id : tree.subkeys(schema::nodes_key)) {
    const auto path = schema::node_path(id);
    node_entry n{id, tree.get_sz(path, schema::node_name, id)};
    node_names_.add(n.name, id);
    nodes_[id] = std::move(n);
  }
}

void object_index::rebuild_types(const db_tree& tree) {
  types_.clear();
  type_names_.clear();
  for (const auto& id : tree.subkeys(schema::types_key)) {
    const auto path = schema::type_path(id);
    type_entry t{id, tree.get_sz(path, schema::name, id), tree.get_sz(path, schema::dll_name, "")};
    type_names_[fold_case(t.display_name)] = fold_case(id);
    type_names_[fold_case(id)] = fold_case(id);
    types_[fold_case(id)] = std::move(t);
  }
}

void object_index::count_dependencies(const resource_entry& r, int sign) {
  for (const auto& p : r.depends_on) {
    auto& count = dependents_of_[p][r.id];
    count += sign;
    if (count == 0) {
      auto it = dependents_of_.find(p);
      it->second.erase(r.id);
      if (it->second.empty())
        dependents_of_.erase(it);
    }
  }
}

void object_index::count_contents(const group_entry& g, int sign) {
  for (const auto& rid : g.resources) {
    if (sign > 0) {
      containers_[rid][fold_case(g.id)] = g.id;
      continue;
    }
    auto it = containers_.find(rid);
    if (it == containers_.end())
      continue;
    it->second.erase(fold_case(g.id));
    if (it->second.empty())
      containers_.erase(it);
  }
}

void object_index::derive_group(resource_entry& r) const {
  // As a walk of the groups in key order would leave it: the last group that lists it.
  const auto it = containers_.find(r.id);
  r.group = it == containers_.end() ? std::string() : it->second.rbegin()->second;
}

void object_index::derive_dependents(resource_entry& r) const {
  // In id order, once for each time a dependent lists it, as a walk of the resources would.
  r.dependents.clear();
  const auto it = dependents_of_.find(r.id);
  if (it == dependents_of_.end())
    return;
  for (const auto& [dependent, count] : it->second) {
    if (resources_.contains(dependent))
      r.dependents.insert(r.dependents.end(), static_cast<std::size_t>(count), dependent);
  }
}

void object_index::forget_orders_listing(const std::string& resource_id) {
  const auto it = containers_.find(resource_id);
  if (it == containers_.end())
    return;
  for (const auto& [folded, group_id] : it->second)
    online_orders_.erase(group_id);
}

void object_index::refresh_resource(const db_tree& tree, std::string_view id) {
  // An online order reads its members' entries (name, DependsOn, dependents) as looked up by
  // the ids its group lists: the orders to forget are those of the groups that list the
  // resource or one of the providers whose dependents change here (containers_ is kept for
  // ids whether or not they exist).
  std::set<std::string> providers;  // whose dependents may change
  if (auto old = take(resources_, resource_ids_, resource_names_, id)) {
    count_dependencies(*old, -1);
    providers.insert(old->depends_on.begin(), old->depends_on.end());
    forget_orders_listing(old->id);
  }
  const auto path = schema::resource_path(id);
  if (auto written = tree.key_name(path)) {
    resource_entry r;
    r.id = std::move(*written);
    r.name = tree.get_sz(path, schema::name, r.id);
    r.type = tree.get_sz(path, schema::type, "");
    r.depends_on = tree.get_multi_sz(path, schema::depends_on, {});
    r.possible_owners = tree.get_multi_sz(path, schema::possible_owners, {});
    derive_group(r);
    count_dependencies(r, +1);
    providers.insert(r.depends_on.begin(), r.depends_on.end());
    forget_orders_listing(r.id);
    derive_dependents(put(resources_, resource_ids_, resource_names_, std::move(r)));
  }
  for (const auto& p : providers) {
    forget_orders_listing(p);
    if (auto it = resources_.find(p); it != resources_.end())
      derive_dependents(it->second);
  }
}

void object_index::refresh_group(const db_tree& tree, std::string_view id) {
  groups_by_name_.reset();
  std::set<std::string> members;  // whose group may change
  if (auto old = take(groups_, group_ids_, group_names_, id)) {
    online_orders_.erase(old->id);
    count_contents(*old, -1);
    members.insert(old->resources.begin(), old->resources.end());
  }
  const auto path = schema::group_path(id);
  if (auto written = tree.key_name(path)) {
    group_entry g;
    g.id = std::move(*written);
    g.name = tree.get_sz(path, schema::name, g.id);
    g.resources = tree.get_multi_sz(path, schema::contains, {});
    g.preferred_owners = tree.get_multi_sz(path, schema::preferred_owners, {});
    online_orders_.erase(g.id);
    count_contents(g, +1);
    members.insert(g.resources.begin(), g.resources.end());
    put(groups_, group_ids_, group_names_, std::move(g));
  }
  for (const auto& rid : members) {
    if (auto it = resources_.find(rid); it != resources_.end())
      derive_group(it->second);
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
  auto it = type_names_.find(name);
  if (it == type_names_.end())
    return nullptr;
  auto e = types_.find(it->second);
  return e == types_.end() ? nullptr : &e->second;
}
const group_entry* object_index::group_by_name(std::string_view name) const {
  return by_name(group_names_, groups_, name);
}
const group_entry* object_index::group_by_id(std::string_view id) const {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : &it->second;
}
const resource_entry* object_index::resource_by_name(std::string_view name) const {
  return by_name(resource_names_, resources_, name);
}
const resource_entry* object_index::resource_by_id(std::string_view id) const {
  auto it = resources_.find(id);
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
  if (!groups_by_name_)
    groups_by_name_ = sorted_by_name(group_names_, groups_);
  return *groups_by_name_;
}
std::vector<const resource_entry*> object_index::resources() const {
  return sorted_by_name(resource_names_, resources_);
}
std::vector<const resource_entry*> object_index::resources_of_type(std::string_view type_id) const {
  std::vector<const resource_entry*> out;
  for (const auto* r : resources()) {
    if (folded_equal{}(r->type, type_id))
      out.push_back(r);
  }
  return out;
}

const std::vector<std::string>& object_index::online_order(const group_entry& group) const {
  auto it = online_orders_.find(group.id);
  if (it == online_orders_.end())
    it = online_orders_.emplace(group.id, compute_online_order(group)).first;
  return it->second;
}

std::vector<std::string> object_index::compute_online_order(const group_entry& group) const {
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
