/*
 * The network part of clusapi_c_test: a cluster of three nodes on loopback (one network, one
 * interface per node), one of them stopped. Networks and interfaces are enumerated, opened,
 * read, renamed, ordered and controlled; the stopped node's interface is Unavailable; after
 * the node is evicted its interface is gone.
 */
#include <string.h>

#include "clusapi_check.h"

DEFINE_COUNT_IN_ENUM(count_in_cluster, HCLUSENUM, ClusterGetEnumCount, ClusterEnum)

/* The name of the first entry of `type` in a cluster enumeration. */
static DWORD first_of(HCLUSENUM e, DWORD type, WCHAR* name, DWORD capacity) {
  DWORD i, t, cch, count = ClusterGetEnumCount(e);
  for (i = 0; i < count; ++i) {
    cch = capacity;
    if (ClusterEnum(e, i, &t, name, &cch) == ERROR_SUCCESS && t == type)
      return ERROR_SUCCESS;
  }
  return ERROR_NOT_FOUND;
}

static int starts_with(const WCHAR* text, const WCHAR* prefix) {
  return wcsncmp(text, prefix, wcslen(prefix)) == 0;
}

/* "NODE - ": how an interface's name starts. */
static void interface_prefix(const WCHAR* node, WCHAR* out, size_t capacity) {
  swprintf(out, capacity, L"%ls - ", node);
}

int check_networks(const WCHAR* address, const WCHAR* stopped, const WCHAR* active) {
  HCLUSTER cluster;
  HCLUSENUM e;
  HNETWORK network;
  HNETWORKENUM ne;
  HNETINTERFACE down_if, up_if;
  HNODE up;
  HNODEENUM node_enum;
  HKEY key;
  HCHANGE port;
  WCHAR name[256], id[64], iface[256], other[256], prefix[128], text[256];
  DWORD cch, size, type = 0, returned = 0;

  cluster = OpenCluster(address);
  REQUIRE(cluster != NULL);

  /* Every node is on 127.0.0.0/8: one network, three interfaces; it carries internal
     traffic, so CLUSTER_ENUM_INTERNAL_NETWORK lists it too. */
  e = ClusterOpenEnum(
      cluster, CLUSTER_ENUM_NETWORK | CLUSTER_ENUM_NETINTERFACE | CLUSTER_ENUM_INTERNAL_NETWORK);
  REQUIRE(e != NULL);
  CHECK_EQ(ClusterGetEnumCount(e), 5);
  REQUIRE(first_of(e, CLUSTER_ENUM_NETWORK, name, 256) == ERROR_SUCCESS);
  CHECK_WSTR(name, L"Cluster Network 1");
  CHECK_EQ(count_in_cluster(e, CLUSTER_ENUM_INTERNAL_NETWORK, name), 1);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_SUCCESS);

  network = OpenClusterNetwork(cluster, L"cluster network 1"); /* names ignore case */
  REQUIRE(network != NULL);
  CHECK_EQ(GetClusterNetworkState(network), ClusterNetworkUp);
  cch = 4;
  CHECK_EQ(GetClusterNetworkId(network, id, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, 36); /* a GUID */
  cch = 64;
  CHECK_EQ(GetClusterNetworkId(network, id, &cch), ERROR_SUCCESS);
  SetLastError(0);
  CHECK(OpenClusterNetwork(cluster, L"No Such Network") == NULL);
  CHECK_EQ(GetLastError(), ERROR_CLUSTER_NETWORK_NOT_FOUND);

  ne = ClusterNetworkOpenEnum(network, CLUSTER_NETWORK_ENUM_NETINTERFACES);
  REQUIRE(ne != NULL);
  CHECK_EQ(ClusterNetworkGetEnumCount(ne), 3);
  cch = 256;
  CHECK_EQ(ClusterNetworkEnum(ne, 0, &type, other, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_NETWORK_ENUM_NETINTERFACES);
  cch = 256;
  CHECK_EQ(ClusterNetworkEnum(ne, 3, &type, other, &cch), ERROR_NO_MORE_ITEMS);
  CHECK_EQ(ClusterNetworkCloseEnum(ne), ERROR_SUCCESS);
  SetLastError(0);
  CHECK(ClusterNetworkOpenEnum(network, 0) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

  /* The stopped node's interface, found by node and network. */
  cch = 256;
  CHECK_EQ(GetClusterNetInterface(cluster, stopped, name, iface, &cch), ERROR_SUCCESS);
  interface_prefix(stopped, prefix, 128);
  CHECK(starts_with(iface, prefix));
  cch = 2;
  CHECK_EQ(GetClusterNetInterface(cluster, stopped, name, other, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(iface));
  cch = 256;
  CHECK_EQ(GetClusterNetInterface(cluster, L"nobody", name, other, &cch),
           ERROR_CLUSTER_NODE_NOT_FOUND);
  CHECK_EQ(GetClusterNetInterface(cluster, stopped, L"nowhere", other, &cch),
           ERROR_CLUSTER_NETWORK_NOT_FOUND);
  CHECK_EQ(GetClusterNetInterface(cluster, stopped, name, other, NULL), ERROR_INVALID_PARAMETER);
  down_if = OpenClusterNetInterface(cluster, iface);
  REQUIRE(down_if != NULL);
  CHECK_EQ(GetClusterNetInterfaceState(down_if), ClusterNetInterfaceUnavailable);
  cch = 256;
  CHECK_EQ(GetClusterNetInterface(cluster, active, name, other, &cch), ERROR_SUCCESS);
  up_if = OpenClusterNetInterface(cluster, other);
  REQUIRE(up_if != NULL);
  CHECK_EQ(GetClusterNetInterfaceState(up_if), ClusterNetInterfaceUp);

  /* An interface's node and network through its controls; the network's name. */
  CHECK_EQ(ClusterNetInterfaceControl(up_if, NULL, CLUSCTL_NETINTERFACE_GET_NODE, NULL, 0, text,
                                      sizeof text, &returned),
           ERROR_SUCCESS);
  CHECK_WSTR(text, active);
  CHECK_EQ(ClusterNetInterfaceControl(up_if, NULL, CLUSCTL_NETINTERFACE_GET_NETWORK, NULL, 0, text,
                                      sizeof text, &returned),
           ERROR_SUCCESS);
  CHECK_WSTR(text, name);
  CHECK_EQ(ClusterNetworkControl(network, NULL, CLUSCTL_NETWORK_GET_NAME, NULL, 0, text,
                                 sizeof text, &returned),
           ERROR_SUCCESS);
  CHECK_WSTR(text, name);
  /* A code of another object is no network code. */
  CHECK_EQ(ClusterNetworkControl(network, NULL, CLUSCTL_NETINTERFACE_GET_NODE, NULL, 0, text,
                                 sizeof text, &returned),
           ERROR_INVALID_FUNCTION);

  /* The network's key: Networks\<id>, with the subnet it was found on. */
  key = GetClusterNetworkKey(network, KEY_READ);
  REQUIRE(key != NULL);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(key, L"Address", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_EQ(type, REG_SZ);
  CHECK_WSTR(text, L"127.0.0.0");
  CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);
  key = GetClusterNetInterfaceKey(up_if, KEY_READ);
  REQUIRE(key != NULL);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(key, L"Network", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, id); /* the hive records the network's id */
  CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);

  /* The node's interfaces. */
  up = OpenClusterNode(cluster, active);
  REQUIRE(up != NULL);
  node_enum = ClusterNodeOpenEnum(up, CLUSTER_NODE_ENUM_NETINTERFACES);
  REQUIRE(node_enum != NULL);
  CHECK_EQ(ClusterNodeGetEnumCount(node_enum), 1);
  cch = 256;
  CHECK_EQ(ClusterNodeEnum(node_enum, 0, &type, text, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_NODE_ENUM_NETINTERFACES);
  CHECK_WSTR(text, other);
  CHECK_EQ(ClusterNodeCloseEnum(node_enum), ERROR_SUCCESS);
  CHECK(CloseClusterNode(up));

  /* Rename: the handle follows, a port hears it; a name in use is refused. */
  port = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster,
                                 CLUSTER_CHANGE_NETWORK_PROPERTY, 11);
  REQUIRE(port != NULL);
  CHECK_EQ(RegisterClusterNotify(port, CLUSTER_CHANGE_NETINTERFACE_STATE, up_if, 12),
           ERROR_SUCCESS);
  CHECK_EQ(SetClusterNetworkName(network, L"Private"), ERROR_SUCCESS);
  CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_NETWORK_PROPERTY, L"Private", 10000), 11);
  CHECK(CloseClusterNotifyPort(port));
  CHECK_EQ(GetClusterNetworkState(network), ClusterNetworkUp);
  CHECK_EQ(ClusterNetworkControl(network, NULL, CLUSCTL_NETWORK_GET_NAME, NULL, 0, text,
                                 sizeof text, &returned),
           ERROR_SUCCESS);
  CHECK_WSTR(text, L"Private");
  CHECK_EQ(SetClusterNetworkName(network, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterNetworkName(network, name), ERROR_SUCCESS);

  /* The priority order lists every internal network, each once. */
  CHECK_EQ(SetClusterNetworkPriorityOrder(cluster, 1, &network), ERROR_SUCCESS);
  CHECK_EQ(SetClusterNetworkPriorityOrder(cluster, 0, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterNetworkPriorityOrder(cluster, 1, (HNETWORK*)&up_if), ERROR_INVALID_HANDLE);

  /* Handles of the wrong kind, and closed ones. */
  SetLastError(0);
  CHECK_EQ(GetClusterNetworkState((HNETWORK)up_if), ClusterNetworkStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(GetClusterNetInterfaceState((HNETINTERFACE)network), ClusterNetInterfaceStateUnknown);
  CHECK(CloseClusterNetInterface(down_if));
  CHECK(CloseClusterNetInterface(up_if));
  CHECK(!CloseClusterNetInterface(up_if));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK(CloseClusterNetwork(network));
  CHECK(!CloseClusterNetwork(network));
  CHECK(CloseCluster(cluster));
  return 0;
}

int check_networks_after_evict(const WCHAR* address, const WCHAR* evicted, const WCHAR* active) {
  HCLUSTER cluster;
  HNETWORK network;
  HNETWORKENUM ne;
  WCHAR name[256];
  DWORD cch = 256;

  cluster = OpenCluster(address);
  REQUIRE(cluster != NULL);
  network = OpenClusterNetwork(cluster, L"Cluster Network 1");
  REQUIRE(network != NULL);
  /* The evicted node's interface went with it. */
  ne = ClusterNetworkOpenEnum(network, CLUSTER_NETWORK_ENUM_NETINTERFACES);
  REQUIRE(ne != NULL);
  CHECK_EQ(ClusterNetworkGetEnumCount(ne), 2);
  CHECK_EQ(ClusterNetworkCloseEnum(ne), ERROR_SUCCESS);
  CHECK_EQ(GetClusterNetInterface(cluster, evicted, L"Cluster Network 1", name, &cch),
           ERROR_CLUSTER_NODE_NOT_FOUND);
  cch = 256;
  CHECK_EQ(GetClusterNetInterface(cluster, active, L"Cluster Network 1", name, &cch),
           ERROR_SUCCESS);
  CHECK(CloseClusterNetwork(network));
  CHECK(CloseCluster(cluster));
  return 0;
}
