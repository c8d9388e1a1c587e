/*
 * The administration part of clusapi_c_test: pausing, resuming and evicting a node and
 * enumerating what it owns; renaming groups and resources; preferred and possible owners;
 * moving resources between groups; registering and removing resource types.
 */
#include <clusapi.h>
#include <resapi.h>
#include <windows.h>

#include <string.h>
#include <wchar.h>

#include "clusapi_check.h"

DEFINE_COUNT_IN_ENUM(count_in_node_enum, HNODEENUM, ClusterNodeGetEnumCount, ClusterNodeEnum)
DEFINE_COUNT_IN_ENUM(count_in_type_enum, HRESTYPEENUM, ClusterResourceTypeGetEnumCount,
                     ClusterResourceTypeEnum)

/* The group a resource is in, into `group` (64 characters). */
static DWORD group_of(HRESOURCE resource, WCHAR* group) {
  DWORD cch = 64;
  CLUSTER_RESOURCE_STATE state = GetClusterResourceState(resource, NULL, NULL, group, &cch);
  return state == ClusterResourceStateUnknown ? GetLastError() : ERROR_SUCCESS;
}

int check_node_admin(HCLUSTER cluster, const WCHAR* node_name) {
  WCHAR name[64];
  DWORD cch, type;
  HNODE node;
  HGROUP group;
  HNODEENUM e;

  node = OpenClusterNode(cluster, node_name);
  REQUIRE(node != NULL);
  group = CreateClusterGroup(cluster, L"clusapi node groups");
  REQUIRE(group != NULL);

  /* The groups the node owns include the new one; it has no network interfaces (none are
     modelled), so asking for both gives just the groups. */
  e = ClusterNodeOpenEnum(node, CLUSTER_NODE_ENUM_ALL);
  REQUIRE(e != NULL);
  CHECK_EQ(count_in_node_enum(e, CLUSTER_NODE_ENUM_GROUPS, L"clusapi node groups"), 1);
  cch = 64;
  CHECK_EQ(ClusterNodeEnum(e, 0, &type, name, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_NODE_ENUM_GROUPS);
  CHECK_EQ(cch, wcslen(name));
  cch = 1;
  CHECK_EQ(ClusterNodeEnum(e, 0, &type, name, &cch), ERROR_MORE_DATA);
  CHECK_EQ(name[0], L'\0');
  cch = 0;
  CHECK_EQ(ClusterNodeEnum(e, 0, &type, NULL, &cch), ERROR_MORE_DATA);
  CHECK(cch > 0);
  cch = 64;
  CHECK_EQ(ClusterNodeEnum(e, ClusterNodeGetEnumCount(e), &type, name, &cch), ERROR_NO_MORE_ITEMS);
  CHECK_EQ(ClusterNodeEnum(e, 0, &type, name, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(ClusterNodeCloseEnum(e), ERROR_SUCCESS);
  CHECK_EQ(ClusterNodeCloseEnum(e), ERROR_INVALID_HANDLE);
  SetLastError(0);
  CHECK_EQ(ClusterNodeGetEnumCount(e), 0);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  e = ClusterNodeOpenEnum(node, CLUSTER_NODE_ENUM_NETINTERFACES);
  REQUIRE(e != NULL);
  CHECK_EQ(ClusterNodeGetEnumCount(e), 0);
  CHECK_EQ(ClusterNodeCloseEnum(e), ERROR_SUCCESS);
  SetLastError(0);
  CHECK(ClusterNodeOpenEnum(node, 4) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(ClusterNodeOpenEnum((HNODE)group, CLUSTER_NODE_ENUM_GROUPS) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK_EQ(ClusterNodeEnum((HNODEENUM)node, 0, &type, name, &cch), ERROR_INVALID_HANDLE);

  /* Pause and resume: the state follows, and both are idempotent. */
  CHECK_EQ(PauseClusterNode(node), ERROR_SUCCESS);
  CHECK_EQ(GetClusterNodeState(node), ClusterNodePaused);
  CHECK_EQ(PauseClusterNode(node), ERROR_SUCCESS);
  CHECK_EQ(ResumeClusterNode(node), ERROR_SUCCESS);
  CHECK_EQ(GetClusterNodeState(node), ClusterNodeUp);
  CHECK_EQ(ResumeClusterNode(node), ERROR_SUCCESS);
  CHECK_EQ(PauseClusterNode(NULL), ERROR_INVALID_HANDLE);
  CHECK_EQ(ResumeClusterNode((HNODE)group), ERROR_INVALID_HANDLE);

  /* A node that is up cannot be evicted; it stays a member. */
  CHECK_EQ(EvictClusterNode(node), ERROR_CANT_EVICT_ACTIVE_NODE);
  CHECK_EQ(GetClusterNodeState(node), ClusterNodeUp);
  CHECK_EQ(EvictClusterNode((HNODE)cluster), ERROR_INVALID_HANDLE);

  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterGroup(group));
  CHECK(CloseClusterNode(node));
  CHECK_EQ(PauseClusterNode(node), ERROR_INVALID_HANDLE); /* closed */
  return 0;
}

int check_settings(HCLUSTER cluster, const WCHAR* node_name) {
  WCHAR name[64];
  DWORD cch, type;
  HGROUP group, other;
  HRESOURCE first, second;
  HNODE node, nodes[2];
  HGROUPENUM ge;
  HRESENUM re;

  node = OpenClusterNode(cluster, node_name);
  REQUIRE(node != NULL);
  group = CreateClusterGroup(cluster, L"clusapi names");
  REQUIRE(group != NULL);
  other = CreateClusterGroup(cluster, L"clusapi other");
  REQUIRE(other != NULL);
  first = CreateClusterResource(group, L"clusapi named", L"Dummy", 0);
  REQUIRE(first != NULL);
  second = CreateClusterResource(group, L"clusapi dependent", L"Dummy", 0);
  REQUIRE(second != NULL);

  /* Renames: the handle follows its object; the old name is gone. */
  CHECK_EQ(SetClusterGroupName(group, L"clusapi renamed"), ERROR_SUCCESS);
  CHECK_EQ(GetClusterGroupState(group, NULL, NULL), ClusterGroupOffline);
  CHECK_EQ(group_of(first, name), ERROR_SUCCESS);
  CHECK_WSTR(name, L"clusapi renamed");
  SetLastError(0);
  CHECK(OpenClusterGroup(cluster, L"clusapi names") == NULL);
  CHECK_EQ(GetLastError(), ERROR_GROUP_NOT_FOUND);
  CHECK_EQ(SetClusterGroupName(group, L"clusapi other"), ERROR_OBJECT_ALREADY_EXISTS);
  CHECK_EQ(SetClusterGroupName(group, L""), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterGroupName(group, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterGroupName((HGROUP)first, L"x"), ERROR_INVALID_HANDLE);
  CHECK_EQ(SetClusterResourceName(first, L"clusapi provider"), ERROR_SUCCESS);
  CHECK_EQ(GetClusterResourceState(first, NULL, NULL, NULL, NULL), ClusterResourceOffline);
  SetLastError(0);
  CHECK(OpenClusterResource(cluster, L"clusapi named") == NULL);
  CHECK_EQ(GetLastError(), ERROR_RESOURCE_NOT_FOUND);
  CHECK_EQ(SetClusterResourceName(first, L"clusapi dependent"), ERROR_OBJECT_ALREADY_EXISTS);
  CHECK_EQ(SetClusterResourceName(first, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterResourceName((HRESOURCE)group, L"x"), ERROR_INVALID_HANDLE);

  /* Another client's rename (through a handle of its own) does not orphan these handles: they
   * address the object by id, as on Windows. */
  {
    HGROUP again = OpenClusterGroup(cluster, L"clusapi renamed");
    HRESOURCE first_again = OpenClusterResource(cluster, L"clusapi provider");
    WCHAR shown[64];
    DWORD returned = 0;
    REQUIRE(again != NULL);
    REQUIRE(first_again != NULL);
    CHECK_EQ(SetClusterGroupName(again, L"clusapi renamed twice"), ERROR_SUCCESS);
    CHECK_EQ(SetClusterResourceName(first_again, L"clusapi provider 2"), ERROR_SUCCESS);
    CHECK(CloseClusterGroup(again));
    CHECK(CloseClusterResource(first_again));
    CHECK_EQ(GetClusterGroupState(group, NULL, NULL), ClusterGroupOffline);
    CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_NAME, NULL, 0, shown, sizeof shown,
                                 &returned),
             ERROR_SUCCESS);
    CHECK_WSTR(shown, L"clusapi renamed twice");
    CHECK_EQ(ClusterResourceControl(first, NULL, CLUSCTL_RESOURCE_GET_NAME, NULL, 0, shown,
                                    sizeof shown, &returned),
             ERROR_SUCCESS);
    CHECK_WSTR(shown, L"clusapi provider 2");
    CHECK_EQ(group_of(second, name), ERROR_SUCCESS);
    CHECK_WSTR(name, L"clusapi renamed twice");
    /* Calls that name the renamed object to the service use its name now. */
    CHECK_EQ(AddClusterResourceDependency(second, first), ERROR_SUCCESS);
    CHECK_EQ(RemoveClusterResourceDependency(second, first), ERROR_SUCCESS);
    CHECK_EQ(SetClusterGroupName(group, L"clusapi renamed"), ERROR_SUCCESS);
    CHECK_EQ(SetClusterResourceName(first, L"clusapi provider"), ERROR_SUCCESS);
  }

  /* Preferred owners: set, read back through the group enumeration, cleared. */
  CHECK_EQ(SetClusterGroupNodeList(group, 1, &node), ERROR_SUCCESS);
  ge = ClusterGroupOpenEnum(group, CLUSTER_GROUP_ENUM_NODES);
  REQUIRE(ge != NULL);
  CHECK_EQ(ClusterGroupGetEnumCount(ge), 1);
  cch = 64;
  CHECK_EQ(ClusterGroupEnum(ge, 0, &type, name, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_GROUP_ENUM_NODES);
  CHECK_WSTR(name, node_name);
  CHECK_EQ(ClusterGroupCloseEnum(ge), ERROR_SUCCESS);
  nodes[0] = node;
  nodes[1] = node;
  CHECK_EQ(SetClusterGroupNodeList(group, 2, nodes), ERROR_INVALID_PARAMETER); /* twice */
  nodes[1] = (HNODE)group;
  CHECK_EQ(SetClusterGroupNodeList(group, 2, nodes), ERROR_INVALID_HANDLE);
  CHECK_EQ(SetClusterGroupNodeList(group, 1, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(SetClusterGroupNodeList((HGROUP)node, 1, &node), ERROR_INVALID_HANDLE);
  CHECK_EQ(SetClusterGroupNodeList(group, 0, NULL), ERROR_SUCCESS);
  ge = ClusterGroupOpenEnum(group, CLUSTER_GROUP_ENUM_NODES);
  REQUIRE(ge != NULL);
  CHECK_EQ(ClusterGroupGetEnumCount(ge), 0);
  CHECK_EQ(ClusterGroupCloseEnum(ge), ERROR_SUCCESS);

  /* Possible owners: every node from the start, so the only node cannot be taken away and
     is one already. */
  CHECK_EQ(RemoveClusterResourceNode(first, node), ERROR_INVALID_PARAMETER);
  CHECK_EQ(AddClusterResourceNode(first, node), ERROR_OBJECT_ALREADY_EXISTS);
  re = ClusterResourceOpenEnum(first, CLUSTER_RESOURCE_ENUM_NODES);
  REQUIRE(re != NULL);
  CHECK_EQ(ClusterResourceGetEnumCount(re), 1);
  cch = 64;
  CHECK_EQ(ClusterResourceEnum(re, 0, &type, name, &cch), ERROR_SUCCESS);
  CHECK_WSTR(name, node_name);
  CHECK_EQ(ClusterResourceCloseEnum(re), ERROR_SUCCESS);
  CHECK_EQ(RemoveClusterResourceNode(first, node), ERROR_INVALID_PARAMETER); /* the last */
  CHECK_EQ(AddClusterResourceNode(first, (HNODE)group), ERROR_INVALID_HANDLE);
  CHECK_EQ(RemoveClusterResourceNode((HRESOURCE)node, node), ERROR_INVALID_HANDLE);

  /* Changing the group moves the resources connected by dependencies along. */
  CHECK_EQ(AddClusterResourceDependency(second, first), ERROR_SUCCESS);
  CHECK_EQ(ChangeClusterResourceGroup(first, other), ERROR_SUCCESS);
  CHECK_EQ(group_of(first, name), ERROR_SUCCESS);
  CHECK_WSTR(name, L"clusapi other");
  CHECK_EQ(group_of(second, name), ERROR_SUCCESS);
  CHECK_WSTR(name, L"clusapi other");
  CHECK_EQ(ChangeClusterResourceGroup(first, (HGROUP)node), ERROR_INVALID_HANDLE);
  CHECK_EQ(ChangeClusterResourceGroup((HRESOURCE)other, group), ERROR_INVALID_HANDLE);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS); /* empty now */

  CHECK_EQ(DeleteClusterResource(second), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(first), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(other), ERROR_SUCCESS);
  CHECK(CloseClusterResource(first));
  CHECK(CloseClusterResource(second));
  CHECK(CloseClusterGroup(group));
  CHECK(CloseClusterGroup(other));
  CHECK(CloseClusterNode(node));
  return 0;
}

int check_resource_types(HCLUSTER cluster, const WCHAR* node_name) {
  HGROUP group;
  HRESOURCE dummy;
  HRESTYPEENUM e;
  HCLUSENUM ce;
  WCHAR name[64];
  DWORD cch, type, i, found = 0;

  CHECK_EQ(CreateClusterResourceType(cluster, L"clusapi type", L"clusapi display",
                                     L"wp_clusapi_none.so", 5000, 60000),
           ERROR_SUCCESS);
  CHECK_EQ(CreateClusterResourceType(cluster, L"clusapi type", L"clusapi display",
                                     L"wp_clusapi_none.so", 5000, 60000),
           ERROR_OBJECT_ALREADY_EXISTS);
  /* A LooksAlive interval of 0 is out of range; a type needs a name and a DLL. */
  CHECK_EQ(CreateClusterResourceType(cluster, L"clusapi bad", NULL, L"x.so", 0, 60000),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(CreateClusterResourceType(cluster, NULL, NULL, L"x.so", 5000, 60000),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(CreateClusterResourceType(cluster, L"clusapi bad", NULL, NULL, 5000, 60000),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(CreateClusterResourceType((HCLUSTER)&cch, L"clusapi bad", NULL, L"x.so", 5000, 60000),
           ERROR_INVALID_HANDLE);

  ce = ClusterOpenEnum(cluster, CLUSTER_ENUM_RESTYPE);
  REQUIRE(ce != NULL);
  for (i = 0; i < ClusterGetEnumCount(ce); ++i) {
    cch = 64;
    if (ClusterEnum(ce, i, &type, name, &cch) == ERROR_SUCCESS &&
        wcscmp(name, L"clusapi type") == 0)
      ++found;
  }
  CHECK_EQ(found, 1);
  CHECK_EQ(ClusterCloseEnum(ce), ERROR_SUCCESS);

  /* A type's possible owners (every node) and its resources. */
  group = CreateClusterGroup(cluster, L"clusapi types");
  REQUIRE(group != NULL);
  dummy = CreateClusterResource(group, L"clusapi typed", L"Dummy", 0);
  REQUIRE(dummy != NULL);
  e = ClusterResourceTypeOpenEnum(cluster, L"Dummy", CLUSTER_RESOURCE_TYPE_ENUM_ALL);
  REQUIRE(e != NULL);
  CHECK_EQ(count_in_type_enum(e, CLUSTER_RESOURCE_TYPE_ENUM_NODES, node_name), 1);
  CHECK_EQ(count_in_type_enum(e, CLUSTER_RESOURCE_TYPE_ENUM_RESOURCES, L"clusapi typed"), 1);
  cch = 64;
  CHECK_EQ(ClusterResourceTypeEnum(e, 0, &type, name, &cch), ERROR_SUCCESS);
  CHECK_EQ(type, CLUSTER_RESOURCE_TYPE_ENUM_NODES);
  cch = 1;
  CHECK_EQ(ClusterResourceTypeEnum(e, 0, &type, name, &cch), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(node_name));
  cch = 64;
  CHECK_EQ(ClusterResourceTypeEnum(e, ClusterResourceTypeGetEnumCount(e), &type, name, &cch),
           ERROR_NO_MORE_ITEMS);
  CHECK_EQ(ClusterResourceTypeCloseEnum(e), ERROR_SUCCESS);
  CHECK_EQ(ClusterResourceTypeCloseEnum(e), ERROR_INVALID_HANDLE);
  e = ClusterResourceTypeOpenEnum(cluster, L"clusapi type", CLUSTER_RESOURCE_TYPE_ENUM_RESOURCES);
  REQUIRE(e != NULL);
  CHECK_EQ(ClusterResourceTypeGetEnumCount(e), 0);
  CHECK_EQ(ClusterResourceTypeCloseEnum(e), ERROR_SUCCESS);
  SetLastError(0);
  CHECK(ClusterResourceTypeOpenEnum(cluster, L"no such type", 1) == NULL);
  CHECK_EQ(GetLastError(), ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
  SetLastError(0);
  CHECK(ClusterResourceTypeOpenEnum(cluster, L"Dummy", 4) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(ClusterResourceTypeOpenEnum((HCLUSTER)group, L"Dummy", 1) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

  /* A type in use stays; an unused one goes, once. */
  CHECK_EQ(DeleteClusterResourceType(cluster, L"Dummy"), ERROR_CLUSTER_RESOURCE_TYPE_BUSY);
  CHECK_EQ(DeleteClusterResourceType(cluster, L"clusapi type"), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResourceType(cluster, L"clusapi type"),
           ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
  CHECK_EQ(DeleteClusterResourceType(cluster, NULL), ERROR_INVALID_PARAMETER);
  CHECK_EQ(DeleteClusterResourceType(NULL, L"clusapi type"), ERROR_INVALID_HANDLE);

  CHECK_EQ(DeleteClusterResource(dummy), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterResource(dummy));
  CHECK(CloseClusterGroup(group));
  return 0;
}

int check_evict(const WCHAR* address, const WCHAR* evicted, const WCHAR* active) {
  HCLUSTER cluster;
  HNODE gone, up;
  HCLUSENUM e;
  HCHANGE deleted, added;
  proplist description;
  WCHAR name[64];
  DWORD cch, type;
  DWORD_PTR key;

  cluster = OpenCluster(address);
  REQUIRE(cluster != NULL);
  gone = OpenClusterNode(cluster, evicted);
  REQUIRE(gone != NULL);
  up = OpenClusterNode(cluster, active);
  REQUIRE(up != NULL);
  CHECK_EQ(GetClusterNodeState(gone), ClusterNodeDown);

  /* The eviction is NODE_DELETED, and only that: a port for NODE_ADDED hears nothing. */
  deleted = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster,
                                    CLUSTER_CHANGE_NODE_DELETED, 21);
  REQUIRE(deleted != NULL);
  added = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster,
                                  CLUSTER_CHANGE_NODE_ADDED | CLUSTER_CHANGE_NODE_PROPERTY, 22);
  REQUIRE(added != NULL);

  CHECK_EQ(EvictClusterNode(up), ERROR_CANT_EVICT_ACTIVE_NODE);
  CHECK_EQ(EvictClusterNode(gone), ERROR_SUCCESS);
  CHECK_EQ(wait_notify(deleted, CLUSTER_CHANGE_NODE_DELETED, evicted, 10000), 21);
  /* A node property changed after the eviction is the first thing the other port hears. */
  start_list(&description, 1);
  add_sz(&description, L"Description", L"after an eviction");
  CHECK_EQ(ClusterNodeControl(up, NULL, CLUSCTL_NODE_SET_COMMON_PROPERTIES, description.data,
                              description.size, NULL, 0, NULL),
           ERROR_SUCCESS);
  cch = 64;
  key = 0;
  CHECK_EQ(GetClusterNotify(added, &key, &type, name, &cch, 10000), ERROR_SUCCESS);
  CHECK_EQ(key, 22);
  CHECK_EQ(type, CLUSTER_CHANGE_NODE_PROPERTY);
  CHECK_WSTR(name, active);
  CHECK(CloseClusterNotifyPort(deleted));
  CHECK(CloseClusterNotifyPort(added));
  SetLastError(0);
  CHECK_EQ(GetClusterNodeState(gone), ClusterNodeStateUnknown);
  CHECK_EQ(GetLastError(), ERROR_CLUSTER_NODE_NOT_FOUND);
  CHECK_EQ(EvictClusterNode(gone), ERROR_CLUSTER_NODE_NOT_FOUND);
  e = ClusterOpenEnum(cluster, CLUSTER_ENUM_NODE);
  REQUIRE(e != NULL);
  CHECK_EQ(ClusterGetEnumCount(e), 2);
  CHECK_EQ(ClusterCloseEnum(e), ERROR_SUCCESS);

  CHECK(CloseClusterNode(gone));
  CHECK(CloseClusterNode(up));
  CHECK(CloseCluster(cluster));
  return 0;
}

/* As a client waits for a move: GROUP_STATE notifications until the state read back is
   Online on `node`, or the deadline. */
static void wait_moved(HCHANGE port, HGROUP group, const WCHAR* name, const WCHAR* node,
                       ULONGLONG deadline) {
  for (;;) {
    WCHAR owner[64];
    DWORD cch = 64;
    const ULONGLONG now = GetTickCount64();
    if (now >= deadline || wait_notify(port, CLUSTER_CHANGE_GROUP_STATE, name,
                                       (DWORD)(deadline - now)) == (DWORD_PTR)-1)
      return;
    if (GetClusterGroupState(group, owner, &cch) == ClusterGroupOnline && wcscmp(owner, node) == 0)
      return;
  }
}

/* The --evict run, before the eviction: a group created through `address` moves to `active`
   (named), a notify port says so, and back (no node named: the best other node). Its
   resource runs in a monitor of its own (CLUSTER_RESOURCE_SEPARATE_MONITOR). */
int check_move(const WCHAR* address, const WCHAR* stopped, const WCHAR* active) {
  HCLUSTER cluster;
  HGROUP group;
  HRESOURCE resource;
  HNODE target;
  HCHANGE port;
  WCHAR owner[64], first_owner[64];
  BYTE buffer[8192];
  DWORD cch, cb = 0, separate = 0, status;
  const ULONGLONG deadline = GetTickCount64() + 30000;
  (void)stopped;

  cluster = OpenCluster(address);
  REQUIRE(cluster != NULL);
  group = CreateClusterGroup(cluster, L"clusapi moved");
  REQUIRE(group != NULL);
  resource =
      CreateClusterResource(group, L"clusapi moved R", L"Dummy", CLUSTER_RESOURCE_SEPARATE_MONITOR);
  REQUIRE(resource != NULL);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  buffer, sizeof buffer, &cb),
           ERROR_SUCCESS);
  CHECK_EQ(ResUtilFindDwordProperty(buffer, cb, L"SeparateMonitor", &separate), ERROR_SUCCESS);
  CHECK_EQ(separate, 1);
  status = OnlineClusterGroup(group, NULL);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  cch = 64;
  while (GetClusterGroupState(group, first_owner, &cch) != ClusterGroupOnline &&
         GetTickCount64() < deadline) {
    Sleep(20);
    cch = 64;
  }
  REQUIRE(GetClusterGroupState(group, NULL, NULL) == ClusterGroupOnline);

  port = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster, CLUSTER_CHANGE_GROUP_STATE,
                                 31);
  REQUIRE(port != NULL);
  target = OpenClusterNode(cluster, active);
  REQUIRE(target != NULL);
  status = MoveClusterGroup(group, target);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  wait_moved(port, group, L"clusapi moved", active, deadline);
  cch = 64;
  CHECK_EQ(GetClusterGroupState(group, owner, &cch), ClusterGroupOnline);
  CHECK_WSTR(owner, active);

  /* No node named: the best other node, which is where it came from (the third is down). */
  status = MoveClusterGroup(group, NULL);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  wait_moved(port, group, L"clusapi moved", first_owner, deadline);
  cch = 64;
  CHECK_EQ(GetClusterGroupState(group, owner, &cch), ClusterGroupOnline);
  CHECK_WSTR(owner, first_owner);

  status = OfflineClusterGroup(group);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  while (GetClusterGroupState(group, NULL, NULL) != ClusterGroupOffline &&
         GetTickCount64() < deadline)
    Sleep(20);
  CHECK_EQ(DeleteClusterResource(resource), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterResource(resource));
  CHECK(CloseClusterGroup(group));
  CHECK(CloseClusterNode(target));
  CHECK(CloseClusterNotifyPort(port));
  CHECK(CloseCluster(cluster));
  return 0;
}
