/*
 * The cluster registry for a cluster-aware application: GetClusterKey and the object keys,
 * read and written with the ClusterReg* functions, with the Win32 conventions (sizes,
 * ERROR_MORE_DATA, ERROR_NO_MORE_ITEMS) and the cluster's refusals.
 */
#include <string.h>

#include <resapi.h>

#include "clusapi_check.h"

/* Whether key `key` has a subkey named `name`, through ClusterRegEnumKey. */
static int has_subkey(HKEY key, const WCHAR* name) {
  DWORD i;
  for (i = 0;; ++i) {
    WCHAR buffer[256];
    DWORD cch = 256;
    LONG rc = ClusterRegEnumKey(key, i, buffer, &cch, NULL);
    if (rc != ERROR_SUCCESS)
      return 0;
    if (wcscmp(buffer, name) == 0)
      return 1;
  }
}

/* Whether a notification of `type` for `name` with the key `key` comes within 10 s (others
   are passed over). */
static int notified(HCHANGE port, DWORD_PTR key, DWORD type, const WCHAR* name) {
  int i;
  for (i = 0; i < 50; ++i) {
    WCHAR got[256];
    DWORD cch = 256, got_type = 0;
    DWORD_PTR got_key = 0;
    if (GetClusterNotify(port, &got_key, &got_type, got, &cch, 10000) != ERROR_SUCCESS)
      return 0;
    if (got_key == key && got_type == type && wcscmp(got, name) == 0)
      return 1;
  }
  return 0;
}

/* A port on one key (RegisterClusterNotify with an HKEY) hears its values and its subkeys
   made or deleted, named relative to it; one on the root with REGISTRY_SUBTREE hears
   everything below. */
static int check_key_notifications(HKEY root, HKEY app) {
  HCHANGE on_key, on_root;
  HKEY deeper = NULL;
  WCHAR name[64];
  DWORD cch, type, level = 8;
  DWORD_PTR key;

  on_key =
      CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, (HCLUSTER)INVALID_HANDLE_VALUE, 0, 0);
  on_root =
      CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, (HCLUSTER)INVALID_HANDLE_VALUE, 0, 0);
  REQUIRE(on_key != NULL && on_root != NULL);
  CHECK_EQ(
      RegisterClusterNotify(on_key, CLUSTER_CHANGE_REGISTRY_VALUE | CLUSTER_CHANGE_REGISTRY_NAME,
                            (HANDLE)app, 21),
      ERROR_SUCCESS);
  CHECK_EQ(RegisterClusterNotify(on_root,
                                 CLUSTER_CHANGE_REGISTRY_VALUE | CLUSTER_CHANGE_REGISTRY_SUBTREE,
                                 (HANDLE)root, 22),
           ERROR_SUCCESS);

  CHECK_EQ(ClusterRegSetValue(app, L"Watched", REG_DWORD, (const BYTE*)&level, sizeof level),
           ERROR_SUCCESS);
  CHECK(notified(on_key, 21, CLUSTER_CHANGE_REGISTRY_VALUE, L""));
  CHECK(notified(on_root, 22, CLUSTER_CHANGE_REGISTRY_VALUE, L"ClusapiTest\\Settings"));

  CHECK_EQ(ClusterRegCreateKey(app, L"Deeper", 0, KEY_ALL_ACCESS, NULL, &deeper, NULL),
           ERROR_SUCCESS);
  CHECK(notified(on_key, 21, CLUSTER_CHANGE_REGISTRY_NAME, L"Deeper"));
  CHECK_EQ(ClusterRegSetValue(deeper, L"Level", REG_DWORD, (const BYTE*)&level, sizeof level),
           ERROR_SUCCESS);
  CHECK(notified(on_root, 22, CLUSTER_CHANGE_REGISTRY_VALUE, L"ClusapiTest\\Settings\\Deeper"));
  CHECK_EQ(ClusterRegCloseKey(deeper), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegDeleteKey(app, L"Deeper"), ERROR_SUCCESS);
  /* Below the key without REGISTRY_SUBTREE: the value written in Deeper did not reach the
     key's port, whose next notification is Deeper's deletion. */
  cch = 64;
  key = 0;
  CHECK_EQ(GetClusterNotify(on_key, &key, &type, name, &cch, 10000), ERROR_SUCCESS);
  CHECK_EQ(key, 21);
  CHECK_EQ(type, CLUSTER_CHANGE_REGISTRY_NAME);
  CHECK_WSTR(name, L"Deeper");
  CHECK_EQ(ClusterRegDeleteValue(app, L"Watched"), ERROR_SUCCESS);
  CHECK(notified(on_key, 21, CLUSTER_CHANGE_REGISTRY_VALUE, L""));

  CHECK(CloseClusterNotifyPort(on_key));
  CHECK(CloseClusterNotifyPort(on_root));
  return 0;
}

static int check_application_key(HCLUSTER cluster_of_root, HKEY root) {
  HKEY app = NULL, again = NULL;
  DWORD disposition = 0, type = 0, size = 0, level = 7, read_level = 0, subkeys = 9, values = 9;
  WCHAR text[64], name[64];
  DWORD cch;
  HCHANGE port;
  LONG rc;

  port = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, (HCLUSTER)cluster_of_root,
                                 CLUSTER_CHANGE_REGISTRY_VALUE, 11);
  REQUIRE(port != NULL);

  rc = ClusterRegCreateKey(root, L"ClusapiTest\\Settings", 0, KEY_ALL_ACCESS, NULL, &app,
                           &disposition);
  CHECK_EQ(rc, ERROR_SUCCESS);
  REQUIRE(app != NULL);
  CHECK_EQ(disposition, REG_CREATED_NEW_KEY);
  CHECK_EQ(ClusterRegCreateKey(root, L"clusapitest\\settings", 0, KEY_ALL_ACCESS, NULL, &again,
                               &disposition),
           ERROR_SUCCESS);
  CHECK_EQ(disposition, REG_OPENED_EXISTING_KEY);
  CHECK_EQ(ClusterRegCloseKey(again), ERROR_SUCCESS);

  CHECK_EQ(ClusterRegSetValue(app, L"Level", REG_DWORD, (const BYTE*)&level, sizeof level),
           ERROR_SUCCESS);
  /* A registry change reaches a notification port, named by its key (a resource's own
     writes to its key may come first: they are registry changes too). */
  CHECK(notified(port, 11, CLUSTER_CHANGE_REGISTRY_VALUE, L"ClusapiTest\\Settings"));
  CHECK(CloseClusterNotifyPort(port));
  if (check_key_notifications(root, app))
    return 1;
  CHECK_EQ(ClusterRegSetValue(app, L"Owner", REG_SZ, (const BYTE*)L"wolfpack",
                              (DWORD)(9 * sizeof(WCHAR))),
           ERROR_SUCCESS);

  /* NULL data asks for the size; a short buffer is ERROR_MORE_DATA with the size. */
  CHECK_EQ(ClusterRegQueryValue(app, L"Owner", &type, NULL, &size), ERROR_SUCCESS);
  CHECK_EQ(type, REG_SZ);
  CHECK_EQ(size, 9 * sizeof(WCHAR));
  size = 4;
  CHECK_EQ(ClusterRegQueryValue(app, L"Owner", &type, (BYTE*)text, &size), ERROR_MORE_DATA);
  CHECK_EQ(size, 9 * sizeof(WCHAR));
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(app, L"owner", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, L"wolfpack");
  size = sizeof read_level;
  CHECK_EQ(ClusterRegQueryValue(app, L"Level", &type, (BYTE*)&read_level, &size), ERROR_SUCCESS);
  CHECK_EQ(type, REG_DWORD);
  CHECK_EQ(read_level, 7);
  CHECK_EQ(ClusterRegQueryValue(app, L"Missing", &type, NULL, &size), ERROR_FILE_NOT_FOUND);

  CHECK_EQ(ClusterRegQueryInfoKey(app, &subkeys, NULL, &values, NULL, NULL, NULL, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(subkeys, 0);
  CHECK_EQ(values, 2);
  cch = 64;
  size = sizeof text;
  CHECK_EQ(ClusterRegEnumValue(app, 0, name, &cch, &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(name, L"Level");
  cch = 64;
  CHECK_EQ(ClusterRegEnumValue(app, 2, name, &cch, NULL, NULL, NULL), ERROR_NO_MORE_ITEMS);
  CHECK(has_subkey(root, L"ClusapiTest"));

  /* A key with subkeys stays; values and keys go one by one. */
  CHECK_EQ(ClusterRegDeleteKey(root, L"ClusapiTest"), ERROR_ACCESS_DENIED);
  CHECK_EQ(ClusterRegDeleteValue(app, L"Level"), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegDeleteValue(app, L"Level"), ERROR_FILE_NOT_FOUND);
  CHECK_EQ(ClusterRegDeleteKey(root, L"ClusapiTest\\Settings"), ERROR_SUCCESS);
  /* The handle outlives its key: later calls say so. */
  CHECK_EQ(ClusterRegSetValue(app, L"Level", REG_DWORD, (const BYTE*)&level, sizeof level),
           ERROR_KEY_DELETED);
  CHECK_EQ(ClusterRegQueryValue(app, L"Owner", &type, NULL, &size), ERROR_KEY_DELETED);
  CHECK_EQ(ClusterRegDeleteKey(root, L"ClusapiTest"), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegOpenKey(root, L"ClusapiTest", KEY_READ, &again), ERROR_FILE_NOT_FOUND);
  CHECK_EQ(ClusterRegCloseKey(app), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(app), ERROR_INVALID_HANDLE);
  return 0;
}

static int check_object_keys(HCLUSTER cluster, HGROUP group, HRESOURCE resource,
                             const WCHAR* node_name) {
  HKEY key, params, node_key, type_key, group_key;
  HNODE node;
  WCHAR text[256];
  DWORD type = 0, size, threshold = 9, read_threshold = 0;
  static CHAR buffer[16384];
  DWORD cb = sizeof buffer;

  key = GetClusterResourceKey(resource, KEY_ALL_ACCESS);
  REQUIRE(key != NULL);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(key, L"Name", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_EQ(type, REG_SZ);
  CHECK_WSTR(text, L"clusapi registry resource");
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(key, L"Type", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, L"Dummy");

  /* What the service keeps is refused; a common property goes through its checks. */
  CHECK_EQ(ClusterRegSetValue(key, L"Type", REG_SZ, (const BYTE*)L"IP Address",
                              (DWORD)(11 * sizeof(WCHAR))),
           ERROR_ACCESS_DENIED);
  CHECK_EQ(ClusterRegSetValue(key, L"RestartThreshold", REG_DWORD, (const BYTE*)&threshold,
                              sizeof threshold),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  buffer, sizeof buffer, &cb),
           ERROR_SUCCESS);
  CHECK_EQ(ResUtilFindDwordProperty(buffer, cb, L"RestartThreshold", &read_threshold),
           ERROR_SUCCESS);
  CHECK_EQ(read_threshold, 9);

  /* Private properties live in Parameters, as on Windows. */
  CHECK_EQ(ClusterRegCreateKey(key, L"Parameters", 0, KEY_ALL_ACCESS, NULL, &params, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterRegSetValue(params, L"Note", REG_SZ, (const BYTE*)L"set through the registry",
                              (DWORD)(25 * sizeof(WCHAR))),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(params), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegOpenKey(key, L"Parameters", KEY_READ, &params), ERROR_SUCCESS);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(params, L"Note", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, L"set through the registry");
  CHECK_EQ(ClusterRegCloseKey(params), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);

  group_key = GetClusterGroupKey(group, KEY_READ);
  REQUIRE(group_key != NULL);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(group_key, L"Name", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, L"clusapi registry");
  CHECK_EQ(ClusterRegDeleteValue(group_key, L"Contains"), ERROR_ACCESS_DENIED);
  CHECK_EQ(ClusterRegCloseKey(group_key), ERROR_SUCCESS);

  node = OpenClusterNode(cluster, node_name);
  REQUIRE(node != NULL);
  node_key = GetClusterNodeKey(node, KEY_READ);
  REQUIRE(node_key != NULL);
  size = sizeof text;
  CHECK_EQ(ClusterRegQueryValue(node_key, L"NodeName", &type, (BYTE*)text, &size), ERROR_SUCCESS);
  CHECK_WSTR(text, node_name);
  CHECK_EQ(ClusterRegCloseKey(node_key), ERROR_SUCCESS);
  CHECK(CloseClusterNode(node));

  type_key = GetClusterResourceTypeKey(cluster, L"dummy", KEY_READ);
  REQUIRE(type_key != NULL);
  CHECK_EQ(ClusterRegCloseKey(type_key), ERROR_SUCCESS);
  CHECK(GetClusterResourceTypeKey(cluster, L"No Such Type", KEY_READ) == NULL);
  CHECK_EQ(GetLastError(), ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
  CHECK(GetClusterResourceKey((HRESOURCE)group, KEY_READ) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  (void)buffer;
  return 0;
}

/* GetClusterResourceNetworkName: the Name of the Network Name a resource depends on, through
   another provider too. The Name is written through the registry, as a setup script might. */
static int check_network_name(HGROUP group, HRESOURCE resource) {
  HRESOURCE nn, middle;
  HKEY key, params;
  WCHAR name[16];
  DWORD cch;

  nn = CreateClusterResource(group, L"clusapi netname", L"Network Name", 0);
  REQUIRE(nn != NULL);
  middle = CreateClusterResource(group, L"clusapi middle", L"Dummy", 0);
  REQUIRE(middle != NULL);
  key = GetClusterResourceKey(nn, KEY_ALL_ACCESS);
  REQUIRE(key != NULL);
  CHECK_EQ(ClusterRegCreateKey(key, L"Parameters", 0, KEY_ALL_ACCESS, NULL, &params, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(
      ClusterRegSetValue(params, L"Name", REG_SZ, (const BYTE*)L"VS1", (DWORD)(4 * sizeof(WCHAR))),
      ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(params), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);

  cch = 16;
  CHECK(!GetClusterResourceNetworkName(resource, name, &cch));
  CHECK_EQ(GetLastError(), ERROR_DEPENDENCY_NOT_FOUND);
  CHECK_EQ(AddClusterResourceDependency(middle, nn), ERROR_SUCCESS);
  CHECK_EQ(AddClusterResourceDependency(resource, middle), ERROR_SUCCESS);
  cch = 16;
  CHECK(GetClusterResourceNetworkName(resource, name, &cch));
  CHECK_WSTR(name, L"VS1");
  CHECK_EQ(cch, 3);
  cch = 2;
  CHECK(!GetClusterResourceNetworkName(resource, name, &cch));
  CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
  CHECK_EQ(cch, 3);
  CHECK(!GetClusterResourceNetworkName((HRESOURCE)group, name, &cch));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

  CHECK_EQ(RemoveClusterResourceDependency(resource, middle), ERROR_SUCCESS);
  CHECK_EQ(RemoveClusterResourceDependency(middle, nn), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(middle), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(nn), ERROR_SUCCESS);
  CHECK(CloseClusterResource(middle));
  CHECK(CloseClusterResource(nn));
  return 0;
}

int check_registry(HCLUSTER cluster, const WCHAR* node_name) {
  HKEY root;
  HGROUP group;
  HRESOURCE resource;
  int failed = 0;

  root = GetClusterKey(cluster, KEY_ALL_ACCESS);
  REQUIRE(root != NULL);
  CHECK(has_subkey(root, L"Groups"));
  CHECK(has_subkey(root, L"Resources"));
  CHECK_EQ(ClusterRegCreateKey(root, L"Resources\\made-by-hand", 0, KEY_ALL_ACCESS, NULL,
                               &(HKEY){NULL}, NULL),
           ERROR_ACCESS_DENIED);
  failed |= check_application_key(cluster, root);

  group = CreateClusterGroup(cluster, L"clusapi registry");
  REQUIRE(group != NULL);
  resource = CreateClusterResource(group, L"clusapi registry resource", L"Dummy", 0);
  REQUIRE(resource != NULL);
  failed |= check_object_keys(cluster, group, resource, node_name);
  failed |= check_network_name(group, resource);
  CHECK_EQ(DeleteClusterResource(resource), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterResource(resource));
  CHECK(CloseClusterGroup(group));
  CHECK_EQ(ClusterRegCloseKey(root), ERROR_SUCCESS);
  return failed;
}
