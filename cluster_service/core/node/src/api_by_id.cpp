// Addressing objects by id (`?by=id`, docs/api.md): translated to the object's current name
// before routing, so that every route keeps looking objects up one way.
#include <optional>

#include "api_handler.hpp"
#include "network_table.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

std::optional<in_api_request> api_handler::named(const in_api_request& req) const {
  const auto by = req.query.find("by");
  if (by == req.query.end() || by->second != "id" || req.path.size() < 2)
    return req;
  in_api_request copy = req;
  copy.query.erase("by");
  const auto& collection = req.path[0];
  const auto& id = req.path[1];
  std::optional<std::string> name;
  if (collection == "nodes") {
    if (const auto* n = index_.node_by_id(id))
      name = n->name;
  } else if (collection == "groups") {
    if (const auto* g = index_.group_by_id(id))
      name = g->name;
  } else if (collection == "resources") {
    if (const auto* r = index_.resource_by_id(id))
      name = r->name;
  } else if (collection == "networks") {
    if (const auto n = network_table(db_.tree()).network_by_id(id))
      name = n->name;
  } else if (collection == "netinterfaces") {
    if (const auto i = network_table(db_.tree()).interface_by_id(id))
      name = i->name;
  } else {
    return copy;  // no objects addressed by id there: the path as given
  }
  if (!name)
    return std::nullopt;
  copy.path[1] = *name;
  return copy;
}

}  // namespace wolfpack::cluster

namespace wolfpack::cluster {

void api_handler::no_such_id(const in_api_request& req) {
  const auto& collection = req.path[0];
  const std::string what = "no " +
                           std::string(collection == "netinterfaces" ? "network interface"
                                       : collection == "networks"    ? "network"
                                       : collection == "nodes"       ? "node"
                                       : collection == "groups"      ? "group"
                                                                     : "resource") +
                           " has the id '" + req.path[1] + "' in cluster '" + cluster_name_ + "'";
  const std::uint32_t code = collection == "netinterfaces" ? ERROR_CLUSTER_NETINTERFACE_NOT_FOUND
                             : collection == "networks"    ? ERROR_CLUSTER_NETWORK_NOT_FOUND
                             : collection == "nodes"       ? ERROR_CLUSTER_NODE_NOT_FOUND
                             : collection == "groups"      ? ERROR_GROUP_NOT_FOUND
                                                           : ERROR_RESOURCE_NOT_FOUND;
  error(req, code, what);
}

}  // namespace wolfpack::cluster
