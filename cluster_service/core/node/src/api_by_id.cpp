// Addressing objects by id (`?by=id`, docs/api.md): translated to the object's current name
// before routing, so that every route keeps looking objects up one way.
#include <optional>

#include "api_handler.hpp"
#include "network_table.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::cluster {

namespace {

bool addressable(const std::string& collection) {
  return collection == "nodes" || collection == "groups" || collection == "resources" ||
         collection == "networks" || collection == "netinterfaces";
}

}  // namespace

api_handler::by_id api_handler::named(const in_api_request& req) const {
  by_id out;
  const auto by = req.query.find("by");
  if (by == req.query.end())
    return out;
  if (by->second != "id") {
    out.refusal = id_refusal{ERROR_INVALID_PARAMETER, "query parameter by='" + by->second +
                                                          "': the only addressing is by=id"};
    return out;
  }
  if (req.path.size() < 2 || !addressable(req.path[0])) {
    out.refusal =
        id_refusal{ERROR_INVALID_PARAMETER,
                   "query parameter by=id: only an object of /nodes, /groups, /resources, "
                   "/networks or /netinterfaces is addressed by id"};
    return out;
  }
  const auto& collection = req.path[0];
  const auto& id = req.path[1];
  std::optional<std::string> name;
  std::uint32_t missing = ERROR_RESOURCE_NOT_FOUND;
  std::string what = "resource";
  if (collection == "nodes") {
    if (const auto* n = index_.node_by_id(id))
      name = n->name;
    missing = ERROR_CLUSTER_NODE_NOT_FOUND;
    what = "node";
  } else if (collection == "groups") {
    if (const auto* g = index_.group_by_id(id))
      name = g->name;
    missing = ERROR_GROUP_NOT_FOUND;
    what = "group";
  } else if (collection == "resources") {
    if (const auto* r = index_.resource_by_id(id))
      name = r->name;
  } else if (collection == "networks") {
    if (const auto n = network_table(db_.tree()).network_by_id(id))
      name = n->name;
    missing = ERROR_CLUSTER_NETWORK_NOT_FOUND;
    what = "network";
  } else {
    if (const auto i = network_table(db_.tree()).interface_by_id(id))
      name = i->name;
    missing = ERROR_CLUSTER_NETINTERFACE_NOT_FOUND;
    what = "network interface";
  }
  if (!name) {
    out.refusal = id_refusal{
        missing, "no " + what + " has the id '" + id + "' in cluster '" + cluster_name() + "'"};
    return out;
  }
  out.request = req;
  out.request->query.erase("by");
  out.request->path[1] = *name;
  return out;
}

}  // namespace wolfpack::cluster
