// The quorum (clusapi.h): GetClusterQuorumResource and SetClusterQuorumResource over
// GET and PUT /cluster/quorum. Wolfpack has node majority and node and witness majority;
// MS-CMRP (ApiGetQuorumResource, protocol version 3) is the model for what a cluster without
// a quorum resource reports.
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/wide_string.hpp"

using namespace wolfpack::clusapi;

namespace {

// The quorum configuration as the Cluster API reports it.
struct quorum_config {
  std::string resource;  // UTF-8; "" under node majority
  std::wstring device;
  DWORD type = CLUS_NODE_MAJORITY_QUORUM;
};

// Where a witness keeps what it arbitrates with: a File Share Witness's SharePath. Other
// witnesses (a Physical Disk, a Dummy) have no path, and Wolfpack writes no quorum log to
// any of them: the cluster database is replicated to every node by global updates.
DWORD witness_device(connection& conn, const std::string& resource, std::wstring& device) {
  const auto answer = conn.request("GET", object_path("resources", resource) + "/private");
  if (!answer.ok())
    return answer.error;
  const auto properties = answer.body.find("properties");
  if (properties == answer.body.end() || !properties->is_object())
    return ERROR_INVALID_DATA;
  const auto share = properties->find("SharePath");
  device = share != properties->end() ? wide_field(*share, "value") : std::wstring();
  return ERROR_SUCCESS;
}

DWORD read_quorum(connection& conn, quorum_config& config) {
  const auto answer = conn.request("GET", "/cluster/quorum");
  if (!answer.ok())
    return answer.error;
  const auto& view = answer.body;
  const auto type = view.is_object() ? view.find("type") : view.end();
  if (type == view.end() || !type->is_string())
    return ERROR_INVALID_DATA;
  if (*type == "NodeMajority") {
    config = quorum_config{};
    return ERROR_SUCCESS;
  }
  const auto resource = view.find("resource");
  if (*type != "NodeAndWitnessMajority" || resource == view.end() || !resource->is_string())
    return ERROR_INVALID_DATA;
  config.resource = resource->get<std::string>();
  config.type = CLUS_HYBRID_QUORUM;
  return witness_device(conn, config.resource, config.device);
}

DWORD put_quorum(connection& conn, const std::string& resource) {
  const nlohmann::json body = {{"resource", resource}};
  return conn.request("PUT", "/cluster/quorum", &body).error;
}

}  // namespace

extern "C" {

DWORD WINAPI GetClusterQuorumResource(HCLUSTER hCluster, LPWSTR lpszResourceName,
                                      LPDWORD lpcchResourceName, LPWSTR lpszDeviceName,
                                      LPDWORD lpcchDeviceName, LPDWORD lpdwMaxQuorumLogSize) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (lpcchResourceName == nullptr || lpcchDeviceName == nullptr ||
        lpdwMaxQuorumLogSize == nullptr) {
      return ERROR_INVALID_PARAMETER;
    }
    quorum_config config;
    if (const DWORD error = read_quorum(*cluster->conn, config); error != ERROR_SUCCESS)
      return error;
    *lpdwMaxQuorumLogSize = config.type;
    // Both lengths are reported even when the first name did not fit.
    const DWORD name =
        copy_name(wolfpack::from_utf8(config.resource), lpszResourceName, lpcchResourceName);
    const DWORD device = copy_name(config.device, lpszDeviceName, lpcchDeviceName);
    return name != ERROR_SUCCESS ? name : device;
  });
}

DWORD WINAPI SetClusterQuorumResource(HRESOURCE hResource, LPCWSTR lpszDeviceName,
                                      DWORD dwMaxQuoLogSize) {
  // The device name chooses where a quorum log goes on the new quorum resource; Wolfpack
  // keeps none, so any path (or NULL) is accepted and unused.
  (void)lpszDeviceName;
  return guarded([&]() -> DWORD {
    const auto resource = find<object_handle>(hResource, handle_kind::resource);
    if (!resource)
      return ERROR_INVALID_HANDLE;
    std::string name;
    if (const DWORD error = current_name(*resource, name); error != ERROR_SUCCESS)
      return error;
    switch (dwMaxQuoLogSize) {
      case CLUS_HYBRID_QUORUM:
        return put_quorum(*resource->conn, name);
      case CLUS_NODE_MAJORITY_QUORUM: {
        // hResource must be the current quorum resource. The API has no compare-and-set, so
        // a witness changed by another client between the GET and the PUT is removed all
        // the same; the window is one round trip.
        quorum_config config;
        if (const DWORD error = read_quorum(*resource->conn, config); error != ERROR_SUCCESS)
          return error;
        if (config.resource.empty())
          return ERROR_SUCCESS;  // already node majority: nothing to change
        if (!wolfpack::cluster_cli::same_name(config.resource, name))
          return ERROR_INVALID_PARAMETER;
        return put_quorum(*resource->conn, "");
      }
      case CLUS_LEGACY_QUORUM:
        // "No Majority: Disk Only": the disk alone decides and node votes do not count.
        // The quorum manager always counts node votes; a witness only adds one.
        return ERROR_NOT_SUPPORTED;
      default:
        return ERROR_INVALID_PARAMETER;
    }
  });
}

}  // extern "C"
