// Groups: create, delete, rename, online, offline, move, preferred owners.
#include "api_handler.hpp"
#include "db_schema.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

nlohmann::json api_handler::group_view(const group_entry& g) const {
  nlohmann::json resources = nlohmann::json::array();
  for (const auto& id : g.resources) {
    if (const auto* r = index_.resource_by_id(id))
      resources.push_back(r->name);
  }
  const auto s = rm_.state_of_group(g.id);
  return {{"name", g.name},
          {"id", g.id},
          {"state", std::string(to_string(s))},
          {"code", code(s)},
          {"owner", hooks.owner_name ? hooks.owner_name(g.id) : ctx_.node_name()},
          {"resources", resources},
          {"preferred_owners", node_names(g.preferred_owners)},
          {"persistent_state",
           db_.tree().get_dword(schema::group_path(g.id), schema::persistent_state, 0) != 0}};
}

void api_handler::create_group(const request& req) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string},
                        {"description", false, nlohmann::json::value_t::string}})) {
    return;
  }
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "group"))
    return;
  if (index_.group_by_name(name) != nullptr)
    return error(req, ERROR_OBJECT_ALREADY_EXISTS, "group '" + name + "' already exists");
  const auto id = ctx_.new_guid();
  const auto path = schema::group_path(id);
  std::vector<db_op> ops{
      db_op::create_key(path),
      db_op::set_value(path, std::string(schema::name), typed_value::sz(name)),
      db_op::set_value(path, std::string(schema::contains), typed_value::multi_sz({})),
      db_op::set_value(path, std::string(schema::preferred_owners), typed_value::multi_sz({})),
      // A new group belongs to the node that created it (MSCS).
      db_op::set_value(path, std::string(schema::owner_node),
                       typed_value::sz(std::to_string(hooks.self())))};
  if (req.body.contains("description")) {
    ops.push_back(db_op::set_value(path, "Description",
                                   typed_value::sz(req.body["description"].get<std::string>())));
  }
  commit(req, std::move(ops),
         {object_event("GROUP_ADDED", CLUSTER_CHANGE_GROUP_ADDED, "group", name, id)}, 201,
         [this, id] {
           const auto* g = index_.group_by_id(id);
           return g != nullptr ? group_view(*g) : nlohmann::json();
         });
}

void api_handler::delete_group(const request& req, const group_entry& g) {
  if (!g.resources.empty()) {
    return error(req, ERROR_DIR_NOT_EMPTY,
                 "group '" + g.name + "' still contains " + std::to_string(g.resources.size()) +
                     " resource(s); delete or move them first");
  }
  const auto id = g.id;
  commit(req, {db_op::delete_key(schema::group_path(id))},
         {object_event("GROUP_DELETED", CLUSTER_CHANGE_GROUP_DELETED, "group", g.name, id)}, 204,
         nullptr);
}

void api_handler::rename_group(const request& req, const group_entry& g) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string}}))
    return;
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "group"))
    return;
  if (const auto* other = index_.group_by_name(name); other != nullptr && other->id != g.id)
    return error(req, ERROR_OBJECT_ALREADY_EXISTS, "group '" + name + "' already exists");
  const auto id = g.id;
  auto event = object_event("GROUP_PROPERTY", CLUSTER_CHANGE_GROUP_PROPERTY, "group", name, id);
  event["previous_name"] = g.name;
  commit(
      req,
      {db_op::set_value(schema::group_path(id), std::string(schema::name), typed_value::sz(name))},
      {event}, 200, [this, id] {
        const auto* gg = index_.group_by_id(id);
        return gg != nullptr ? group_view(*gg) : nlohmann::json();
      });
}

void api_handler::online_group(const request& req, const group_entry& g) {
  if (!check_body(req, {{"node", false, nlohmann::json::value_t::string}}))
    return;
  if (refuse_while_shutting_down(req))
    return;
  std::optional<std::uint32_t> elsewhere;
  if (req.body.is_object() && req.body.contains("node")) {
    const auto* n = index_.node_by_name(req.body["node"].get<std::string>());
    if (n == nullptr) {
      return error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
                   "node '" + req.body["node"].get<std::string>() +
                       "' is not a member of cluster '" + cluster_name() + "'");
    }
    if (std::to_string(hooks.self()) != n->id) {
      // OnlineClusterGroup with a destination: the group moves there and comes online.
      std::uint32_t code = 0;
      std::string why;
      elsewhere = hooks.move_target(g, n, code, why);
      if (!elsewhere)
        return error(req, code, why);
    }
  }
  for (const auto& rid : g.resources) {
    if (auto missing = rm_.missing_required_dependency(rid)) {
      const auto* e = index_.resource_by_id(rid);
      return error(req, ERROR_DEPENDENCY_NOT_FOUND,
                   "resource '" + (e != nullptr ? e->name : rid) +
                       "' cannot come online: its type requires a dependency on " + *missing);
    }
  }
  // PersistentState remembers what the administrator asked for, so that the group comes back
  // online when the node (cluster) starts again.
  std::vector<db_op> ops{db_op::set_value(
      schema::group_path(g.id), std::string(schema::persistent_state), typed_value::dword(1))};
  for (const auto& rid : g.resources) {
    ops.push_back(db_op::set_value(schema::resource_path(rid),
                                   std::string(schema::persistent_state), typed_value::dword(1)));
  }
  const auto id = g.id;
  auto status = std::make_shared<int>(202);
  commit(
      req, std::move(ops), {}, status,
      [this, id] {
        const auto* gg = index_.group_by_id(id);
        return gg != nullptr ? group_view(*gg) : nlohmann::json();
      },
      [this, id, status, elsewhere] {
        if (elsewhere) {
          *status = 202;
          hooks.move(
              id, *elsewhere, [](const wolfpack::status&) {}, true);
          return;
        }
        *status = rm_.online_group(id) ? 200 : 202;
      });
}

void api_handler::offline_group(const request& req, const group_entry& g) {
  if (!check_body(req, {}))
    return;
  std::vector<db_op> ops{db_op::set_value(
      schema::group_path(g.id), std::string(schema::persistent_state), typed_value::dword(0))};
  for (const auto& rid : g.resources) {
    ops.push_back(db_op::set_value(schema::resource_path(rid),
                                   std::string(schema::persistent_state), typed_value::dword(0)));
  }
  const auto id = g.id;
  auto status = std::make_shared<int>(202);
  commit(
      req, std::move(ops), {}, status,
      [this, id] {
        const auto* gg = index_.group_by_id(id);
        return gg != nullptr ? group_view(*gg) : nlohmann::json();
      },
      [this, id, status] { *status = rm_.offline_group(id) ? 200 : 202; });
}

void api_handler::move_group(const request& req, const group_entry& g) {
  if (!check_body(req, {{"node", false, nlohmann::json::value_t::string}}))
    return;
  if (refuse_while_shutting_down(req))
    return;
  const node_entry* named = nullptr;
  if (req.body.is_object() && req.body.contains("node")) {
    const auto target = req.body["node"].get<std::string>();
    named = index_.node_by_name(target);
    if (named == nullptr) {
      return error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
                   "node '" + target + "' is not a member of cluster '" + cluster_name() + "'");
    }
  }
  std::uint32_t code = 0;
  std::string why;
  const auto target = hooks.move_target(g, named, code, why);
  // ERROR_SUCCESS: the named node owns the group already, which stays as it is.
  if (!target && code == ERROR_SUCCESS)
    return reply(req, 200, group_view(g));
  if (!target)
    return error(req, code, why);
  const auto id = g.id;
  hooks.move(
      id, *target,
      [this, req, id](const wolfpack::status& st) {
        if (!st)
          return error(req, ERROR_HOST_NODE_NOT_AVAILABLE, st.error());
        const auto* gg = index_.group_by_id(id);
        reply(req, 200, gg != nullptr ? group_view(*gg) : nlohmann::json());
      },
      false);
}

void api_handler::set_group_owners(const request& req, const group_entry& g) {
  if (!check_body(req, {{"nodes", true, nlohmann::json::value_t::array}}))
    return;
  auto ids = node_ids(req, req.body["nodes"]);
  if (!ids)
    return;
  const auto id = g.id;
  commit(req,
         {db_op::set_value(schema::group_path(id), std::string(schema::preferred_owners),
                           typed_value::multi_sz(*ids))},
         {object_event("GROUP_PROPERTY", CLUSTER_CHANGE_GROUP_PROPERTY, "group", g.name, id)}, 200,
         [this, id] {
           const auto* gg = index_.group_by_id(id);
           return gg != nullptr ? nlohmann::json{{"nodes", node_names(gg->preferred_owners)}}
                                : nlohmann::json();
         });
}

}  // namespace wolfpack::cluster
