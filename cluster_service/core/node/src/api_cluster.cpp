// The cluster object, nodes and resource types.
#include <charconv>

#include "api_handler.hpp"
#include "cluster_identity.hpp"
#include "db_schema.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/folded_key.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

nlohmann::json api_handler::node_view(const node_entry& n) const {
  const node_state s = hooks.node_state_of(n);
  return {{"name", n.name}, {"id", n.id}, {"state", std::string(to_string(s))}, {"code", code(s)}};
}

nlohmann::json api_handler::type_view(const type_entry& t) const {
  return {
      {"name", t.id},
      {"display_name", t.display_name},
      {"dll", t.dll},
      {"properties", common_properties_view(object_kind::resource_type, schema::type_path(t.id))}};
}

void api_handler::route_cluster(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  if (p.size() == 1) {
    if (m != "GET")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster");
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto* n : index_.nodes())
      nodes.push_back(n->name);
    return reply(req, 200,
                 {{"name", cluster_name()},
                  {"node", ctx_.node_name()},
                  {"nodes", nodes},
                  {"version", {{"major", 1}, {"minor", 0}}},
                  {"db_seq", db_.seq()},
                  {"db_hash", db_.tree().hash()},
                  {"event_seq", ctx_.event_seq()}});
  }
  if (p.size() == 2 && p[1] == "properties") {
    if (m == "GET")
      return reply(req, 200, {{"properties", common_properties_view(object_kind::cluster, "")}});
    if (m == "PUT")
      return put_common_properties(req, object_kind::cluster, "", cluster_name(), "");
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster/properties");
  }
  if (p.size() == 2 && p[1] == "private") {
    if (stored_private_route(req, object_kind::cluster, "", cluster_name(), ""))
      return;
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster/private");
  }
  if (p.size() == 2 && p[1] == "quorum") {
    if (m == "GET")
      return reply(req, 200, quorum_view());
    if (m == "PUT")
      return set_quorum(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster/quorum");
  }
  if (p.size() == 2 && p[1] == "networkpriority") {
    if (m == "GET")
      return reply(req, 200, network_priority_view());
    if (m == "PUT")
      return set_network_priority(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster/networkpriority");
  }
  if (p.size() == 2 && p[1] == "rename") {
    if (m == "POST")
      return rename_cluster(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /cluster/rename");
  }
  error(req, ERROR_NOT_FOUND, "no such API path: /cluster/" + p[1]);
}

// SetClusterName. MSCS renames the core Network Name and the change takes effect when that
// resource comes online again; Wolfpack has no core Network Name, so the database's name is
// the cluster's name at once, on every node as it applies the update. The old name stays
// one of the cluster's (EarlierClusterNames): nodes started with it are still members.
void api_handler::rename_cluster(const request& req) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string}}))
    return;
  const auto name = req.body["name"].get<std::string>();
  if (const auto problem = cluster_name_problem(name); !problem.empty())
    return error(req, ERROR_INVALID_NAME, "field 'name': '" + name + "': " + problem);
  // What the database holds: not the name this node may have been started with.
  const auto identity =
      stored_identity(db_.tree()).value_or(cluster_identity{configured_name_, {}});
  if (name == identity.name)
    return reply(req, 200, {{"name", name}, {"previous_name", name}});
  if (const auto* n = index_.node_by_name(name); n != nullptr) {
    return error(req, ERROR_OBJECT_ALREADY_EXISTS,
                 "field 'name': node '" + n->name +
                     "' has that name; the cluster and its nodes need names of their own");
  }
  // Oldest first, each once: the name replaced joins the list, a name given back leaves it.
  std::vector<std::string> earlier;
  for (const auto& e : identity.earlier) {
    if (fold_case(e) != fold_case(name))
      earlier.push_back(e);
  }
  if (fold_case(identity.name) != fold_case(name))
    earlier.push_back(identity.name);
  std::vector<db_op> ops{
      db_op::set_value("", std::string(schema::cluster_name), typed_value::sz(name))};
  if (!earlier.empty()) {
    ops.push_back(db_op::set_value("", std::string(schema::earlier_cluster_names),
                                   typed_value::multi_sz(earlier)));
  } else if (db_.tree().find_value("", schema::earlier_cluster_names) != nullptr) {
    ops.push_back(db_op::delete_value("", std::string(schema::earlier_cluster_names)));
  }
  auto ev = object_event("CLUSTER_PROPERTY", CLUSTER_CHANGE_CLUSTER_PROPERTY, "cluster", name, "");
  ev["property"] = "Name";
  ev["previous_name"] = identity.name;
  ctx_.log("info", "node", "renaming the cluster '" + identity.name + "' to '" + name + "'");
  commit(req, std::move(ops), {ev}, 200, [name, old = identity.name] {
    return nlohmann::json{{"name", name}, {"previous_name", old}};
  });
}

nlohmann::json api_handler::quorum_view() const {
  const auto id = hooks.quorum_resource ? hooks.quorum_resource() : std::string();
  std::uint64_t votes = 0;
  for (const auto* n : index_.nodes())
    votes += db_.tree().get_dword(schema::node_path(n->id), "NodeWeight", 1);
  const auto* r = id.empty() ? nullptr : index_.resource_by_id(id);
  if (r == nullptr) {
    return {{"type", "NodeMajority"}, {"resource", nullptr}, {"holder", nullptr}, {"votes", votes}};
  }
  const auto holder = hooks.witness_holder_name ? hooks.witness_holder_name() : std::string();
  return {{"type", "NodeAndWitnessMajority"},
          {"resource", r->name},
          {"resource_type", r->type},
          {"holder", holder.empty() ? nlohmann::json() : nlohmann::json(holder)},
          {"votes", votes + 1}};
}

// SetClusterQuorumResource: {"resource": NAME} makes NAME the witness (node and witness
// majority); {"resource": ""} goes back to node majority.
void api_handler::set_quorum(const request& req) {
  if (!check_body(req, {{"resource", true, nlohmann::json::value_t::string}}) ||
      refuse_while_shutting_down(req))
    return;
  const auto name = req.body["resource"].get<std::string>();
  auto done = [this, req](const std::string& id) {
    std::vector<db_op> ops;
    if (id.empty()) {
      if (db_.tree().get(std::string(), schema::quorum_resource))
        ops.push_back(db_op::delete_value("", std::string(schema::quorum_resource)));
    } else {
      ops.push_back(
          db_op::set_value("", std::string(schema::quorum_resource), typed_value::sz(id)));
    }
    auto ev = object_event("CLUSTER_PROPERTY", CLUSTER_CHANGE_CLUSTER_PROPERTY, "cluster",
                           cluster_name(), "");
    ev["property"] = "QuorumResource";
    commit(req, std::move(ops), {ev}, 200, [this] { return quorum_view(); });
  };
  if (name.empty())
    return done({});
  const auto* r = index_.resource_by_name(name);
  if (r == nullptr)
    return error(req, ERROR_RESOURCE_NOT_FOUND, "resource '" + name + "' does not exist");
  if (!r->depends_on.empty() || !r->dependents.empty()) {
    return error(req, ERROR_DEPENDENCY_NOT_ALLOWED,
                 "resource '" + r->name +
                     "' has dependencies; the quorum witness can neither depend on another "
                     "resource nor be depended on");
  }
  if (!hooks.check_quorum_capable)
    return done(r->id);
  hooks.check_quorum_capable(
      r->id, [this, req, done, id = r->id](std::uint32_t code, const std::string& why) {
        if (code != ERROR_SUCCESS)
          return error(req, code, "property QuorumResource: " + why);
        done(id);
      });
}

void api_handler::route_nodes(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  if (p.size() == 1) {
    if (m != "GET")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /nodes");
    nlohmann::json list = nlohmann::json::array();
    for (const auto* n : index_.nodes())
      list.push_back(node_view(*n));
    return reply(req, 200, {{"nodes", list}});
  }
  const auto* n = index_.node_by_name(p[1]);
  if (n == nullptr) {
    return error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
                 "node '" + p[1] + "' is not a member of cluster '" + cluster_name() + "'");
  }
  if (p.size() == 2 && m == "GET")
    return reply(req, 200, node_view(*n));
  if (p.size() == 3 && p[2] == "properties") {
    if (m == "GET") {
      auto props = common_properties_view(object_kind::node, schema::node_path(n->id));
      return reply(req, 200, {{"properties", props}});
    }
    if (m == "PUT") {
      return put_common_properties(req, object_kind::node, schema::node_path(n->id), n->name,
                                   n->id);
    }
  }
  if (p.size() == 3 && p[2] == "private") {
    if (stored_private_route(req, object_kind::node, schema::node_path(n->id), n->name, n->id))
      return;
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /nodes/" + p[1] + "/private");
  }
  if (p.size() == 3 && p[2] == "interfaces" && m == "GET") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& i : network_table(db_.tree()).interfaces_of_node(n->id))
      list.push_back(netinterface_view(i));
    return reply(req, 200, {{"netinterfaces", list}});
  }
  if (p.size() == 3 && m == "POST" && p[2] == "stop")
    return stop_node(req, *n);
  if (p.size() == 3 && m == "POST" && (p[2] == "pause" || p[2] == "resume" || p[2] == "evict")) {
    return node_action(req, *n, p[2]);
  }
  error(req, ERROR_NOT_FOUND,
        "no such API path: /nodes/" + p[1] + (p.size() > 2 ? "/" + p[2] : ""));
}

void api_handler::node_action(const request& req, const node_entry& n, const std::string& action) {
  if (!check_body(req, {}))
    return;
  const auto id = n.id;
  const bool self = n.name == ctx_.node_name();
  if (action == "evict") {
    const auto state = hooks.node_state_of(n);
    if (self || state == node_state::up || state == node_state::paused) {
      return error(req, ERROR_CANT_EVICT_ACTIVE_NODE,
                   "node '" + n.name + "' is active; stop its cluster service before evicting it");
    }
    // Its interfaces go with it, and a network left without interfaces. Its id is never
    // given again (a database from before this change may not say it was given).
    auto gone = network_table(db_.tree()).forget(id);
    gone.ops.insert(gone.ops.begin(), db_op::delete_key(schema::node_path(id)));
    std::uint32_t numeric = 0;
    std::from_chars(id.data(), id.data() + id.size(), numeric);
    if (numeric > db_.tree().get_dword("", schema::highest_node_id, 0)) {
      gone.ops.insert(gone.ops.begin(), db_op::set_value("", std::string(schema::highest_node_id),
                                                         typed_value::dword(numeric)));
    }
    gone.events.insert(
        gone.events.begin(),
        object_event("NODE_DELETED", CLUSTER_CHANGE_NODE_DELETED, "node", n.name, id));
    return commit(req, std::move(gone.ops), std::move(gone.events), 200, [name = n.name, id] {
      return nlohmann::json{{"name", name}, {"id", id}};
    });
  }
  const bool pause = action == "pause";
  // Any member may pause or resume any node that is up (PauseClusterNode takes any node of
  // the cluster); a node that is down or still joining cannot be (ERROR_CLUSTER_NODE_NOT_READY,
  // as for Windows' PauseClusterNode on a down node).
  if (!self) {
    const auto state = hooks.node_state_of(n);
    if (state != node_state::up && state != node_state::paused)
      return error(req, ERROR_CLUSTER_NODE_NOT_READY,
                   "node '" + n.name + "' is " + std::string(to_string(state)) + ", not up");
  }
  // Paused survives a restart of the node (SPEC 4.10), so it lives in the database.
  auto ev = object_event("NODE_STATE", CLUSTER_CHANGE_NODE_STATE, "node", n.name, id);
  ev["state"] = pause ? "Paused" : "Up";
  ev["code"] = pause ? code(node_state::paused) : code(node_state::up);
  std::vector<db_op> ops;
  if (pause)
    ops.push_back(db_op::set_value(schema::node_path(id), "Paused", typed_value::dword(1)));
  else if (db_.tree().get(schema::node_path(id), "Paused"))
    ops.push_back(db_op::delete_value(schema::node_path(id), "Paused"));
  std::vector<nlohmann::json> events;
  const bool paused_now = db_.tree().get_dword(schema::node_path(id), "Paused", 0) != 0;
  if (paused_now != pause)
    events.push_back(ev);
  commit(req, std::move(ops), std::move(events), 200, [this, id] {
    const auto* nn = index_.node_by_id(id);
    return nn != nullptr ? node_view(*nn) : nlohmann::json();
  });
}

// `cluster node N /stop`: the cluster service of N stops as it would on a stop request (its
// groups go offline, then move to the other nodes). A request for another node reaches this
// handler only when it could not be forwarded there: that node is not running.
void api_handler::stop_node(const request& req, const node_entry& n) {
  if (!check_body(req, {}))
    return;
  // By id (names compare ignoring case); a node alone without peers has none in a view.
  const auto self = hooks.self ? hooks.self() : 0;
  const bool me =
      self != 0 ? n.id == std::to_string(self) : fold_case(n.name) == fold_case(ctx_.node_name());
  if (!me) {
    const auto state = hooks.node_state_of(n);
    if (state == node_state::up || state == node_state::paused) {
      // Up, yet not forwarded: this node is between views (a regroup runs).
      return error(req, ERROR_CLUSTER_NODE_NOT_READY,
                   "node '" + ctx_.node_name() + "' cannot reach node '" + n.name +
                       "' while its membership changes; try again");
    }
    return error(req, ERROR_CLUSTER_NODE_DOWN,
                 "node '" + n.name + "' is " + std::string(to_string(state)) +
                     ": its cluster service is not running, so it cannot be stopped");
  }
  // Answered first: the answer must leave before the service does.
  reply(req, 202, {{"name", n.name}, {"id", n.id}, {"state", "Stopping"}});
  if (!rm_.shutting_down() && hooks.stop_service)
    hooks.stop_service();
}

void api_handler::route_types(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  if (p.size() == 1) {
    if (m == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto* t : index_.types())
        list.push_back(type_view(*t));
      return reply(req, 200, {{"resourcetypes", list}});
    }
    if (m == "POST")
      return create_type(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /resourcetypes");
  }
  const auto* t = index_.type_by_name(p[1]);
  if (t == nullptr) {
    return error(
        req, ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND,
        "resource type '" + p[1] + "' is not registered in cluster '" + cluster_name() + "'");
  }
  if (p.size() == 2) {
    if (m == "GET")
      return reply(req, 200, type_view(*t));
    if (m == "DELETE")
      return delete_type(req, *t);
  }
  if (p.size() == 3 && p[2] == "control" && m == "POST")
    return control_type(req, *t);
  if (p.size() == 3 && p[2] == "properties") {
    if (m == "GET") {
      return reply(req, 200,
                   {{"properties", common_properties_view(object_kind::resource_type,
                                                          schema::type_path(t->id))}});
    }
    if (m == "PUT") {
      return put_common_properties(req, object_kind::resource_type, schema::type_path(t->id), t->id,
                                   t->id);
    }
  }
  if (p.size() == 3 && p[2] == "private" &&
      stored_private_route(req, object_kind::resource_type, schema::type_path(t->id), t->id, t->id))
    return;
  error(req, ERROR_INVALID_FUNCTION,
        m + " is not allowed on /resourcetypes/" + p[1] + (p.size() > 2 ? "/" + p[2] : ""));
}

void api_handler::create_type(const request& req) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string},
                        {"dll", true, nlohmann::json::value_t::string},
                        {"display_name", false, nlohmann::json::value_t::string},
                        {"looks_alive_ms", false, nlohmann::json::value_t::number_unsigned},
                        {"is_alive_ms", false, nlohmann::json::value_t::number_unsigned}})) {
    return;
  }
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "resource type"))
    return;
  if (name.find('\\') != std::string::npos) {
    return error(req, ERROR_INVALID_NAME, "field 'name': a resource type name cannot contain '\\'");
  }
  const auto display = req.body.value("display_name", name);
  if (index_.type_by_name(name) != nullptr || index_.type_by_name(display) != nullptr) {
    return error(req, ERROR_OBJECT_ALREADY_EXISTS, "resource type '" + name + "' already exists");
  }
  const auto dll = req.body["dll"].get<std::string>();
  if (dll.empty())
    return error(req, ERROR_INVALID_PARAMETER, "field 'dll': the plugin file cannot be empty");
  const auto path = schema::type_path(name);
  std::vector<db_op> ops{
      db_op::create_key(path),
      db_op::set_value(path, std::string(schema::name), typed_value::sz(display)),
      db_op::set_value(path, std::string(schema::dll_name), typed_value::sz(dll))};
  for (const auto& [field, prop] :
       {std::pair<const char*, const char*>{"looks_alive_ms", "LooksAlivePollInterval"},
        {"is_alive_ms", "IsAlivePollInterval"}}) {
    if (!req.body.contains(field))
      continue;
    const auto v = req.body[field].get<std::uint64_t>();
    auto checked = check_common_property(
        object_kind::resource_type, prop,
        typed_value::dword(static_cast<std::uint32_t>(v > 0xFFFFFFFFull ? 0xFFFFFFFFull : v)));
    if (v > 0xFFFFFFFFull || std::holds_alternative<property_error>(checked)) {
      return error(req, ERROR_INVALID_PARAMETER,
                   "field '" + std::string(field) + "': " +
                       (v > 0xFFFFFFFFull ? std::string("out of range")
                                          : std::get<property_error>(checked).message));
    }
    ops.push_back(db_op::set_value(path, prop, std::get<checked_property>(checked).value));
  }
  commit(req, std::move(ops),
         {object_event("RESOURCE_TYPE_ADDED", CLUSTER_CHANGE_RESOURCE_TYPE_ADDED, "resourcetype",
                       name, name)},
         201, [this, name] {
           const auto* tt = index_.type_by_name(name);
           return tt != nullptr ? type_view(*tt) : nlohmann::json();
         });
}

void api_handler::delete_type(const request& req, const type_entry& t) {
  const auto users = index_.resources_of_type(t.id);
  if (!users.empty()) {
    return error(req, ERROR_CLUSTER_RESOURCE_TYPE_BUSY,
                 "resource type '" + t.id + "' is used by " + std::to_string(users.size()) +
                     " resource(s), e.g. '" + users.front()->name + "'");
  }
  commit(req, {db_op::delete_key(schema::type_path(t.id))},
         {object_event("RESOURCE_TYPE_DELETED", CLUSTER_CHANGE_RESOURCE_TYPE_DELETED,
                       "resourcetype", t.id, t.id)},
         204, nullptr);
}

}  // namespace wolfpack::cluster
