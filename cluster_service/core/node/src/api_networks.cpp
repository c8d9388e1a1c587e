// Networks and network interfaces (SPEC 5.1): listing, states, rename, properties with the
// rules about Role, and the priority order of internal networks.
#include <algorithm>
#include <set>

#include "api_handler.hpp"
#include "db_schema.hpp"
#include "network_table.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_db/folded_key.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

std::string role_name(std::uint32_t role) {
  switch (role) {
    case 0:
      return "None";
    case role_internal:
      return "InternalUse";
    case role_client:
      return "ClientAccess";
    case role_internal | role_client:
      return "InternalAndClient";
    default:
      return "Unknown";
  }
}

}  // namespace

netinterface_state api_handler::interface_state(const netinterface_entry& i) const {
  const auto* n = index_.node_by_id(i.node);
  if (n == nullptr)
    return netinterface_state::unavailable;
  // A node in the view hears every other member (a regroup keeps only nodes that all do).
  const auto s = hooks.node_state_of(*n);
  return s == node_state::up || s == node_state::paused ? netinterface_state::up
                                                        : netinterface_state::unavailable;
}

network_state api_handler::network_state_of(const network_entry& n) const {
  std::size_t available = 0;
  std::size_t up = 0;
  for (const auto& i : network_table(db_.tree()).interfaces()) {
    if (fold_case(i.network) != fold_case(n.id))
      continue;
    const auto s = interface_state(i);
    if (s != netinterface_state::unavailable)
      ++available;
    if (s == netinterface_state::up)
      ++up;
  }
  return network_state_from(available, up);
}

nlohmann::json api_handler::network_view(const network_entry& n) const {
  network_table table(db_.tree());
  nlohmann::json interfaces = nlohmann::json::array();
  for (const auto& i : table.interfaces()) {
    if (fold_case(i.network) == fold_case(n.id))
      interfaces.push_back(i.name);
  }
  const auto s = network_state_of(n);
  nlohmann::json v{
      {"name", n.name},          {"id", n.id},     {"state", std::string(to_string(s))},
      {"code", code(s)},         {"role", n.role}, {"role_name", role_name(n.role)},
      {"address", n.address},    {"mask", n.mask}, {"priority", n.priority},
      {"interfaces", interfaces}};
  if (!n.description.empty())
    v["description"] = n.description;
  return v;
}

nlohmann::json api_handler::netinterface_view(const netinterface_entry& i) const {
  network_table table(db_.tree());
  const auto* node = index_.node_by_id(i.node);
  const auto net = table.network_by_id(i.network);
  const auto s = interface_state(i);
  nlohmann::json v{{"name", i.name},
                   {"id", i.id},
                   {"state", std::string(to_string(s))},
                   {"code", code(s)},
                   {"node", node != nullptr ? node->name : i.node},
                   {"network", net ? net->name : i.network},
                   {"adapter", i.adapter},
                   {"address", i.address}};
  if (!i.description.empty())
    v["description"] = i.description;
  return v;
}

void api_handler::route_networks(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  network_table table(db_.tree());
  if (p.size() == 1) {
    if (m != "GET")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /networks");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& n : table.networks())
      list.push_back(network_view(n));
    return reply(req, 200, {{"networks", list}});
  }
  const auto n = table.network_by_name(p[1]);
  if (!n) {
    return error(req, ERROR_CLUSTER_NETWORK_NOT_FOUND,
                 "network '" + p[1] + "' does not exist in cluster '" + cluster_name() + "'");
  }
  const std::string where = "/networks/" + p[1] + (p.size() > 2 ? "/" + p[2] : "");
  if (p.size() == 2) {
    if (m == "GET")
      return reply(req, 200, network_view(*n));
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  if (p.size() == 3) {
    if (p[2] == "rename" && m == "POST")
      return rename_network(req, *n);
    if (p[2] == "interfaces" && m == "GET") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& i : table.interfaces()) {
        if (fold_case(i.network) == fold_case(n->id))
          list.push_back(netinterface_view(i));
      }
      return reply(req, 200, {{"netinterfaces", list}});
    }
    if (p[2] == "properties") {
      const auto path = schema::network_path(n->id);
      if (m == "GET")
        return reply(req, 200,
                     {{"properties", common_properties_view(object_kind::network, path)}});
      if (m == "PUT")
        return put_common_properties(req, object_kind::network, path, n->name, n->id);
    }
    if (p[2] == "rename" || p[2] == "interfaces" || p[2] == "properties")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  error(req, ERROR_NOT_FOUND, "no such API path: " + where);
}

void api_handler::route_netinterfaces(const request& req) {
  const auto& p = req.path;
  const auto& m = req.method;
  network_table table(db_.tree());
  if (p.size() == 1) {
    if (m != "GET")
      return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on /netinterfaces");
    // ?node=N&network=NET narrows the list (GetClusterNetInterface looks one up so).
    const node_entry* node = nullptr;
    std::optional<network_entry> net;
    for (const auto& [key, value] : req.query) {
      if (key == "node") {
        node = index_.node_by_name(value);
        if (node == nullptr) {
          return error(req, ERROR_CLUSTER_NODE_NOT_FOUND,
                       "node '" + value + "' is not a member of cluster '" + cluster_name() + "'");
        }
      } else if (key == "network") {
        net = table.network_by_name(value);
        if (!net) {
          return error(
              req, ERROR_CLUSTER_NETWORK_NOT_FOUND,
              "network '" + value + "' does not exist in cluster '" + cluster_name() + "'");
        }
      } else {
        return error(req, ERROR_INVALID_PARAMETER,
                     "unknown query parameter '" + key + "' (node and network narrow the list)");
      }
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& i : table.interfaces()) {
      if (node != nullptr && i.node != node->id)
        continue;
      if (net && fold_case(i.network) != fold_case(net->id))
        continue;
      list.push_back(netinterface_view(i));
    }
    return reply(req, 200, {{"netinterfaces", list}});
  }
  const auto i = table.interface_by_name(p[1]);
  if (!i) {
    return error(
        req, ERROR_CLUSTER_NETINTERFACE_NOT_FOUND,
        "network interface '" + p[1] + "' does not exist in cluster '" + cluster_name() + "'");
  }
  const std::string where = "/netinterfaces/" + p[1] + (p.size() > 2 ? "/" + p[2] : "");
  if (p.size() == 2) {
    if (m == "GET")
      return reply(req, 200, netinterface_view(*i));
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  if (p.size() == 3 && p[2] == "properties") {
    const auto path = schema::netinterface_path(i->id);
    if (m == "GET")
      return reply(req, 200,
                   {{"properties", common_properties_view(object_kind::netinterface, path)}});
    if (m == "PUT")
      return put_common_properties(req, object_kind::netinterface, path, i->name, i->id);
    return error(req, ERROR_INVALID_FUNCTION, m + " is not allowed on " + where);
  }
  error(req, ERROR_NOT_FOUND, "no such API path: " + where);
}

void api_handler::rename_network(const request& req, const network_entry& n) {
  if (!check_body(req, {{"name", true, nlohmann::json::value_t::string}}))
    return;
  const auto name = req.body["name"].get<std::string>();
  if (!check_new_name(req, name, "network"))
    return;
  network_table table(db_.tree());
  if (const auto other = table.network_by_name(name); other && other->id != n.id)
    return error(req, ERROR_CLUSTER_NETWORK_EXISTS, "network '" + name + "' already exists");
  auto event =
      object_event("NETWORK_PROPERTY", CLUSTER_CHANGE_NETWORK_PROPERTY, "network", name, n.id);
  event["previous_name"] = n.name;
  commit(req,
         {db_op::set_value(schema::network_path(n.id), std::string(schema::name),
                           typed_value::sz(name))},
         {event}, 200, [this, id = n.id] {
           const auto nn = network_table(db_.tree()).network_by_id(id);
           return nn ? network_view(*nn) : nlohmann::json();
         });
}

std::optional<std::pair<std::uint32_t, std::string>> api_handler::refuse_role(
    const std::string& network_id, std::uint32_t role) const {
  network_table table(db_.tree());
  const auto n = table.network_by_id(network_id);
  if (!n || n->role == role)
    return std::nullopt;
  if ((role & role_internal) == 0 && (n->role & role_internal) != 0) {
    const auto internal = table.internal_by_priority();
    if (internal.size() == 1) {
      return std::pair{ERROR_CLUSTER_LAST_INTERNAL_NETWORK,
                       "network property 'Role': network '" + n->name +
                           "' is the only network for internal cluster traffic; give another "
                           "network the internal role first"};
    }
  }
  if ((role & role_client) == 0) {
    // IP Address resources name their network in the private property Network.
    for (const auto* r : index_.resources()) {
      const auto* type = index_.type_by_name(r->type);
      if (type == nullptr || fold_case(type->id) != fold_case("IP Address"))
        continue;
      const auto net = db_.tree().get_sz(schema::parameters_path(r->id), "Network", "");
      if (fold_case(net) == fold_case(n->name)) {
        return std::pair{ERROR_CLUSTER_NETWORK_HAS_DEPENDENTS,
                         "network property 'Role': IP Address resource '" + r->name +
                             "' uses network '" + n->name +
                             "', which must keep the client access role"};
      }
    }
  }
  return std::nullopt;
}

nlohmann::json api_handler::network_priority_view() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& n : network_table(db_.tree()).internal_by_priority())
    list.push_back(n.name);
  return {{"networks", list}};
}

// SetClusterNetworkPriorityOrder: every internal network, each once, first to last.
void api_handler::set_network_priority(const request& req) {
  if (!check_body(req, {{"networks", true, nlohmann::json::value_t::array}}))
    return;
  network_table table(db_.tree());
  const auto internal = table.internal_by_priority();
  std::vector<network_entry> order;
  std::set<std::string> seen;
  for (const auto& name : req.body["networks"]) {
    if (!name.is_string())
      return error(req, ERROR_INVALID_PARAMETER, "field 'networks' must be an array of names");
    const auto n = table.network_by_name(name.get<std::string>());
    if (!n) {
      return error(req, ERROR_CLUSTER_NETWORK_NOT_FOUND,
                   "network '" + name.get<std::string>() + "' does not exist in cluster '" +
                       cluster_name() + "'");
    }
    if ((n->role & role_internal) == 0) {
      return error(req, ERROR_CLUSTER_NETWORK_NOT_INTERNAL,
                   "network '" + n->name + "' does not carry internal cluster traffic (Role " +
                       std::to_string(n->role) + ")");
    }
    if (!seen.insert(n->id).second) {
      return error(req, ERROR_INVALID_PARAMETER,
                   "field 'networks': network '" + n->name + "' is listed twice");
    }
    order.push_back(*n);
  }
  for (const auto& n : internal) {
    if (!seen.contains(n.id)) {
      return error(req, ERROR_INVALID_PARAMETER,
                   "field 'networks': internal network '" + n.name +
                       "' is missing (list every internal network)");
    }
  }
  std::vector<db_op> ops;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto priority = static_cast<std::uint32_t>(k + 1);
    if (order[k].priority != priority) {
      ops.push_back(db_op::set_value(schema::network_path(order[k].id),
                                     std::string(schema::priority), typed_value::dword(priority)));
    }
  }
  std::vector<nlohmann::json> events;
  if (!ops.empty()) {
    auto ev = object_event("CLUSTER_PROPERTY", CLUSTER_CHANGE_CLUSTER_PROPERTY, "cluster",
                           cluster_name(), "");
    ev["property"] = "NetworkPriority";
    events.push_back(std::move(ev));
  }
  commit(req, std::move(ops), std::move(events), 200, [this] { return network_priority_view(); });
}

}  // namespace wolfpack::cluster
