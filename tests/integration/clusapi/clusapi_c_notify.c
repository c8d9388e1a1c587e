/*
 * The notification part of clusapi_c_test: a port that hears groups come and go, the states
 * of a resource and (through RegisterClusterNotify) of one group, the close of that group's
 * handle, with the name buffer convention, timeouts and bad handles.
 */
#include <clusapi.h>
#include <windows.h>

#include <string.h>
#include <wchar.h>

#include "clusapi_check.h"

/* Reads notifications until one of `filter` for `name` comes (whatever else comes first is
   passed over) or `timeout_ms` passes; its key, or (DWORD_PTR)-1. */
DWORD_PTR wait_notify(HCHANGE port, DWORD filter, const WCHAR* name, DWORD timeout_ms) {
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  for (;;) {
    WCHAR buffer[128];
    DWORD cch = 128, type = 0;
    DWORD_PTR key = 0;
    const ULONGLONG now = GetTickCount64();
    if (now >= deadline)
      return (DWORD_PTR)-1;
    if (GetClusterNotify(port, &key, &type, buffer, &cch, (DWORD)(deadline - now)) ==
            ERROR_SUCCESS &&
        type == filter && wcscmp(buffer, name) == 0) {
      return key;
    }
  }
}

/* As a client does: a GROUP_STATE notification for the group, then its state read back, until
   it is `wanted`; the notification's key, or (DWORD_PTR)-1 after `timeout_ms`. */
static DWORD_PTR wait_group_state(HCHANGE port, HGROUP group, const WCHAR* name,
                                  CLUSTER_GROUP_STATE wanted, DWORD timeout_ms) {
  const ULONGLONG deadline = GetTickCount64() + timeout_ms;
  for (;;) {
    const ULONGLONG now = GetTickCount64();
    const DWORD_PTR key = now < deadline ? wait_notify(port, CLUSTER_CHANGE_GROUP_STATE, name,
                                                       (DWORD)(deadline - now))
                                         : (DWORD_PTR)-1;
    if (key == (DWORD_PTR)-1 || GetClusterGroupState(group, NULL, NULL) == wanted)
      return key;
  }
}

int check_notify(HCLUSTER cluster) {
  HCHANGE port, again;
  HGROUP group, second;
  HRESOURCE resource;
  WCHAR name[64];
  DWORD cch, type, status;
  DWORD_PTR key;

  port = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster,
                                 CLUSTER_CHANGE_GROUP_ADDED | CLUSTER_CHANGE_GROUP_DELETED, 7);
  REQUIRE(port != NULL);
  cch = 64;
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, &cch, 0), WAIT_TIMEOUT); /* nothing yet */

  group = CreateClusterGroup(cluster, L"clusapi notified");
  REQUIRE(group != NULL);
  cch = 64;
  key = 0;
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, &cch, 10000), ERROR_SUCCESS);
  CHECK_EQ(key, 7);
  CHECK_EQ(type, CLUSTER_CHANGE_GROUP_ADDED);
  CHECK_WSTR(name, L"clusapi notified");
  CHECK_EQ(cch, wcslen(L"clusapi notified"));

  /* A name that does not fit: ERROR_MORE_DATA, and the notification waits for a bigger buffer. */
  second = CreateClusterGroup(cluster, L"clusapi notified too");
  REQUIRE(second != NULL);
  cch = 4;
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, &cch, 10000), ERROR_MORE_DATA);
  CHECK_EQ(cch, wcslen(L"clusapi notified too"));
  cch = 0;
  CHECK_EQ(GetClusterNotify(port, &key, &type, NULL, &cch, 0), ERROR_MORE_DATA);
  cch = 64;
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, &cch, 0), ERROR_SUCCESS);
  CHECK_WSTR(name, L"clusapi notified too");
  CHECK_EQ(type, CLUSTER_CHANGE_GROUP_ADDED);

  /* More filters on the same port, and one group's own events. */
  again = CreateClusterNotifyPort(port, cluster, CLUSTER_CHANGE_RESOURCE_STATE, 8);
  CHECK(again == port);
  CHECK_EQ(RegisterClusterNotify(port, CLUSTER_CHANGE_GROUP_STATE | CLUSTER_CHANGE_HANDLE_CLOSE,
                                 (HANDLE)group, 9),
           ERROR_SUCCESS);
  resource = CreateClusterResource(group, L"clusapi notifying", L"Dummy", 0);
  REQUIRE(resource != NULL);
  status = OnlineClusterGroup(group, NULL);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_RESOURCE_STATE, L"clusapi notifying", 20000), 8);
  CHECK_EQ(wait_group_state(port, group, L"clusapi notified", ClusterGroupOnline, 20000), 9);
  /* The other group's state is nobody's business here. */
  status = OnlineClusterGroup(second, NULL);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_GROUP_STATE, L"clusapi notified too", 1000),
           (DWORD_PTR)-1);

  /* Another client renames the group: the registration still follows it (by id). */
  {
    HGROUP other_client = OpenClusterGroup(cluster, L"clusapi notified");
    REQUIRE(other_client != NULL);
    CHECK_EQ(SetClusterGroupName(other_client, L"clusapi notified, renamed"), ERROR_SUCCESS);
    CHECK(CloseClusterGroup(other_client));
  }
  status = OfflineClusterGroup(group);
  CHECK(status == ERROR_SUCCESS || status == ERROR_IO_PENDING);
  CHECK_EQ(wait_group_state(port, group, L"clusapi notified, renamed", ClusterGroupOffline, 20000),
           9);
  CHECK_EQ(SetClusterGroupName(group, L"clusapi notified"), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterResource(resource), ERROR_SUCCESS);
  CHECK(CloseClusterResource(resource));

  /* Closing the registered handle says so, once. */
  CHECK(CloseClusterGroup(group));
  CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_HANDLE_CLOSE, L"clusapi notified", 5000), 9);
  group = OpenClusterGroup(cluster, L"clusapi notified");
  REQUIRE(group != NULL);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_GROUP_DELETED, L"clusapi notified", 10000), 7);
  CHECK(CloseClusterGroup(group));
  CHECK_EQ(DeleteClusterGroup(second), ERROR_SUCCESS); /* no resources: nothing to stop */

  /* A client that polls with a zero timeout sees what happened, too. */
  {
    HCHANGE polled = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, cluster,
                                             CLUSTER_CHANGE_GROUP_ADDED, 11);
    HGROUP third;
    const ULONGLONG deadline = GetTickCount64() + 10000;
    REQUIRE(polled != NULL);
    third = CreateClusterGroup(cluster, L"clusapi polled");
    REQUIRE(third != NULL);
    for (;;) {
      cch = 64;
      status = GetClusterNotify(polled, &key, &type, name, &cch, 0);
      if (status != WAIT_TIMEOUT || GetTickCount64() >= deadline)
        break;
      Sleep(10);
    }
    CHECK_EQ(status, ERROR_SUCCESS);
    CHECK_EQ(key, 11);
    CHECK_EQ(type, CLUSTER_CHANGE_GROUP_ADDED);
    CHECK_WSTR(name, L"clusapi polled");
    CHECK_EQ(DeleteClusterGroup(third), ERROR_SUCCESS);
    CHECK(CloseClusterGroup(third));
    CHECK(CloseClusterNotifyPort(polled));
  }

  /* Bad handles and arguments. */
  cch = 64;
  CHECK_EQ(GetClusterNotify(NULL, &key, &type, name, &cch, 0), ERROR_INVALID_HANDLE);
  CHECK_EQ(GetClusterNotify((HCHANGE)cluster, &key, &type, name, &cch, 0), ERROR_INVALID_HANDLE);
  CHECK_EQ(GetClusterNotify(port, NULL, &type, name, &cch, 0), ERROR_INVALID_PARAMETER);
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, NULL, 0), ERROR_INVALID_PARAMETER);
  CHECK_EQ(RegisterClusterNotify(port, CLUSTER_CHANGE_GROUP_STATE, (HANDLE)cluster, 1),
           ERROR_INVALID_HANDLE);
  SetLastError(0);
  CHECK(CreateClusterNotifyPort(port, (HCLUSTER)INVALID_HANDLE_VALUE, 0, 0) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
  SetLastError(0);
  CHECK(CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE, (HCLUSTER)&cch, 1, 0) == NULL);
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

  CHECK(CloseClusterNotifyPort(port));
  CHECK_EQ(GetClusterNotify(port, &key, &type, name, &cch, 0), ERROR_INVALID_HANDLE);
  CHECK(!CloseClusterNotifyPort(port));
  CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
  CHECK(CloseClusterGroup(second));
  return 0;
}
