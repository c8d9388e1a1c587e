// Networks and network interfaces (clusapi.h): opening, states, ids, the interfaces of a
// network and the priority of internal networks (their controls: clusapi_controls.cpp).
#include <string>

#include "connection.hpp"
#include "handles.hpp"
#include "objects.hpp"
#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/http/percent_encoding.hpp"

using namespace wolfpack::clusapi;

extern "C" {

HNETWORK WINAPI OpenClusterNetwork(HCLUSTER hCluster, LPCWSTR lpszNetworkName) {
  return static_cast<HNETWORK>(returning_handle([&](DWORD& error) {
    return open_object(hCluster, lpszNetworkName, handle_kind::network, error);
  }));
}

BOOL WINAPI CloseClusterNetwork(HNETWORK hNetwork) {
  return close_object(hNetwork, handle_kind::network);
}

CLUSTER_NETWORK_STATE WINAPI GetClusterNetworkState(HNETWORK hNetwork) {
  return static_cast<CLUSTER_NETWORK_STATE>(
      object_state(hNetwork, handle_kind::network, ClusterNetworkStateUnknown));
}

DWORD WINAPI GetClusterNetworkId(HNETWORK hNetwork, LPWSTR lpszNetworkId, LPDWORD lpcchName) {
  return copy_object_id(hNetwork, handle_kind::network, lpszNetworkId, lpcchName);
}

HNETWORKENUM WINAPI ClusterNetworkOpenEnum(HNETWORK hNetwork, DWORD dwType) {
  return static_cast<HNETWORKENUM>(
      open_enum(hNetwork, handle_kind::network, dwType, CLUSTER_NETWORK_ENUM_ALL,
                handle_kind::network_enum, [&](const object_handle& network, enum_handle& e) {
                  return append_listed(*network.conn, e, CLUSTER_NETWORK_ENUM_NETINTERFACES,
                                       object_route(network, "/interfaces"), "netinterfaces");
                }));
}

DWORD WINAPI ClusterNetworkGetEnumCount(HNETWORKENUM hNetworkEnum) {
  return enum_count(hNetworkEnum, handle_kind::network_enum);
}

DWORD WINAPI ClusterNetworkEnum(HNETWORKENUM hNetworkEnum, DWORD dwIndex, LPDWORD lpdwType,
                                LPWSTR lpszName, LPDWORD lpcchName) {
  return enum_entry(hNetworkEnum, handle_kind::network_enum, dwIndex, lpdwType, lpszName,
                    lpcchName);
}

DWORD WINAPI ClusterNetworkCloseEnum(HNETWORKENUM hNetworkEnum) {
  return enum_close(hNetworkEnum, handle_kind::network_enum);
}

DWORD WINAPI SetClusterNetworkPriorityOrder(HCLUSTER hCluster, DWORD NetworkCount,
                                            HNETWORK NetworkList[]) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (NetworkCount > 0 && NetworkList == nullptr)
      return ERROR_INVALID_PARAMETER;
    nlohmann::json names = nlohmann::json::array();
    for (DWORD i = 0; i < NetworkCount; ++i) {
      const auto network = find<object_handle>(NetworkList[i], handle_kind::network);
      if (!network)
        return ERROR_INVALID_HANDLE;
      std::string name;
      if (const DWORD error = current_name(*network, name); error != ERROR_SUCCESS)
        return error;
      names.push_back(name);
    }
    const nlohmann::json body = {{"networks", names}};
    return cluster->conn->request("PUT", "/cluster/networkpriority", &body).error;
  });
}

HNETINTERFACE WINAPI OpenClusterNetInterface(HCLUSTER hCluster, LPCWSTR lpszInterfaceName) {
  return static_cast<HNETINTERFACE>(returning_handle([&](DWORD& error) {
    return open_object(hCluster, lpszInterfaceName, handle_kind::netinterface, error);
  }));
}

BOOL WINAPI CloseClusterNetInterface(HNETINTERFACE hNetInterface) {
  return close_object(hNetInterface, handle_kind::netinterface);
}

DWORD WINAPI GetClusterNetInterface(HCLUSTER hCluster, LPCWSTR lpszNodeName,
                                    LPCWSTR lpszNetworkName, LPWSTR lpszInterfaceName,
                                    LPDWORD lpcchInterfaceName) {
  return guarded([&]() -> DWORD {
    const auto cluster = find<cluster_handle>(hCluster, handle_kind::cluster);
    if (!cluster)
      return ERROR_INVALID_HANDLE;
    if (lpszNodeName == nullptr || lpszNetworkName == nullptr || lpcchInterfaceName == nullptr)
      return ERROR_INVALID_PARAMETER;
    const std::string path =
        "/netinterfaces?node=" + wolfpack::http::encode_segment(utf8(lpszNodeName)) +
        "&network=" + wolfpack::http::encode_segment(utf8(lpszNetworkName));
    const auto answer = cluster->conn->request("GET", path);
    if (!answer.ok())
      return answer.error;
    const auto list = answer.body.find("netinterfaces");
    if (list == answer.body.end() || !list->is_array())
      return ERROR_INVALID_DATA;
    if (list->empty())
      return ERROR_CLUSTER_NETINTERFACE_NOT_FOUND;  // the node has none on that network
    return copy_name(wide_field(list->front(), "name"), lpszInterfaceName, lpcchInterfaceName);
  });
}

CLUSTER_NETINTERFACE_STATE WINAPI GetClusterNetInterfaceState(HNETINTERFACE hNetInterface) {
  return static_cast<CLUSTER_NETINTERFACE_STATE>(
      object_state(hNetInterface, handle_kind::netinterface, ClusterNetInterfaceStateUnknown));
}

}  // extern "C"
