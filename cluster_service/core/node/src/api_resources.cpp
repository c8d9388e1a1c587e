// Resources: create, delete, rename, online, offline, fail, move between groups,
// dependencies and possible owners.
#include <algorithm>
#include <memory>
#include <set>
#include <utility>

#include "api_handler.hpp"
#include "db_schema.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

std::vector<std::string> without(std::vector<std::string> list, const std::string& item) {
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
  return list;
}

}  // namespace

nlohmann::json api_handler::resource_view(const resource_entry& r) const {
  nlohmann::json deps = nlohmann::json::array();
  for (const auto& p : r.depends_on) {
    if (const auto* pr = index_.resource_by_id(p))
      deps.push_back(pr->name);
  }
  const auto* type = index_.type_by_name(r.type);
  const auto* g = index_.group_by_id(r.group);
  const auto s = rm_.state_of(r.id);
  nlohmann::json view{{"name", r.name},
                      {"id", r.id},
                      {"type", type != nullptr ? type->display_name : r.type},
                      {"type_name", type != nullptr ? type->id : r.type},
                      {"group", g != nullptr ? g->name : ""},
                      {"state", std::string(to_string(s))},
                      {"code", code(s)},
                      {"owner", hooks.owner_name ? hooks.owner_name(r.group) : ctx_.node_name()},
                      {"dependencies", deps},
                      {"possible_owners", node_names(r.possible_owners)},
                      {"separate_monitor", db_.tree().get_dword(schema::resource_path(r.id),
                                                                "SeparateMonitor", 0) != 0},
                      {"monitor", rm_.monitor_of(r.id)}};
  if (s == resource_state::failed)
    view["reason"] = rm_.failure_reason(r.id);
  return view;
}

nlohmann::json api_handler::dependencies_view(const resource_entry& r) const {
  nlohmann::json deps = nlohmann::json::array();
  nlohmann::json dependents = nlohmann::json::array();
  for (const auto& p : r.depends_on) {
    if (const auto* pr = index_.resource_by_id(p))
      deps.push_back(pr->name);
  }
  for (const auto& d : r.dependents) {
    if (const auto* dr = index_.resource_by_id(d))
      dependents.push_back(dr->name);
  }
  return {{"dependencies", deps}, {"dependents", dependents}};
}

void api_handler::create_resource(const request& req) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string},
                        {"group", true, nlohmann::json::value_t::string},
                        {"type", true, nlohmann::json::value_t::string},
                        {"separate_monitor", false, nlohmann::json::value_t::boolean},
                        {"description", false, nlohmann::json::value_t::string}})) {
    return;
  }
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "resource"))
    return;
  const auto group_name = req.body["group"].get<std::string>();
  const auto type_name = req.body["type"].get<std::string>();
  const auto* g = index_.group_by_name(group_name);
  if (g == nullptr)
    return error(req, ERROR_GROUP_NOT_FOUND, "group '" + group_name + "' does not exist");
  const auto* type = index_.type_by_name(type_name);
  if (type == nullptr) {
    return error(
        req, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
        "resource type '" + type_name + "' is not registered in cluster '" + cluster_name() + "'");
  }
  if (index_.resource_by_name(name) != nullptr)
    return error(req, ERROR_OBJECT_ALREADY_EXISTS, "resource '" + name + "' already exists");

  const auto id = ctx_.new_guid();
  const auto path = schema::resource_path(id);
  std::vector<db_op> ops{
      db_op::create_key(path),
      db_op::set_value(path, std::string(schema::name), typed_value::sz(name)),
      db_op::set_value(path, std::string(schema::type), typed_value::sz(type->id)),
      db_op::set_value(path, std::string(schema::depends_on), typed_value::multi_sz({})),
      db_op::set_value(path, std::string(schema::possible_owners), typed_value::multi_sz({})),
      db_op::create_key(schema::parameters_path(id))};
  if (req.body.value("separate_monitor", false))
    ops.push_back(db_op::set_value(path, "SeparateMonitor", typed_value::dword(1)));
  if (req.body.contains("description")) {
    ops.push_back(db_op::set_value(path, "Description",
                                   typed_value::sz(req.body["description"].get<std::string>())));
  }
  auto contains = g->resources;
  contains.push_back(id);
  ops.push_back(db_op::set_value(schema::group_path(g->id), std::string(schema::contains),
                                 typed_value::multi_sz(contains)));
  auto added = object_event("RESOURCE_ADDED", CLUSTER_CHANGE_RESOURCE_ADDED, "resource", name, id);
  added["group"] = g->name;
  commit(req, std::move(ops), {added}, 201, [this, id] {
    const auto* r = index_.resource_by_id(id);
    return r != nullptr ? resource_view(*r) : nlohmann::json();
  });
}

void api_handler::delete_resource(const request& req, const resource_entry& r) {
  const auto s = rm_.state_of(r.id);
  if (s != resource_state::offline && s != resource_state::failed) {
    return error(req, ERROR_RESOURCE_ONLINE,
                 "resource '" + r.name + "' is " + std::string(to_string(s)) +
                     "; take it offline before deleting it");
  }
  if (!r.dependents.empty()) {
    const auto* d = index_.resource_by_id(r.dependents.front());
    return error(req, ERROR_DEPENDENT_RESOURCE_EXISTS,
                 "resource '" + (d != nullptr ? d->name : r.dependents.front()) +
                     "' depends on resource '" + r.name + "'; remove the dependency first");
  }
  std::vector<db_op> ops;
  if (const auto* g = index_.group_by_id(r.group)) {
    ops.push_back(db_op::set_value(schema::group_path(g->id), std::string(schema::contains),
                                   typed_value::multi_sz(without(g->resources, r.id))));
  }
  ops.push_back(db_op::delete_key(schema::resource_path(r.id)));
  // The resource is closed when the update applies (core_state::applied), on every node: a
  // delete that is refused (the group changed meanwhile) must leave it as it was.
  const auto id = r.id;
  commit(
      req, std::move(ops),
      {object_event("RESOURCE_DELETED", CLUSTER_CHANGE_RESOURCE_DELETED, "resource", r.name, id)},
      204, nullptr);
}

void api_handler::rename_resource(const request& req, const resource_entry& r) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string}}))
    return;
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "resource"))
    return;
  if (const auto* other = index_.resource_by_name(name); other != nullptr && other->id != r.id)
    return error(req, ERROR_OBJECT_ALREADY_EXISTS, "resource '" + name + "' already exists");
  const auto id = r.id;
  auto event =
      object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource", name, id);
  event["previous_name"] = r.name;
  commit(req,
         {db_op::set_value(schema::resource_path(id), std::string(schema::name),
                           typed_value::sz(name))},
         {event}, 200, [this, id] {
           const auto* rr = index_.resource_by_id(id);
           return rr != nullptr ? resource_view(*rr) : nlohmann::json();
         });
}

void api_handler::online_resource(const request& req, const resource_entry& r) {
  if (!check_body(req, {}) || refuse_while_shutting_down(req))
    return;
  // The resource and every provider it needs get PersistentState, as does the group.
  std::vector<db_op> ops;
  const auto seen = index_.with_providers(r.id);
  for (const auto& id : seen) {
    ops.push_back(db_op::set_value(schema::resource_path(id), std::string(schema::persistent_state),
                                   typed_value::dword(1)));
  }
  // A type's required dependencies (SPEC 4.1) are checked before anything changes.
  for (const auto& rid : seen) {
    if (auto missing = rm_.missing_required_dependency(rid)) {
      const auto* e = index_.resource_by_id(rid);
      return error(req, ERROR_DEPENDENCY_NOT_FOUND,
                   "resource '" + (e != nullptr ? e->name : rid) +
                       "' cannot come online: its type "
                       "requires a dependency on " +
                       *missing);
    }
  }
  if (index_.group_by_id(r.group) != nullptr) {
    ops.push_back(db_op::set_value(schema::group_path(r.group),
                                   std::string(schema::persistent_state), typed_value::dword(1)));
  }
  const auto id = r.id;
  auto status = std::make_shared<int>(202);
  commit(
      req, std::move(ops), {}, status,
      [this, id] {
        const auto* rr = index_.resource_by_id(id);
        return rr != nullptr ? resource_view(*rr) : nlohmann::json();
      },
      [this, id, status] { *status = rm_.online_resource(id) ? 200 : 202; });
}

void api_handler::offline_resource(const request& req, const resource_entry& r) {
  if (!check_body(req, {}))
    return;
  std::vector<db_op> ops;
  const auto seen = index_.with_dependents(r.id);
  for (const auto& id : seen) {
    ops.push_back(db_op::set_value(schema::resource_path(id), std::string(schema::persistent_state),
                                   typed_value::dword(0)));
  }
  // The group stays "persistently online" while any of its resources is.
  if (const auto* g = index_.group_by_id(r.group)) {
    bool any = false;
    for (const auto& rid : g->resources) {
      any = any || (!seen.contains(rid) && db_.tree().get_dword(schema::resource_path(rid),
                                                                schema::persistent_state, 0) != 0);
    }
    ops.push_back(db_op::set_value(schema::group_path(g->id), std::string(schema::persistent_state),
                                   typed_value::dword(any ? 1 : 0)));
  }
  const auto id = r.id;
  auto status = std::make_shared<int>(202);
  commit(
      req, std::move(ops), {}, status,
      [this, id] {
        const auto* rr = index_.resource_by_id(id);
        return rr != nullptr ? resource_view(*rr) : nlohmann::json();
      },
      [this, id, status] { *status = rm_.offline_resource(id) ? 200 : 202; });
}

void api_handler::fail_resource(const request& req, const resource_entry& r) {
  if (!check_body(req, {}) || refuse_while_shutting_down(req))
    return;
  const auto s = rm_.state_of(r.id);
  if (s != resource_state::online && s != resource_state::online_pending) {
    return error(req, ERROR_INVALID_STATE,
                 "resource '" + r.name + "' is " + std::string(to_string(s)) +
                     "; only an online resource can be failed");
  }
  rm_.fail_resource(r.id);
  reply(req, 202, resource_view(r));
}

void api_handler::move_resource(const request& req, const resource_entry& r) {
  if (!check_body(req, {{"group", true, nlohmann::json::value_t::string}}))
    return;
  const auto target_name = req.body["group"].get<std::string>();
  const auto* target = index_.group_by_name(target_name);
  if (target == nullptr)
    return error(req, ERROR_GROUP_NOT_FOUND, "group '" + target_name + "' does not exist");
  const auto* source = index_.group_by_id(r.group);
  if (source == nullptr || source->id == target->id) {
    return error(req, ERROR_INVALID_STATE,
                 "resource '" + r.name + "' is already in group '" + target->name + "'");
  }
  // ChangeClusterResourceGroup moves the resource with every resource it is connected to by
  // dependencies, since dependencies never cross groups.
  std::set<std::string> closure;
  std::vector<std::string> stack{r.id};
  while (!stack.empty()) {
    auto id = stack.back();
    stack.pop_back();
    if (!closure.insert(id).second)
      continue;
    if (const auto* e = index_.resource_by_id(id)) {
      stack.insert(stack.end(), e->depends_on.begin(), e->depends_on.end());
      stack.insert(stack.end(), e->dependents.begin(), e->dependents.end());
    }
  }
  std::vector<std::string> source_left, target_now = target->resources;
  for (const auto& id : source->resources) {
    if (closure.contains(id))
      target_now.push_back(id);
    else
      source_left.push_back(id);
  }
  std::vector<nlohmann::json> events;
  for (const auto& id : closure) {
    const auto* e = index_.resource_by_id(id);
    auto ev = object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource",
                           e != nullptr ? e->name : id, id);
    ev["group"] = target->name;
    ev["previous_group"] = source->name;
    events.push_back(std::move(ev));
  }
  const auto id = r.id;
  const auto sid = source->id;
  const auto tid = target->id;
  commit(req,
         {db_op::set_value(schema::group_path(sid), std::string(schema::contains),
                           typed_value::multi_sz(source_left)),
          db_op::set_value(schema::group_path(tid), std::string(schema::contains),
                           typed_value::multi_sz(target_now))},
         std::move(events), 200, [this, id] {
           const auto* rr = index_.resource_by_id(id);
           return rr != nullptr ? resource_view(*rr) : nlohmann::json();
         });
}

void api_handler::add_dependency(const request& req, const resource_entry& r) {
  if (!check_body(req, {{"provider", true, nlohmann::json::value_t::string}}))
    return;
  const auto provider_name = req.body["provider"].get<std::string>();
  const auto* p = index_.resource_by_name(provider_name);
  if (p == nullptr) {
    return error(req, ERROR_RESOURCE_NOT_FOUND, "resource '" + provider_name + "' does not exist");
  }
  const auto witness = hooks.quorum_resource ? hooks.quorum_resource() : std::string();
  if (!witness.empty() && (p->id == witness || r.id == witness)) {
    return error(req, ERROR_DEPENDENCY_NOT_ALLOWED,
                 "resource '" + (p->id == witness ? p->name : r.name) +
                     "' is the quorum witness; it can neither depend on another resource nor be "
                     "depended on");
  }
  if (p->id == r.id) {
    return error(req, ERROR_DEPENDENCY_NOT_ALLOWED,
                 "resource '" + r.name + "' cannot depend on itself");
  }
  if (std::find(r.depends_on.begin(), r.depends_on.end(), p->id) != r.depends_on.end()) {
    return error(req, ERROR_DEPENDENCY_ALREADY_EXISTS,
                 "resource '" + r.name + "' already depends on resource '" + p->name + "'");
  }
  if (p->group != r.group) {
    const auto* rg = index_.group_by_id(r.group);
    const auto* pg = index_.group_by_id(p->group);
    return error(req, ERROR_DEPENDENCY_NOT_ALLOWED,
                 "resource '" + r.name + "' (group '" + (rg ? rg->name : "") +
                     "') cannot depend on resource '" + p->name + "' (group '" +
                     (pg ? pg->name : "") + "'): dependencies stay within one group");
  }
  if (index_.depends_transitively(p->id, r.id)) {
    return error(req, ERROR_DEPENDENCY_NOT_ALLOWED,
                 "resource '" + p->name + "' already depends on resource '" + r.name +
                     "'; the new dependency would make a cycle");
  }
  // MSCS: the provider must be online when the dependent is (else the dependent would run
  // without it). The request is forwarded to the group's owner (core_state::owner_bound),
  // whose states are the monitor's, an online command it has sent counting as online.
  if (rm_.starting_or_up(r.id) && rm_.state_of(p->id) != resource_state::online) {
    return error(req, ERROR_RESOURCE_ONLINE,
                 "resource '" + r.name + "' is online and resource '" + p->name +
                     "' is not; bring the provider online or the dependent offline first");
  }
  auto deps = r.depends_on;
  deps.push_back(p->id);
  const auto id = r.id;
  auto ev =
      object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource", r.name, id);
  ev["dependency_added"] = p->name;
  // What was checked holds until the dependency does: the owner starts no online of the
  // dependent meanwhile (a retry, a restart, an online asked through another node).
  std::function<void()> release;
  if (rm_.hold_start(id)) {
    auto released = std::make_shared<bool>(false);
    release = [this, id, released] {
      if (!std::exchange(*released, true))
        rm_.release_start(id);
    };
  }
  // A move of the group is proposed by this node too, so it is ordered after this update
  // (GUM keeps each node's order): the group cannot change owner between the check and the
  // dependency.
  commit(
      req,
      {db_op::set_value(schema::resource_path(id), std::string(schema::depends_on),
                        typed_value::multi_sz(deps))},
      {ev}, 201,
      [this, id] {
        const auto* rr = index_.resource_by_id(id);
        return rr != nullptr ? dependencies_view(*rr) : nlohmann::json();
      },
      release, release);
}

void api_handler::remove_dependency(const request& req, const resource_entry& r,
                                    const std::string& name) {
  const auto* p = index_.resource_by_name(name);
  if (p == nullptr)
    return error(req, ERROR_RESOURCE_NOT_FOUND, "resource '" + name + "' does not exist");
  if (std::find(r.depends_on.begin(), r.depends_on.end(), p->id) == r.depends_on.end()) {
    return error(req, ERROR_DEPENDENCY_NOT_FOUND,
                 "resource '" + r.name + "' does not depend on resource '" + p->name + "'");
  }
  const auto id = r.id;
  auto ev =
      object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource", r.name, id);
  ev["dependency_removed"] = p->name;
  commit(req,
         {db_op::set_value(schema::resource_path(id), std::string(schema::depends_on),
                           typed_value::multi_sz(without(r.depends_on, p->id)))},
         {ev}, 204, nullptr);
}

void api_handler::set_possible_owners(const request& req, const resource_entry& r,
                                      std::vector<std::string> node_ids) {
  const auto id = r.id;
  auto ev =
      object_event("RESOURCE_PROPERTY", CLUSTER_CHANGE_RESOURCE_PROPERTY, "resource", r.name, id);
  commit(req,
         {db_op::set_value(schema::resource_path(id), std::string(schema::possible_owners),
                           typed_value::multi_sz(std::move(node_ids)))},
         {ev}, 200, [this, id] {
           const auto* rr = index_.resource_by_id(id);
           return rr != nullptr ? nlohmann::json{{"nodes", node_names(rr->possible_owners)}}
                                : nlohmann::json();
         });
}

}  // namespace wolfpack::cluster
