/*
 * The ResUtil functions that look at other resources through the cluster API, as a
 * cluster-aware program (or a resource DLL's worker thread) calls them: dependencies by type,
 * by class and by name, an IP Address dependency's properties, the environment with a
 * Network Name, the enumeration of the cluster's resources. The handles they return are
 * libclusapi's.
 */
#include <resapi.h>
#include <string.h>

#include "clusapi_check.h"

/* Writes a string value under the resource's Parameters key, as a setup script might. */
static int set_parameter(HRESOURCE resource, const WCHAR* name, const WCHAR* value) {
  HKEY key, params;
  key = GetClusterResourceKey(resource, KEY_ALL_ACCESS);
  REQUIRE(key != NULL);
  CHECK_EQ(ClusterRegCreateKey(key, L"Parameters", 0, KEY_ALL_ACCESS, NULL, &params, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterRegSetValue(params, name, REG_SZ, (const BYTE*)value,
                              (DWORD)((wcslen(value) + 1) * sizeof(WCHAR))),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(params), ERROR_SUCCESS);
  CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);
  return 0;
}

/* The name of a resource handle, through ResUtilGetResourceName. */
static const WCHAR* name_of(HRESOURCE resource, WCHAR* buffer, DWORD capacity) {
  DWORD cch = capacity;
  buffer[0] = L'\0';
  if (ResUtilGetResourceName(resource, buffer, &cch) != ERROR_SUCCESS)
    wcscpy(buffer, L"(no name)");
  return buffer;
}

typedef struct {
  int seen_ip;
  int calls;
  int ours;     /* calls for this file's resources (a cluster may hold others) */
  DWORD answer; /* what the callback returns */
} enum_state;

static DWORD WINAPI count_resource(HRESOURCE self, HRESOURCE resource, PVOID parameter) {
  enum_state* state = (enum_state*)parameter;
  WCHAR name[64];
  (void)self;
  ++state->calls;
  if (wcsncmp(name_of(resource, name, 64), L"clusapi ru ", 11) == 0)
    ++state->ours;
  if (wcscmp(name, L"clusapi ru ip") == 0)
    ++state->seen_ip;
  return state->answer;
}

static DWORD WINAPI count_resource_ex(HCLUSTER cluster, HRESOURCE self, HRESOURCE resource,
                                      PVOID parameter) {
  (void)cluster;
  return count_resource(self, resource, parameter);
}

static int check_dependency_lookups(HCLUSTER cluster, HRESOURCE app, HRESOURCE nn, HRESOURCE ip) {
  HRESOURCE found;
  WCHAR name[64];
  CLUS_RESOURCE_CLASS_INFO network, storage;
  HCLUSTER from;

  /* The cluster a resource handle was opened through. */
  from = GetClusterFromResource(app);
  REQUIRE(from != NULL);
  CHECK(CloseCluster(from));
  CHECK(GetClusterFromResource((HRESOURCE)cluster) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK(GetClusterFromGroup((HGROUP)app) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

  /* Direct dependencies only. */
  found = ResUtilGetResourceDependency(app, L"Network Name");
  REQUIRE(found != NULL);
  CHECK_WSTR(name_of(found, name, 64), L"clusapi ru nn");
  CHECK(ResUtilResourcesEqual(found, nn));
  CHECK(!ResUtilResourcesEqual(found, ip));
  CHECK(ResUtilResourceTypesEqual(L"network name", found));
  CHECK(CloseClusterResource(found));
  CHECK(ResUtilGetResourceDependency(app, L"IP Address") == NULL);
  CHECK_EQ(GetLastError(), ERROR_NO_MORE_ITEMS);
  CHECK(ResUtilGetResourceDependency(app, NULL) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

  /* The whole tree when asked. */
  found = ResUtilGetResourceDependencyByName(cluster, app, L"IP Address", TRUE);
  REQUIRE(found != NULL);
  CHECK_WSTR(name_of(found, name, 64), L"clusapi ru ip");
  CHECK(CloseClusterResource(found));
  CHECK(ResUtilGetResourceDependencyByName(cluster, app, L"IP Address", FALSE) == NULL);
  CHECK_EQ(GetLastError(), ERROR_NO_MORE_ITEMS);

  /* By class: both providers are of the network class; the nearest comes first. */
  memset(&network, 0, sizeof network);
  network.rc = CLUS_RESCLASS_NETWORK;
  memset(&storage, 0, sizeof storage);
  storage.rc = CLUS_RESCLASS_STORAGE;
  found = ResUtilGetResourceDependencyByClass(cluster, app, &network, TRUE);
  REQUIRE(found != NULL);
  CHECK_WSTR(name_of(found, name, 64), L"clusapi ru nn");
  CHECK(CloseClusterResource(found));
  CHECK(ResUtilGetResourceDependencyByClass(cluster, app, &storage, TRUE) == NULL);
  CHECK_EQ(GetLastError(), ERROR_NO_MORE_ITEMS);
  CHECK(ResUtilIsResourceClassEqual(&network, ip));
  CHECK(!ResUtilIsResourceClassEqual(&storage, ip));
  CHECK_EQ(GetLastError(), ERROR_SUCCESS);

  /* By the dependent's name, on the cluster OpenCluster(NULL) finds ($WOLFPACK_CLUSTER). */
  found = ResUtilGetResourceNameDependency(L"clusapi ru app", L"Network Name");
  REQUIRE(found != NULL);
  CHECK_WSTR(name_of(found, name, 64), L"clusapi ru nn");
  CHECK(CloseClusterResource(found));
  CHECK(ResUtilGetResourceNameDependency(L"clusapi ru nobody", L"Network Name") == NULL);
  CHECK_EQ(GetLastError(), ERROR_RESOURCE_NOT_FOUND);

  /* The Windows Server 2012 forms check the access asked for. */
  CHECK(ResUtilGetResourceDependencyEx(app, L"Network Name", 0) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  found = ResUtilGetResourceDependencyEx(app, L"Network Name", GENERIC_READ);
  REQUIRE(found != NULL);
  CHECK(CloseClusterResource(found));
  return 0;
}

static int check_dependency_values(HCLUSTER cluster, HRESOURCE app, HRESOURCE nn,
                                   HRESOURCE lonely) {
  WCHAR address[32], mask[32], network[32];
  DWORD cch_address = 32, cch_mask = 32, cch_network = 32;
  LPVOID block;
  const WCHAR* entry;
  int names_seen = 0;
  enum_state state;

  CHECK_EQ(ResUtilGetResourceDependentIPAddressProps(nn, address, &cch_address, mask, &cch_mask,
                                                     network, &cch_network),
           ERROR_SUCCESS);
  CHECK_WSTR(address, L"10.9.8.7");
  CHECK_WSTR(mask, L"255.255.255.0");
  CHECK_WSTR(network, L"public");
  CHECK_EQ(cch_address, 9);
  cch_address = 3;
  cch_mask = 32;
  cch_network = 32;
  CHECK_EQ(ResUtilGetResourceDependentIPAddressProps(nn, address, &cch_address, mask, &cch_mask,
                                                     network, &cch_network),
           ERROR_MORE_DATA);
  CHECK_EQ(cch_address, 9);
  CHECK_EQ(cch_mask, 14);
  cch_address = 32;
  /* Only a direct IP Address counts (documented). */
  CHECK_EQ(ResUtilGetResourceDependentIPAddressProps(app, address, &cch_address, mask, &cch_mask,
                                                     network, &cch_network),
           ERROR_NO_MORE_ITEMS);

  block = ResUtilGetEnvironmentWithNetName(app);
  REQUIRE(block != NULL);
  for (entry = (const WCHAR*)block; *entry != L'\0'; entry += wcslen(entry) + 1) {
    if (wcscmp(entry, L"_CLUSTER_NETWORK_NAME_=VS9") == 0 ||
        wcscmp(entry, L"_CLUSTER_NETWORK_FQDN_=VS9") == 0)
      ++names_seen;
  }
  CHECK_EQ(names_seen, 2);
  CHECK_EQ(ResUtilFreeEnvironment(block), ERROR_SUCCESS);
  CHECK(ResUtilGetEnvironmentWithNetName(lonely) == NULL);
  CHECK_EQ(GetLastError(), ERROR_DEPENDENCY_NOT_FOUND);

  /* Every resource of a type but the caller's own; a callback error stops the walk. */
  memset(&state, 0, sizeof state);
  CHECK_EQ(ResUtilEnumResources(NULL, L"IP Address", count_resource, &state), ERROR_SUCCESS);
  CHECK_EQ(state.seen_ip, 1);
  CHECK_EQ(state.ours, 1);
  memset(&state, 0, sizeof state);
  CHECK_EQ(ResUtilEnumResources(app, NULL, count_resource, &state), ERROR_SUCCESS);
  CHECK_EQ(state.seen_ip, 1);
  CHECK_EQ(state.ours, 3); /* nn, ip, lonely: not app itself */
  memset(&state, 0, sizeof state);
  state.answer = ERROR_NO_MORE_ITEMS; /* "enough": success after the first */
  CHECK_EQ(ResUtilEnumResourcesEx(cluster, NULL, NULL, count_resource_ex, &state), ERROR_SUCCESS);
  CHECK_EQ(state.calls, 1);
  memset(&state, 0, sizeof state);
  state.answer = ERROR_GEN_FAILURE;
  CHECK_EQ(ResUtilEnumResourcesEx2(cluster, NULL, NULL, count_resource_ex, &state, GENERIC_READ),
           ERROR_GEN_FAILURE);
  CHECK_EQ(state.calls, 1);
  CHECK_EQ(ResUtilEnumResourcesEx2(cluster, NULL, NULL, count_resource_ex, &state, 0),
           ERROR_INVALID_PARAMETER);

  /* A lab disk has no drive letter. */
  cch_address = 32;
  CHECK_EQ(ResUtilFindDependentDiskResourceDriveLetter(cluster, app, address, &cch_address),
           ERROR_NOT_SUPPORTED);
  return 0;
}

int check_resutils(HCLUSTER cluster) {
  HGROUP group;
  HRESOURCE ip, nn, app, lonely;
  int failed = 0;

  group = CreateClusterGroup(cluster, L"clusapi resutils");
  REQUIRE(group != NULL);
  {
    /* The cluster the group was opened through. */
    HCLUSTER from = GetClusterFromGroup(group);
    HGROUP again;
    REQUIRE(from != NULL);
    again = OpenClusterGroup(from, L"clusapi resutils");
    CHECK(again != NULL);
    CHECK(again == NULL || CloseClusterGroup(again));
    CHECK(CloseCluster(from));
  }
  ip = CreateClusterResource(group, L"clusapi ru ip", L"IP Address", 0);
  nn = CreateClusterResource(group, L"clusapi ru nn", L"Network Name", 0);
  app = CreateClusterResource(group, L"clusapi ru app", L"Dummy", 0);
  lonely = CreateClusterResource(group, L"clusapi ru lonely", L"Dummy", 0);
  REQUIRE(ip != NULL && nn != NULL && app != NULL && lonely != NULL);
  failed |= set_parameter(ip, L"Address", L"10.9.8.7");
  failed |= set_parameter(ip, L"SubnetMask", L"255.255.255.0");
  failed |= set_parameter(ip, L"Network", L"public");
  failed |= set_parameter(nn, L"Name", L"VS9");
  CHECK_EQ(AddClusterResourceDependency(nn, ip), ERROR_SUCCESS);
  CHECK_EQ(AddClusterResourceDependency(app, nn), ERROR_SUCCESS);

  failed |= check_dependency_lookups(cluster, app, nn, ip);
  failed |= check_dependency_values(cluster, app, nn, lonely);

  CHECK_EQ(RemoveClusterResourceDependency(app, nn), ERROR_SUCCESS);
  CHECK_EQ(RemoveClusterResourceDependency(nn, ip), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(lonely), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(app), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(nn), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(ip), ERROR_SUCCESS);
  CHECK(CloseClusterResource(lonely));
  CHECK(CloseClusterResource(app));
  CHECK(CloseClusterResource(nn));
  CHECK(CloseClusterResource(ip));
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterGroup(group));
  return failed;
}
