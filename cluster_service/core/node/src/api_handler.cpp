#include "api_handler.hpp"

#include <algorithm>

#include "cluster_identity.hpp"
#include "db_schema.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/win_error_names.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

int http_status_for(std::uint32_t code) {
  switch (code) {
    case ERROR_GROUP_NOT_FOUND:
    case ERROR_RESOURCE_NOT_FOUND:
    case ERROR_CLUSTER_NODE_NOT_FOUND:
    case ERROR_CLUSTER_NETWORK_NOT_FOUND:
    case ERROR_CLUSTER_NETINTERFACE_NOT_FOUND:
    case ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND:
    case ERROR_RESOURCE_TYPE_NOT_FOUND:
    case ERROR_DEPENDENCY_NOT_FOUND:
    case ERROR_NOT_FOUND:
    case ERROR_FILE_NOT_FOUND:
    case ERROR_KEY_DELETED:
      return 404;
    case ERROR_INVALID_FUNCTION:
      return 405;
    case ERROR_CLUSTER_NODE_NOT_READY:
    case ERROR_CLUSTER_NODE_SHUTTING_DOWN:
    case ERROR_SHUTDOWN_CLUSTER:
      return 503;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_DATA:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_ARGUMENTS:
    case ERROR_UNKNOWN_PROPERTY:
    case ERROR_CLUSTER_PROPERTY_DATA_TYPE_MISMATCH:
    case ERROR_NOT_SUPPORTED:
    case ERROR_BAD_PATHNAME:
      return 400;
    case ERROR_ACCESS_DENIED:
      return 403;
    default:
      return 409;
  }
}

std::string_view kind_name(nlohmann::json::value_t kind) {
  switch (kind) {
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    default:
      return "a non-negative integer";
  }
}

bool has_kind(const nlohmann::json& value, nlohmann::json::value_t kind) {
  if (kind == nlohmann::json::value_t::number_unsigned)
    return value.is_number_unsigned() || (value.is_number_integer() && value.get<long long>() >= 0);
  return value.type() == kind;
}

}  // namespace

api_handler::api_handler(core_context& ctx, database_manager& db, const object_index& index,
                         resource_manager& rm, std::string cluster_name)
    : ctx_(ctx), db_(db), index_(index), rm_(rm), configured_name_(std::move(cluster_name)) {}

std::string api_handler::cluster_name() const {
  return identity_of(db_.tree(), configured_name_).name;
}

// ---- replies --------------------------------------------------------------------------------

void api_handler::reply(const request& req, int status, nlohmann::json body) {
  ctx_.emit(out_respond{req.id, status, std::move(body)});
}

void api_handler::error(const request& req, std::uint32_t code, const std::string& message) {
  const char* name = win32_error_name(code);
  reply(req, http_status_for(code),
        {{"error",
          {{"code", code},
           {"name", *name != '\0' ? name : "ERROR_" + std::to_string(code)},
           {"message", message}}}});
}

void api_handler::commit(const request& req, std::vector<db_op> ops,
                         std::vector<nlohmann::json> events, int status,
                         std::function<nlohmann::json()> body, std::function<void()> after_apply,
                         std::function<void()> after_failure) {
  commit(req, std::move(ops), std::move(events), std::make_shared<int>(status), std::move(body),
         std::move(after_apply), std::move(after_failure));
}

void api_handler::commit(const request& req, std::vector<db_op> ops,
                         std::vector<nlohmann::json> events, std::shared_ptr<int> status,
                         std::function<nlohmann::json()> body, std::function<void()> after_apply,
                         std::function<void()> after_failure) {
  const std::uint64_t id = req.id;
  // The answer goes out once the update is durable on every member, after after_apply has
  // run (which may decide the status). The events travel with the update: every node
  // publishes them when it applies it.
  nlohmann::json ev = nlohmann::json::array();
  for (auto& e : events)
    ev.push_back(std::move(e));
  hooks.propose(
      std::move(ops), std::move(ev),
      [this, req, id, status, body = std::move(body),
       after_failure = std::move(after_failure)](const wolfpack::status& st) {
        if (!st) {
          if (after_failure)
            after_failure();
          error(req, ERROR_INVALID_DATA, "the change could not be applied: " + st.error());
          return;
        }
        ctx_.emit(out_respond{id, *status, body ? body() : nlohmann::json()});
      },
      std::move(after_apply));
}

bool api_handler::check_body(const request& req, const std::vector<field>& fields) {
  const auto& body = req.body;
  if (body.is_null()) {
    for (const auto& f : fields) {
      if (f.required) {
        error(req, ERROR_INVALID_PARAMETER,
              "the request needs a JSON body with field '" + f.name + "'");
        return false;
      }
    }
    return true;
  }
  if (!body.is_object()) {
    error(req, ERROR_INVALID_PARAMETER, "the request body must be a JSON object");
    return false;
  }
  for (const auto& [name, value] : body.items()) {
    const field* spec = nullptr;
    for (const auto& f : fields) {
      if (f.name == name)
        spec = &f;
    }
    if (spec == nullptr) {
      error(req, ERROR_INVALID_PARAMETER, "unknown field '" + name + "'");
      return false;
    }
    if (!has_kind(value, spec->kind)) {
      error(req, ERROR_INVALID_PARAMETER,
            "field '" + name + "' must be " + std::string(kind_name(spec->kind)));
      return false;
    }
  }
  for (const auto& f : fields) {
    if (f.required && !body.contains(f.name)) {
      error(req, ERROR_INVALID_PARAMETER, "missing field '" + f.name + "'");
      return false;
    }
  }
  return true;
}

bool api_handler::refuse_while_shutting_down(const request& req) {
  if (!rm_.shutting_down())
    return false;
  error(req, ERROR_CLUSTER_NODE_SHUTTING_DOWN, "node '" + ctx_.node_name() + "' is shutting down");
  return true;
}

bool api_handler::check_new_name(const request& req, const std::string& name,
                                 const std::string& what) {
  if (name.empty()) {
    error(req, ERROR_INVALID_PARAMETER, "field 'name': a " + what + " name cannot be empty");
    return false;
  }
  if (name.size() > max_key_name_length) {
    error(req, ERROR_INVALID_PARAMETER,
          "field 'name': a " + what + " name has at most 255 characters");
    return false;
  }
  for (unsigned char c : name) {
    if (c < 0x20) {
      error(req, ERROR_INVALID_NAME,
            "field 'name': a " + what + " name cannot contain control characters");
      return false;
    }
  }
  return true;
}

std::optional<std::vector<std::string>> api_handler::node_ids(const request& req,
                                                              const nlohmann::json& names) {
  std::vector<std::string> ids;
  for (const auto& n : names) {
    if (!n.is_string()) {
      error(req, ERROR_INVALID_PARAMETER, "field 'nodes' must be an array of node names");
      return std::nullopt;
    }
    const auto* node = index_.node_by_name(n.get<std::string>());
    if (node == nullptr) {
      error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
            "node '" + n.get<std::string>() + "' is not a member of cluster '" + cluster_name() +
                "'");
      return std::nullopt;
    }
    for (const auto& existing : ids) {
      if (existing == node->id) {
        error(req, ERROR_INVALID_PARAMETER,
              "field 'nodes': node '" + node->name + "' is listed twice");
        return std::nullopt;
      }
    }
    ids.push_back(node->id);
  }
  return ids;
}

std::vector<std::string> api_handler::node_names(const std::vector<std::string>& ids) const {
  std::vector<std::string> names;
  for (const auto& id : ids) {
    const auto* n = index_.node_by_id(id);
    names.push_back(n != nullptr ? n->name : id);
  }
  return names;
}

nlohmann::json api_handler::object_event(const std::string& kind, int filter,
                                         const std::string& object, const std::string& name,
                                         const std::string& id) const {
  return {{"kind", kind}, {"filter", filter}, {"object", object}, {"name", name}, {"id", id}};
}

// ---- routing --------------------------------------------------------------------------------

void api_handler::handle(const request& original) {
  const auto resolved = named(original);
  if (resolved.refusal)
    return error(original, resolved.refusal->code, resolved.refusal->message);
  const request& req = resolved.request ? *resolved.request : original;
  if (req.path.empty()) {
    reply(req, 200,
          {{"cluster", cluster_name()},
           {"node", ctx_.node_name()},
           {"links",
            {"/cluster", "/nodes", "/groups", "/resources", "/resourcetypes", "/networks",
             "/netinterfaces", "/registry", "/events"}}});
    return;
  }
  const auto& top = req.path[0];
  if (top == "cluster")
    return route_cluster(req);
  if (top == "nodes")
    return route_nodes(req);
  if (top == "resourcetypes")
    return route_types(req);
  if (top == "groups")
    return route_groups(req);
  if (top == "resources")
    return route_resources(req);
  if (top == "registry")
    return route_registry(req);
  if (top == "networks")
    return route_networks(req);
  if (top == "netinterfaces")
    return route_netinterfaces(req);
  error(req, ERROR_NOT_FOUND, "no such API path: /" + top);
}

void api_handler::route_groups(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  if (p.size() == 1) {
    if (m == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto* g : index_.groups())
        list.push_back(group_view(*g));
      return reply(req, 200, {{"groups", list}});
    }
    if (m == "POST")
      return create_group(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /groups");
  }
  const auto* g = index_.group_by_name(p[1]);
  if (g == nullptr)
    return error(req, ERROR_GROUP_NOT_FOUND, "group '" + p[1] + "' does not exist");
  const std::string where = "/groups/" + p[1] + (p.size() > 2 ? "/" + p[2] : "");
  if (p.size() == 2) {
    if (m == "GET")
      return reply(req, 200, group_view(*g));
    if (m == "DELETE")
      return delete_group(req, *g);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  if (p.size() == 3) {
    const auto& action = p[2];
    if (m == "POST") {
      if (action == "rename")
        return rename_group(req, *g);
      if (action == "online")
        return online_group(req, *g);
      if (action == "offline")
        return offline_group(req, *g);
      if (action == "move")
        return move_group(req, *g);
    }
    if (action == "owners") {
      if (m == "GET")
        return reply(req, 200, {{"nodes", node_names(g->preferred_owners)}});
      if (m == "PUT")
        return set_group_owners(req, *g);
    }
    if (action == "properties") {
      if (m == "GET") {
        return reply(req, 200,
                     {{"properties",
                       common_properties_view(object_kind::group, schema::group_path(g->id))}});
      }
      if (m == "PUT") {
        return put_common_properties(req, object_kind::group, schema::group_path(g->id), g->name,
                                     g->id);
      }
    }
    if (action == "private" &&
        stored_private_route(req, object_kind::group, schema::group_path(g->id), g->name, g->id))
      return;
    if (action == "rename" || action == "online" || action == "offline" || action == "move" ||
        action == "owners" || action == "properties" || action == "private") {
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
    }
  }
  error(req, ERROR_NOT_FOUND, "no such API path: " + where);
}

void api_handler::route_resources(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  if (p.size() == 1) {
    if (m == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto* r : index_.resources())
        list.push_back(resource_view(*r));
      return reply(req, 200, {{"resources", list}});
    }
    if (m == "POST")
      return create_resource(req);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /resources");
  }
  const auto* r = index_.resource_by_name(p[1]);
  if (r == nullptr)
    return error(req, ERROR_RESOURCE_NOT_FOUND, "resource '" + p[1] + "' does not exist");
  const std::string where = "/resources/" + p[1] + (p.size() > 2 ? "/" + p[2] : "");
  // The witness is run by the quorum manager wherever a regroup needs it, not by its group.
  const bool witness = hooks.quorum_resource && hooks.quorum_resource() == r->id;
  const bool acts =
      (p.size() == 2 && m == "DELETE") ||
      (p.size() == 3 && m == "POST" && (p[2] == "online" || p[2] == "offline" || p[2] == "fail"));
  if (witness && acts) {
    return error(req, ERROR_INVALID_OPERATION_ON_QUORUM,
                 "resource '" + r->name +
                     "' is the quorum witness; it is online on the node that holds it (make "
                     "another resource the witness, or set node majority, first)");
  }
  if (p.size() == 2) {
    if (m == "GET")
      return reply(req, 200, resource_view(*r));
    if (m == "DELETE")
      return delete_resource(req, *r);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  const auto& action = p[2];
  if (p.size() == 3) {
    if (m == "POST") {
      if (action == "rename")
        return rename_resource(req, *r);
      if (action == "online")
        return online_resource(req, *r);
      if (action == "offline")
        return offline_resource(req, *r);
      if (action == "fail")
        return fail_resource(req, *r);
      if (action == "move")
        return move_resource(req, *r);
      if (action == "dependencies")
        return add_dependency(req, *r);
      if (action == "control")
        return control_resource(req, *r);
      if (action == "owners") {
        if (!check_body(req, {{"node", true, nlohmann::json::value_t::string}}))
          return;
        auto ids = node_ids(req, nlohmann::json::array({req.body["node"]}));
        if (!ids)
          return;
        auto current = r->possible_owners;
        // An empty list means every node: the node is one already, and adding it must not
        // narrow the list to that node alone.
        if (current.empty() ||
            std::find(current.begin(), current.end(), (*ids)[0]) != current.end()) {
          return error(req, ERROR_OBJECT_ALREADY_EXISTS,
                       "node '" + req.body["node"].get<std::string>() +
                           "' is already a possible owner of resource '" + r->name + "'");
        }
        current.push_back((*ids)[0]);
        return set_possible_owners(req, *r, std::move(current));
      }
    }
    if (m == "GET" && action == "dependencies")
      return reply(req, 200, dependencies_view(*r));
    if (action == "owners") {
      if (m == "GET")
        return reply(req, 200, {{"nodes", node_names(r->possible_owners)}});
      if (m == "PUT") {
        if (!check_body(req, {{"nodes", true, nlohmann::json::value_t::array}}))
          return;
        auto ids = node_ids(req, req.body["nodes"]);
        if (!ids)
          return;
        return set_possible_owners(req, *r, std::move(*ids));
      }
    }
    if (action == "properties") {
      if (m == "GET") {
        return reply(req, 200,
                     {{"properties", common_properties_view(object_kind::resource,
                                                            schema::resource_path(r->id))}});
      }
      if (m == "PUT") {
        return put_common_properties(req, object_kind::resource, schema::resource_path(r->id),
                                     r->name, r->id);
      }
    }
    if (action == "private") {
      if (m == "GET")
        return reply(req, 200, {{"properties", private_properties_view(*r)}});
      if (m == "PUT")
        return put_private_properties(req, *r);
    }
    static const std::set<std::string> known{"rename",  "online",       "offline", "fail",
                                             "move",    "dependencies", "owners",  "properties",
                                             "private", "control"};
    if (known.contains(action))
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  if (p.size() == 4 && m == "DELETE") {
    if (action == "dependencies")
      return remove_dependency(req, *r, p[3]);
    if (action == "owners") {
      const auto* n = index_.node_by_name(p[3]);
      if (n == nullptr) {
        return error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
                     "node '" + p[3] + "' is not a member of cluster '" + cluster_name() + "'");
      }
      // An empty list means every node: removing one leaves the others.
      auto current = r->possible_owners;
      if (current.empty()) {
        for (const auto* node : index_.nodes())
          current.push_back(node->id);
      }
      auto it = std::find(current.begin(), current.end(), n->id);
      if (it == current.end()) {
        return error(
            req, ERROR_NOT_FOUND,
            "node '" + n->name + "' is not in the possible owners of resource '" + r->name + "'");
      }
      current.erase(it);
      if (current.empty()) {
        return error(req, ERROR_INVALID_PARAMETER,
                     "node '" + n->name + "' is the last possible owner of resource '" + r->name +
                         "'; a resource needs at least one");
      }
      return set_possible_owners(req, *r, std::move(current));
    }
  }
  error(req, ERROR_NOT_FOUND, "no such API path: " + where);
}

}  // namespace wolfpack::cluster
