/*
 * A cluster-aware application written against clusapi.h, compiled as C99: it drives a
 * running cluster through libclusapi. clusapi_test.cpp starts the nodes and runs this
 * program, either against a single node with
 *   argv[1] the node's API address (HOST:PORT), argv[2] a cluster name registered in
 *   $WOLFPACK_HOME/clusters/, argv[3] the node's name, argv[4] the cluster's name,
 * and WOLFPACK_CLUSTER set to the address; or, for the quorum witness, against two nodes with
 *   argv[1] "--quorum", argv[2] and argv[3] the two nodes' API addresses, argv[4] the
 *   SharePath of the File Share Witness "Witness" the test created (beside "Address", an IP
 *   Address, which cannot arbitrate).
 * It prints every failed check and exits with 1 when there was one. The objects it creates
 * are deleted, and the quorum configuration restored, before it ends.
 */
#include <clusapi.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "clusapi_check.h"

int g_checks = 0;
int g_failures = 0;

void widen(const char* text, WCHAR* out, size_t capacity) {
  size_t i = 0;
  for (; text[i] != '\0' && i + 1 < capacity; ++i)
    out[i] = (WCHAR)(unsigned char)text[i];
  out[i] = L'\0';
}

/* Polls the resource until it reaches `wanted` or `timeout_ms` passes. */
static CLUSTER_RESOURCE_STATE wait_resource(HRESOURCE resource, CLUSTER_RESOURCE_STATE wanted,
                                            DWORD timeout_ms) {
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  CLUSTER_RESOURCE_STATE state;
  for (;;) {
    state = GetClusterResourceState(resource, NULL, NULL, NULL, NULL);
    if (state == wanted || GetTickCount64() >= deadline)
      return state;
    Sleep(50);
  }
}

static CLUSTER_GROUP_STATE wait_group(HGROUP group, CLUSTER_GROUP_STATE wanted, DWORD timeout_ms) {
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  CLUSTER_GROUP_STATE state;
  for (;;) {
    state = GetClusterGroupState(group, NULL, NULL);
    if (state == wanted || GetTickCount64() >= deadline)
      return state;
    Sleep(50);
  }
}

DEFINE_COUNT_IN_ENUM(count_in_enum, HCLUSENUM, ClusterGetEnumCount, ClusterEnum)

static int check_cluster(HCLUSTER cluster, const WCHAR* cluster_name, const WCHAR* node_name) {
  WCHAR buffer[128];
  DWORD cch;
  DWORD length = (DWORD)wcslen(cluster_name);
  CLUSTERVERSIONINFO info;
  HCLUSENUM e;
  DWORD type = 0;

  /* GetClusterInformation: the name with the buffer convention, and the version. */
  memset(&info, 0, sizeof info);
  info.dwVersionInfoSize = sizeof info;
  cch = 128;
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, &info), ERROR_SUCCESS);
  CHECK_WSTR(buffer, cluster_name);
  CHECK_EQ(cch, length);
  CHECK_WSTR(info.szVendorId, L"Wolfpack");
  CHECK_EQ(info.dwClusterHighestVersion,
           CLUSTER_MAKE_VERSION(info.MajorVersion, info.MinorVersion));
  cch = 0;
  CHECK_EQ(GetClusterInformation(cluster, NULL, &cch, NULL), ERROR_MORE_DATA);
  CHECK_EQ(cch, length);
  cch = length; /* no room for the terminator */
  wmemset(buffer, L'#', 128);
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, NULL), ERROR_MORE_DATA);
  CHECK_EQ(cch, length);
  CHECK_EQ(wcslen(buffer), length - 1); /* truncated, terminated */
  cch = length + 1;
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, NULL), ERROR_SUCCESS);
  CHECK_EQ(cch, length);
  CHECK_WSTR(buffer, cluster_name);
  info.dwVersionInfoSize = 4; /* smaller than any version of the structure */
  cch = 128;
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, &info), ERROR_INVALID_PARAMETER);
  CHECK_EQ(GetClusterInformation(cluster, buffer, NULL, NULL), ERROR_INVALID_PARAMETER);

  /* The nodes: exactly this one. */
  e = ClusterOpenEnum(cluster, CLUSTER_ENUM_NODE);
  REQUIRE(e != NULL);
  CHECK_EQ(ClusterGetEnumCount(e), 1);
  cch = 128;
  CHECK_EQ(ClusterEnum(e, 0, &type, buffer, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_ENUM_NODE);
  CHECK_WSTR(buffer, node_name);
  CHECK_EQ(cch, wcslen(node_name));
  cch = 2;
  CHECK_EQ(ClusterEnum(e, 0, &type, buffer, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(node_name));
  cch = 0;
  CHECK_EQ(ClusterEnum(e, 0, &type, NULL, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(node_name));
  cch = 128;
  CHECK_EQ(ClusterEnum(e, 1, &type, buffer, &cch), ERROR_NO_MORE_ITEMS);
  CHECK_EQ(ClusterEnum(e, 0, &type, buffer, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_SUCCESS);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_INVALID_HANDLE); /* closed */
  cch = 128;
  CHECK_EQ(ClusterEnum(e, 0, &type, buffer, &cch), ERROR_INVALID_HANDLE);

  /* The resource types include the Dummy. */
  e = ClusterOpenEnum(cluster, CLUSTER_ENUM_RESTYPE);
  REQUIRE(e != NULL);
  CHECK_EQ(count_in_enum(e, CLUSTER_ENUM_RESTYPE, L"Dummy"), 1);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_SUCCESS);

  /* Bits that are no CLUSTER_ENUM_* value. */
  SetLastError(0);
  CHECK(ClusterOpenEnum(cluster, 0x100) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  return 0;
}

static int check_node(HCLUSTER cluster, const WCHAR* node_name) {
  WCHAR buffer[64];
  DWORD cch = 64;
  HNODE node = OpenClusterNode(cluster, node_name);
  REQUIRE(node != NULL);
  CHECK_EQ(GetClusterNodeState(node), ClusterNodeUp);
  CHECK_EQ(GetClusterNodeId(node, buffer, &cch), ERROR_SUCCESS);
  CHECK(cch > 0);
  CHECK_EQ(cch, wcslen(buffer));
  cch = 0;
  CHECK_EQ(GetClusterNodeId(node, NULL, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(buffer));
  /* NULL: the node this program runs on, which is the node $WOLFPACK_CLUSTER names here. */
  {
    WCHAR local[64];
    DWORD local_cch = 64;
    CHECK_EQ(GetCurrentClusterNodeId(local, &local_cch), ERROR_SUCCESS);
    CHECK_WSTR(local, buffer);
    CHECK_EQ(GetClusterNodeId(NULL, local, NULL), ERROR_INVALID_PARAMETER);
  }
  /* The cluster the node was opened through: a handle of its own, which answers. */
  {
    HCLUSTER from = GetClusterFromNode(node);
    HNODE again;
    REQUIRE(from != NULL);
    again = OpenClusterNode(from, node_name);
    CHECK(again != NULL);
    CHECK(again == NULL || CloseClusterNode(again));
    CHECK(CloseCluster(from));
  }
  CHECK(CloseClusterNode(node));

  SetLastError(0);
  CHECK(OpenClusterNode(cluster, L"no such node") == NULL);
  CHECK_EQ(GetLastError(), ERROR_CLUSTER_NODE_NOT_FOUND);
  /* A closed node handle. */
  SetLastError(0);
  CHECK_EQ(GetClusterNodeState(node), ClusterNodeStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK(!CloseClusterNode(node));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  return 0;
}

/* Create a group and two Dummy resources, dependencies, online, offline, delete. */
static int check_group_and_resources(HCLUSTER cluster, const WCHAR* node_name) {
  const WCHAR* group_name = L"clusapi group";
  WCHAR node[64], group_buf[64];
  DWORD cch_node, cch_group, type, status;
  CLUSTER_GROUP_STATE before;
  HGROUP group, again;
  HRESOURCE first, second;
  HNODE host;
  HGROUPENUM ge;
  HCLUSENUM e;

  group = CreateClusterGroup(cluster, group_name);
  REQUIRE(group != NULL);
  SetLastError(0);
  CHECK(CreateClusterGroup(cluster, group_name) == NULL); /* exists */
  CHECK(GetLastError() != ERROR_SUCCESS);

  /* The group's state and owner, with the buffer convention. */
  cch_node = 64;
  CHECK_EQ(GetClusterGroupState(group, node, &cch_node), ClusterGroupOffline);
  CHECK_WSTR(node, node_name);
  CHECK_EQ(cch_node, wcslen(node_name));
  cch_node = 2;
  SetLastError(0);
  CHECK_EQ(GetClusterGroupState(group, node, &cch_node), ClusterGroupStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
  CHECK_EQ(cch_node, wcslen(node_name));
  CHECK_EQ(GetClusterGroupState(group, NULL, NULL), ClusterGroupOffline);
  SetLastError(0);
  CHECK_EQ(GetClusterGroupState(group, node, NULL), ClusterGroupStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

  /* Another handle to the same group, by a name in another case. */
  again = OpenClusterGroup(cluster, L"CLUSAPI GROUP");
  REQUIRE(again != NULL);
  CHECK(CloseClusterGroup(again));

  first = CreateClusterResource(group, L"clusapi first", L"Dummy", 0);
  REQUIRE(first != NULL);
  second = CreateClusterResource(group, L"clusapi second", L"Dummy", 0);
  REQUIRE(second != NULL);
  SetLastError(0);
  CHECK(CreateClusterResource(group, L"clusapi bad", L"Dummy", 0x10) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(CreateClusterResource(group, L"clusapi bad", L"No Such Type", 0) == NULL);
  CHECK(GetLastError() != ERROR_SUCCESS);

  /* The resource's state, owner node and group. */
  cch_node = 64;
  cch_group = 64;
  CHECK_EQ(GetClusterResourceState(first, node, &cch_node, group_buf, &cch_group),
           ClusterResourceOffline);
  CHECK_WSTR(node, node_name);
  CHECK_WSTR(group_buf, group_name);
  CHECK_EQ(cch_group, wcslen(group_name));
  cch_node = 64;
  cch_group = 3;
  SetLastError(0);
  CHECK_EQ(GetClusterResourceState(first, node, &cch_node, group_buf, &cch_group),
           ClusterResourceStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
  CHECK_EQ(cch_group, wcslen(group_name));
  CHECK_EQ(cch_node, wcslen(node_name));

  /* Dependencies: second depends on first. */
  CHECK_EQ(AddClusterResourceDependency(second, first), ERROR_SUCCESS);
  CHECK_EQ(AddClusterResourceDependency(second, first), ERROR_DEPENDENCY_ALREADY_EXISTS);
  CHECK_EQ(RemoveClusterResourceDependency(second, first), ERROR_SUCCESS);
  CHECK_EQ(RemoveClusterResourceDependency(second, first), ERROR_DEPENDENCY_NOT_FOUND);
  CHECK_EQ(AddClusterResourceDependency(second, first), ERROR_SUCCESS);
  CHECK_EQ(AddClusterResourceDependency(second, (HRESOURCE)group), ERROR_INVALID_HANDLE);

  /* Neither end of a dependency may be the quorum witness (Dummy could arbitrate). */
  CHECK_EQ(SetClusterQuorumResource(first, NULL, CLUS_HYBRID_QUORUM), ERROR_DEPENDENCY_NOT_ALLOWED);
  CHECK_EQ(SetClusterQuorumResource(second, NULL, CLUS_HYBRID_QUORUM),
           ERROR_DEPENDENCY_NOT_ALLOWED);

  /* The dependency seen from both ends, and the possible owners (all nodes by default). */
  {
    WCHAR name[64];
    DWORD cch = 64;
    HRESENUM re = ClusterResourceOpenEnum(second, CLUSTER_RESOURCE_ENUM_DEPENDS);
    REQUIRE(re != NULL);
    CHECK_EQ(ClusterResourceGetEnumCount(re), 1);
    CHECK_EQ(ClusterResourceEnum(re, 0, &type, name, &cch), ERROR_SUCCESS);
    CHECK_EQ(type, CLUSTER_RESOURCE_ENUM_DEPENDS);
    CHECK_WSTR(name, L"clusapi first");
    cch = 64;
    CHECK_EQ(ClusterResourceEnum(re, 1, &type, name, &cch), ERROR_NO_MORE_ITEMS);
    CHECK_EQ(ClusterResourceCloseEnum(re), ERROR_SUCCESS);
    CHECK_EQ(ClusterResourceCloseEnum(re), ERROR_INVALID_HANDLE);

    re = ClusterResourceOpenEnum(first, CLUSTER_RESOURCE_ENUM_ALL);
    REQUIRE(re != NULL);
    CHECK_EQ(ClusterResourceGetEnumCount(re), 2); /* provides "second"; node1 may own it */
    cch = 64;
    CHECK_EQ(ClusterResourceEnum(re, 0, &type, name, &cch), ERROR_SUCCESS);
    CHECK_EQ(type, CLUSTER_RESOURCE_ENUM_PROVIDES);
    CHECK_WSTR(name, L"clusapi second");
    cch = 64;
    CHECK_EQ(ClusterResourceEnum(re, 1, &type, name, &cch), ERROR_SUCCESS);
    CHECK_EQ(type, CLUSTER_RESOURCE_ENUM_NODES);
    CHECK_WSTR(name, node_name);
    CHECK_EQ(ClusterResourceCloseEnum(re), ERROR_SUCCESS);
    SetLastError(0);
    CHECK(ClusterResourceOpenEnum(first, 8) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(ClusterResourceOpenEnum((HRESOURCE)group, CLUSTER_RESOURCE_ENUM_DEPENDS) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  }

  /* What the group contains, and the cluster-wide view. */
  ge = ClusterGroupOpenEnum(group, CLUSTER_GROUP_ENUM_CONTAINS);
  REQUIRE(ge != NULL);
  CHECK_EQ(ClusterGroupGetEnumCount(ge), 2);
  {
    WCHAR name[64];
    DWORD cch = 64;
    CHECK_EQ(ClusterGroupEnum(ge, 0, &type, name, &cch), ERROR_SUCCESS);
    CHECK_EQ(type, CLUSTER_GROUP_ENUM_CONTAINS);
    CHECK(wcscmp(name, L"clusapi first") == 0 || wcscmp(name, L"clusapi second") == 0);
    cch = 64;
    CHECK_EQ(ClusterGroupEnum(ge, 2, &type, name, &cch), ERROR_NO_MORE_ITEMS);
    cch = 64;
    CHECK_EQ(ClusterGroupEnum(ge, 1, &type, name, &cch), ERROR_SUCCESS);
    CHECK_EQ(cch, wcslen(name));
    cch = 1;
    CHECK_EQ(ClusterGroupEnum(ge, 1, &type, name, &cch), ERROR_MORE_DATA);
    CHECK(cch == wcslen(L"clusapi first") || cch == wcslen(L"clusapi second"));
    CHECK_EQ(name[0], L'\0'); /* a 1-character buffer holds just the terminator */
  }
  CHECK_EQ(ClusterGroupCloseEnum(ge), ERROR_SUCCESS);
  CHECK_EQ(ClusterGroupCloseEnum(ge), ERROR_INVALID_HANDLE);
  ge = ClusterGroupOpenEnum(group, CLUSTER_GROUP_ENUM_NODES);
  REQUIRE(ge != NULL);
  CHECK_EQ(ClusterGroupCloseEnum(ge), ERROR_SUCCESS);
  SetLastError(0);
  CHECK(ClusterGroupOpenEnum(group, 4) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

  e = ClusterOpenEnum(cluster, CLUSTER_ENUM_RESOURCE | CLUSTER_ENUM_GROUP);
  REQUIRE(e != NULL);
  CHECK_EQ(count_in_enum(e, CLUSTER_ENUM_GROUP, group_name), 1);
  CHECK_EQ(count_in_enum(e, CLUSTER_ENUM_RESOURCE, L"clusapi first"), 1);
  CHECK_EQ(count_in_enum(e, CLUSTER_ENUM_RESOURCE, L"clusapi second"), 1);
  CHECK_EQ(count_in_enum(e, CLUSTER_ENUM_RESOURCE, group_name), 0);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_SUCCESS);

  /* Online: the provider comes online with its dependent. */
  status = OnlineClusterResource(second);
  CHECK(status == ERROR_IO_PENDING || status == ERROR_SUCCESS);
  CHECK_EQ(wait_resource(second, ClusterResourceOnline, 20000), ClusterResourceOnline);
  CHECK_EQ(wait_resource(first, ClusterResourceOnline, 20000), ClusterResourceOnline);
  CHECK_EQ(OnlineClusterResource(second), ERROR_SUCCESS); /* already online */
  CHECK_EQ(wait_group(group, ClusterGroupOnline, 20000), ClusterGroupOnline);

  /* What an online resource and a non-empty group refuse. */
  CHECK_EQ(DeleteClusterResource(first), ERROR_RESOURCE_ONLINE);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_DIR_NOT_EMPTY);

  /* One node: nowhere to move to. */
  CHECK_EQ(MoveClusterGroup(group, NULL), ERROR_HOST_NODE_NOT_AVAILABLE);
  host = OpenClusterNode(cluster, node_name);
  REQUIRE(host != NULL);
  /* To the node that owns it: done at once, and the group stays as it was. */
  before = GetClusterGroupState(group, NULL, NULL);
  CHECK_EQ(MoveClusterGroup(group, host), ERROR_SUCCESS);
  cch_node = 64;
  CHECK_EQ(GetClusterGroupState(group, node, &cch_node), before);
  CHECK_WSTR(node, node_name);
  CHECK_EQ(MoveClusterGroup(group, (HNODE)group), ERROR_INVALID_HANDLE);

  /* Offline of the provider takes the dependent offline too. */
  status = OfflineClusterResource(first);
  CHECK(status == ERROR_IO_PENDING || status == ERROR_SUCCESS);
  CHECK_EQ(wait_resource(first, ClusterResourceOffline, 20000), ClusterResourceOffline);
  CHECK_EQ(wait_resource(second, ClusterResourceOffline, 20000), ClusterResourceOffline);
  CHECK_EQ(FailClusterResource(first), ERROR_INVALID_STATE); /* not online */

  /* The group as a whole, on a named node. */
  status = OnlineClusterGroup(group, host);
  CHECK(status == ERROR_IO_PENDING || status == ERROR_SUCCESS);
  CHECK_EQ(wait_group(group, ClusterGroupOnline, 20000), ClusterGroupOnline);
  status = OfflineClusterGroup(group);
  CHECK(status == ERROR_IO_PENDING || status == ERROR_SUCCESS);
  CHECK_EQ(wait_group(group, ClusterGroupOffline, 20000), ClusterGroupOffline);
  CHECK_EQ(OfflineClusterGroup(group), ERROR_SUCCESS); /* already offline */
  CHECK(CloseClusterNode(host));

  /* Delete: the dependent first, then the provider, then the empty group. */
  CHECK_EQ(DeleteClusterResource(first), ERROR_DEPENDENT_RESOURCE_EXISTS);
  CHECK_EQ(DeleteClusterResource(second), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(first), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);

  /* The handles outlive their objects: every use now says the object is gone. */
  SetLastError(0);
  CHECK_EQ(GetClusterResourceState(first, NULL, NULL, NULL, NULL), ClusterResourceStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_RESOURCE_NOT_FOUND);
  SetLastError(0);
  CHECK_EQ(GetClusterGroupState(group, NULL, NULL), ClusterGroupStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_GROUP_NOT_FOUND);
  SetLastError(0);
  CHECK(OpenClusterGroup(cluster, group_name) == NULL);
  CHECK_EQ(GetLastError(), ERROR_GROUP_NOT_FOUND);
  SetLastError(0);
  CHECK(OpenClusterResource(cluster, L"clusapi first") == NULL);
  CHECK_EQ(GetLastError(), ERROR_RESOURCE_NOT_FOUND);

  CHECK(CloseClusterResource(first));
  CHECK(CloseClusterResource(second));
  CHECK(CloseClusterGroup(group));
  /* Closed handles, and handles of the wrong kind. */
  CHECK(!CloseClusterGroup(group));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(OnlineClusterResource(first), ERROR_INVALID_HANDLE);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_INVALID_HANDLE);
  return 0;
}

/* The quorum resource `cluster` reports: its name into `name` (64 characters), its type. */
static DWORD quorum_of(HCLUSTER cluster, WCHAR* name, DWORD* type) {
  WCHAR device[256];
  DWORD cch_name = 64, cch_device = 256;
  return GetClusterQuorumResource(cluster, name, &cch_name, device, &cch_device, type);
}

/* Polls `cluster` until its quorum resource is `wanted` (L"" for none) or `timeout_ms`
   passes; whether it got there. */
static int wait_quorum(HCLUSTER cluster, const WCHAR* wanted, DWORD timeout_ms) {
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  for (;;) {
    WCHAR name[64];
    DWORD type = 0;
    if (quorum_of(cluster, name, &type) == ERROR_SUCCESS && wcscmp(name, wanted) == 0)
      return 1;
    if (GetTickCount64() >= deadline)
      return 0;
    Sleep(50);
  }
}

/* A single node has no witness: GetClusterQuorumResource reports node majority with empty
   names, and SetClusterQuorumResource refuses what it cannot do without changing it. */
static int check_node_majority(HCLUSTER cluster) {
  WCHAR name[64], device[64];
  DWORD cch_name = 64, cch_device = 64, type = 12345;
  HGROUP group;
  HRESOURCE dummy;

  wmemset(name, L'#', 64);
  wmemset(device, L'#', 64);
  CHECK_EQ(GetClusterQuorumResource(cluster, name, &cch_name, device, &cch_device, &type),
           ERROR_SUCCESS);
  CHECK_EQ(type, CLUS_NODE_MAJORITY_QUORUM);
  CHECK_WSTR(name, L"");
  CHECK_EQ(cch_name, 0);
  CHECK_WSTR(device, L"");
  CHECK_EQ(cch_device, 0);
  /* NULL buffers hold not even the terminator: a size query. */
  cch_name = 0;
  cch_device = 0;
  CHECK_EQ(GetClusterQuorumResource(cluster, NULL, &cch_name, NULL, &cch_device, &type),
           ERROR_MORE_DATA);
  CHECK_EQ(cch_name, 0);
  CHECK_EQ(cch_device, 0);
  cch_name = 64;
  cch_device = 64;
  CHECK_EQ(GetClusterQuorumResource(cluster, name, NULL, device, &cch_device, &type),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(GetClusterQuorumResource(cluster, name, &cch_name, device, NULL, &type),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(GetClusterQuorumResource(cluster, name, &cch_name, device, &cch_device, NULL),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(GetClusterQuorumResource((HCLUSTER)&type, name, &cch_name, device, &cch_device, &type),
           ERROR_INVALID_HANDLE);

  group = CreateClusterGroup(cluster, L"clusapi quorum");
  REQUIRE(group != NULL);
  dummy = CreateClusterResource(group, L"clusapi quorum dummy", L"Dummy", 0);
  REQUIRE(dummy != NULL);
  CHECK_EQ(SetClusterQuorumResource(dummy, NULL, CLUS_LEGACY_QUORUM), ERROR_NOT_SUPPORTED);
  CHECK_EQ(SetClusterQuorumResource(dummy, NULL, 7), ERROR_INVALID_PARAMETER);
  /* Node majority asked for, node majority it is. */
  CHECK_EQ(SetClusterQuorumResource(dummy, NULL, CLUS_NODE_MAJORITY_QUORUM), ERROR_SUCCESS);
  CHECK_EQ(SetClusterQuorumResource((HRESOURCE)group, NULL, CLUS_HYBRID_QUORUM),
           ERROR_INVALID_HANDLE);
  CHECK_EQ(quorum_of(cluster, name, &type), ERROR_SUCCESS);
  CHECK_WSTR(name, L"");
  CHECK_EQ(type, CLUS_NODE_MAJORITY_QUORUM);

  CHECK_EQ(DeleteClusterResource(dummy), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterResource(dummy));
  CHECK(CloseClusterGroup(group));
  return 0;
}

/* Two nodes: a File Share Witness made the quorum resource through one node, read back
   through both, refused as node majority's "existing quorum resource" when it is not, and
   removed again. */
static int check_witness(const WCHAR* first_address, const WCHAR* second_address,
                         const WCHAR* share) {
  WCHAR name[64], device[256];
  DWORD cch_name, cch_device, type;
  const DWORD share_length = (DWORD)wcslen(share);
  HCLUSTER one, two;
  HRESOURCE witness, address;
  HCHANGE port;

#ifndef _WIN32
  /* These nodes have a secret: without its key ($WOLFPACK_API_KEY, from the test) they refuse
     the client, which is access denied, not an absent server. */
  {
    char key[128];
    const char* given = getenv("WOLFPACK_API_KEY");
    REQUIRE(given != NULL && strlen(given) < sizeof key);
    strcpy(key, given);
    unsetenv("WOLFPACK_API_KEY");
    SetLastError(0);
    CHECK(OpenCluster(first_address) == NULL);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    setenv("WOLFPACK_API_KEY", key, 1);
  }
#endif

  one = OpenCluster(first_address);
  REQUIRE(one != NULL);
  two = OpenCluster(second_address);
  REQUIRE(two != NULL);
  /* The notify port's event stream carries the key too. */
  port =
      CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, one, CLUSTER_CHANGE_RESOURCE_STATE, 7);
  CHECK(port != NULL);
  witness = OpenClusterResource(one, L"Witness");
  REQUIRE(witness != NULL);
  address = OpenClusterResource(one, L"Address");
  REQUIRE(address != NULL);

  CHECK_EQ(quorum_of(one, name, &type), ERROR_SUCCESS);
  CHECK_WSTR(name, L"");
  CHECK_EQ(type, CLUS_NODE_MAJORITY_QUORUM);

  CHECK_EQ(SetClusterQuorumResource(address, NULL, CLUS_HYBRID_QUORUM), ERROR_NOT_QUORUM_CAPABLE);
  CHECK_EQ(SetClusterQuorumResource(witness, NULL, CLUS_LEGACY_QUORUM), ERROR_NOT_SUPPORTED);
  CHECK_EQ(SetClusterQuorumResource(witness, NULL, CLUS_HYBRID_QUORUM), ERROR_SUCCESS);

  /* Node and file share majority: the witness, and its share as the device. */
  cch_name = 64;
  cch_device = 256;
  type = 0;
  CHECK_EQ(GetClusterQuorumResource(one, name, &cch_name, device, &cch_device, &type),
           ERROR_SUCCESS);
  CHECK_WSTR(name, L"Witness");
  CHECK_EQ(cch_name, 7);
  CHECK_WSTR(device, share);
  CHECK_EQ(cch_device, share_length);
  CHECK_EQ(type, CLUS_HYBRID_QUORUM);
  /* A short buffer: ERROR_MORE_DATA, both lengths reported, the name cut and terminated. */
  cch_name = 3;
  cch_device = 256;
  CHECK_EQ(GetClusterQuorumResource(one, name, &cch_name, device, &cch_device, &type),
           ERROR_MORE_DATA);
  CHECK_EQ(cch_name, 7);
  CHECK_WSTR(name, L"Wi");
  CHECK_EQ(cch_device, share_length);
  cch_name = 64;
  cch_device = 1;
  CHECK_EQ(GetClusterQuorumResource(one, name, &cch_name, device, &cch_device, &type),
           ERROR_MORE_DATA);
  CHECK_WSTR(name, L"Witness");
  CHECK_EQ(cch_device, share_length);
  CHECK_EQ(device[0], L'\0');

  /* The other node says the same: the change was a global update. */
  CHECK(wait_quorum(two, L"Witness", 10000));
  /* The witness is guarded while it is one. */
  CHECK_EQ(DeleteClusterResource(witness), ERROR_INVALID_OPERATION_ON_QUORUM);

  /* Back to node majority: only through the quorum resource itself. */
  CHECK_EQ(SetClusterQuorumResource(address, NULL, CLUS_NODE_MAJORITY_QUORUM),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(quorum_of(one, name, &type), ERROR_SUCCESS);
  CHECK_WSTR(name, L"Witness");
  CHECK_EQ(SetClusterQuorumResource(witness, L"Q:\\ignored", CLUS_NODE_MAJORITY_QUORUM),
           ERROR_SUCCESS);
  CHECK(wait_quorum(two, L"", 10000));
  CHECK_EQ(quorum_of(two, name, &type), ERROR_SUCCESS);
  CHECK_EQ(type, CLUS_NODE_MAJORITY_QUORUM);
  CHECK_EQ(SetClusterQuorumResource(witness, NULL, CLUS_NODE_MAJORITY_QUORUM), ERROR_SUCCESS);

  CHECK(CloseClusterResource(address));
  CHECK(CloseClusterResource(witness));
  if (port != NULL)
    CHECK(CloseClusterNotifyPort(port));
  CHECK(CloseCluster(two));
  CHECK(CloseCluster(one));
  return 0;
}

static int check_bad_handles(HCLUSTER cluster) {
  WCHAR buffer[16];
  DWORD cch = 16;
  SetLastError(0);
  CHECK(OpenClusterGroup(NULL, L"x") == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  SetLastError(0);
  CHECK(OpenClusterGroup((HCLUSTER)&cch, L"x") == NULL); /* never a handle */
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  SetLastError(0);
  CHECK(OpenClusterGroup(cluster, NULL) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(OpenClusterResource(cluster, L"no such resource") == NULL);
  CHECK_EQ(GetLastError(), ERROR_RESOURCE_NOT_FOUND);
  SetLastError(0);
  CHECK(OpenClusterGroup(cluster, L"") == NULL);
  CHECK_EQ(GetLastError(), ERROR_GROUP_NOT_FOUND);
  SetLastError(0);
  CHECK_EQ(GetClusterResourceState((HRESOURCE)cluster, NULL, NULL, NULL, NULL),
           ClusterResourceStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(ClusterEnum(NULL, 0, NULL, buffer, &cch), ERROR_INVALID_HANDLE);
  CHECK_EQ(ClusterEnum((HCLUSENUM)cluster, 0, NULL, buffer, &cch), ERROR_INVALID_HANDLE);
  CHECK_EQ(GetClusterInformation((HCLUSTER)&cch, buffer, &cch, NULL), ERROR_INVALID_HANDLE);
  CHECK(!CloseCluster(NULL));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  /* A closed handle stays dead while others are opened after it (they may take the memory
     its object had). */
  {
    HCLUSTER closed = OpenCluster(NULL), opened[8];
    int i;
    REQUIRE(closed != NULL);
    CHECK(CloseCluster(closed));
    for (i = 0; i < 8; ++i) {
      opened[i] = OpenCluster(NULL);
      CHECK(opened[i] != NULL && opened[i] != closed);
    }
    SetLastError(0);
    cch = 16;
    CHECK_EQ(GetClusterInformation(closed, buffer, &cch, NULL), ERROR_INVALID_HANDLE);
    CHECK(!CloseCluster(closed));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    for (i = 0; i < 8; ++i)
      CHECK(CloseCluster(opened[i]));
  }
  return 0;
}

/* SetClusterName: the new name at once (no core Network Name to restart), refused names
   change nothing, and the old name comes back. */
static int check_rename(HCLUSTER cluster, const WCHAR* cluster_name) {
  WCHAR buffer[64];
  DWORD cch = 64;
  CHECK_EQ(SetClusterName(cluster, L"clusapi-renamed"), ERROR_SUCCESS);
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, NULL), ERROR_SUCCESS);
  CHECK_WSTR(buffer, L"clusapi-renamed");
  CHECK_EQ(SetClusterName(cluster, L"bad/name"), ERROR_INVALID_NAME);
  CHECK_EQ(SetClusterName(cluster, L""), ERROR_INVALID_NAME);
  CHECK_EQ(SetClusterName(cluster, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterName(NULL, L"x"), ERROR_INVALID_HANDLE);
  cch = 64;
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, NULL), ERROR_SUCCESS);
  CHECK_WSTR(buffer, L"clusapi-renamed");
  CHECK_EQ(SetClusterName(cluster, cluster_name), ERROR_SUCCESS);
  cch = 64;
  CHECK_EQ(GetClusterInformation(cluster, buffer, &cch, NULL), ERROR_SUCCESS);
  CHECK_WSTR(buffer, cluster_name);
  return 0;
}

static int check_open(const WCHAR* address, const WCHAR* registered, const WCHAR* cluster_name) {
  HCLUSTER by_address, by_name, ex;
  HGROUP group;
  DWORD granted = 0;
  WCHAR buffer[64];
  DWORD cch = 64;

  by_address = OpenCluster(address);
  REQUIRE(by_address != NULL);
  by_name = OpenCluster(registered);
  REQUIRE(by_name != NULL);
  CHECK_EQ(GetClusterInformation(by_name, buffer, &cch, NULL), ERROR_SUCCESS);
  CHECK_WSTR(buffer, cluster_name);
  ex = OpenClusterEx(address, CLUSAPI_READ_ACCESS, &granted);
  REQUIRE(ex != NULL);
  CHECK_EQ(granted, CLUSAPI_READ_ACCESS);
  CHECK(CloseCluster(ex));
  ex = OpenClusterEx(NULL, MAXIMUM_ALLOWED, &granted);
  REQUIRE(ex != NULL);
  CHECK_EQ(granted, CLUSAPI_ALL_ACCESS);
  CHECK(CloseCluster(ex));

  /* Handles opened through a cluster handle outlive it. */
  group = CreateClusterGroup(by_address, L"clusapi outliving");
  REQUIRE(group != NULL);
  CHECK(CloseCluster(by_address));
  CHECK(!CloseCluster(by_address));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(GetClusterGroupState(group, NULL, NULL), ClusterGroupOffline);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterGroup(group));
  CHECK(CloseCluster(by_name));

  /* Nothing listens there / no such registered cluster. */
  SetLastError(0);
  CHECK(OpenCluster(L"127.0.0.1:1") == NULL);
  CHECK_EQ(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
  SetLastError(0);
  CHECK(OpenCluster(L"no-such-cluster") == NULL);
  CHECK_EQ(GetLastError(), RPC_S_SERVER_UNAVAILABLE);
  SetLastError(0);
  CHECK(OpenClusterEx(address, 0x100, &granted) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  return 0;
}

/* The single-node run: argv[1] address, argv[2] registered name, argv[3] node, argv[4] cluster. */
static int check_single_node(char** argv) {
  WCHAR address[128], registered[128], node_name[128], cluster_name[128];
  HCLUSTER cluster;
  int failed = 0;
  widen(argv[1], address, 128);
  widen(argv[2], registered, 128);
  widen(argv[3], node_name, 128);
  widen(argv[4], cluster_name, 128);

  cluster = OpenCluster(NULL); /* $WOLFPACK_CLUSTER */
  REQUIRE(cluster != NULL);
  failed |= check_cluster(cluster, cluster_name, node_name);
  failed |= check_node(cluster, node_name);
  failed |= check_node_majority(cluster);
  failed |= check_group_and_resources(cluster, node_name);
  failed |= check_node_admin(cluster, node_name);
  failed |= check_settings(cluster, node_name);
  failed |= check_resource_types(cluster, node_name);
  failed |= check_controls(cluster, node_name);
  failed |= check_registry(cluster, node_name);
  failed |= check_resutils(cluster);
  failed |= check_notify(cluster);
  failed |= check_bad_handles(cluster);
  failed |= check_rename(cluster, cluster_name);
  failed |= check_open(address, registered, cluster_name);
  CHECK(CloseCluster(cluster));
  return failed;
}

/* The runs on several nodes take three arguments after the mode: argv[2], argv[3], argv[4]. */
typedef int (*three_args_check)(const WCHAR*, const WCHAR*, const WCHAR*);

static int run_with_three(char** argv, three_args_check check) {
  WCHAR first[256], second[256], third[256];
  widen(argv[2], first, 256);
  widen(argv[3], second, 256);
  widen(argv[4], third, 256);
  return check(first, second, third);
}

int main(int argc, char** argv) {
  int failed;
  if (argc != 5) {
    fprintf(stderr,
            "usage: %s HOST:PORT REGISTERED-NAME NODE CLUSTER\n"
            "       %s --quorum HOST:PORT HOST:PORT SHARE-PATH\n"
            "       %s --evict HOST:PORT STOPPED-NODE UP-NODE\n",
            argv[0], argv[0], argv[0]);
    return 2;
  }
  if (strcmp(argv[1], "--quorum") == 0) /* two nodes' addresses, the witness's share */
    failed = run_with_three(argv, check_witness);
  else if (strcmp(argv[1], "--evict") == 0) /* an address, a stopped node, one that is up */
    failed = run_with_three(argv, check_networks) || run_with_three(argv, check_move) ||
             run_with_three(argv, check_evict) || run_with_three(argv, check_networks_after_evict);
  else
    failed = check_single_node(argv);
  printf("clusapi_c_test: %d checks, %d failed%s\n", g_checks, g_failures,
         failed ? " (stopped early)" : "");
  return (g_failures == 0 && !failed) ? 0 : 1;
}
