/*
 * The control code part of clusapi_c_test: property lists in and out of every kind of
 * object, the service's codes and the ones the Dummy plugin answers, and the buffer
 * convention (a size query with a NULL buffer, a buffer one byte short).
 */
#include <clusapi.h>
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "clusapi_check.h"

/* ---- a property list writer and reader, as a C client would have ---- */

static void put_dword(proplist* p, DWORD value) {
  memcpy(p->data + p->size, &value, sizeof value);
  p->size += sizeof value;
}

static void put_entry(proplist* p, DWORD syntax, const void* data, DWORD length) {
  put_dword(p, syntax);
  put_dword(p, length);
  memset(p->data + p->size, 0, ALIGN_CLUSPROP(length));
  memcpy(p->data + p->size, data, length);
  p->size += ALIGN_CLUSPROP(length);
}

void start_list(proplist* p, DWORD count) {
  p->size = 0;
  put_dword(p, count);
}

void add_dword(proplist* p, const WCHAR* name, DWORD value) {
  put_entry(p, CLUSPROP_SYNTAX_NAME, name, (DWORD)((wcslen(name) + 1) * sizeof(WCHAR)));
  put_entry(p, CLUSPROP_SYNTAX_LIST_VALUE_DWORD, &value, sizeof value);
  put_dword(p, CLUSPROP_SYNTAX_ENDMARK);
}

void add_sz(proplist* p, const WCHAR* name, const WCHAR* value) {
  put_entry(p, CLUSPROP_SYNTAX_NAME, name, (DWORD)((wcslen(name) + 1) * sizeof(WCHAR)));
  put_entry(p, CLUSPROP_SYNTAX_LIST_VALUE_SZ, value, (DWORD)((wcslen(value) + 1) * sizeof(WCHAR)));
  put_dword(p, CLUSPROP_SYNTAX_ENDMARK);
}

/* The first value entry of property `name` in a property list; NULL if it is not there. */
static const CLUSPROP_VALUE* find_property(const BYTE* list, DWORD size, const WCHAR* name) {
  DWORD count, i, offset = sizeof(DWORD);
  if (size < sizeof(DWORD))
    return NULL;
  memcpy(&count, list, sizeof count);
  for (i = 0; i < count && offset + 8 <= size; ++i) {
    const CLUSPROP_VALUE* header = (const CLUSPROP_VALUE*)(list + offset);
    const WCHAR* entry_name = (const WCHAR*)(list + offset + 8);
    const int match = wcscmp(entry_name, name) == 0;
    offset += 8 + ALIGN_CLUSPROP(header->cbLength);
    if (match)
      return (const CLUSPROP_VALUE*)(list + offset);
    while (offset + 4 <= size) { /* skip the values through the end mark */
      const CLUSPROP_VALUE* v = (const CLUSPROP_VALUE*)(list + offset);
      if (v->Syntax.dw == CLUSPROP_SYNTAX_ENDMARK) {
        offset += 4;
        break;
      }
      offset += 8 + ALIGN_CLUSPROP(v->cbLength);
    }
  }
  return NULL;
}

/* The value entry after `v`, in the same value list; NULL at the end mark. */
static const CLUSPROP_VALUE* next_value(const CLUSPROP_VALUE* v) {
  const CLUSPROP_VALUE* next =
      (const CLUSPROP_VALUE*)((const BYTE*)v + 8 + ALIGN_CLUSPROP(v->cbLength));
  return next->Syntax.dw == CLUSPROP_SYNTAX_ENDMARK ? NULL : next;
}

static DWORD dword_of(const CLUSPROP_VALUE* v) {
  DWORD value = 0xDEADBEEF;
  if (v != NULL && v->cbLength == sizeof(DWORD))
    memcpy(&value, (const BYTE*)v + 8, sizeof value);
  return value;
}

static const WCHAR* sz_of(const CLUSPROP_VALUE* v) {
  return v != NULL ? (const WCHAR*)((const BYTE*)v + 8) : L"(absent)";
}

/* Whether a MULTI_SZ of `size` bytes holds `name`. */
static int multi_sz_has(const BYTE* data, DWORD size, const WCHAR* name) {
  const WCHAR* p = (const WCHAR*)data;
  const WCHAR* end = (const WCHAR*)(data + size);
  while (p < end && *p != L'\0') {
    if (wcscmp(p, name) == 0)
      return 1;
    p += wcslen(p) + 1;
  }
  return 0;
}

/* ---- the checks ---- */

static BYTE g_out[8192];

/* The resource control `code` into g_out, sized first with a NULL buffer; its size. */
static DWORD resource_read(HRESOURCE resource, DWORD code, DWORD* status) {
  DWORD needed = 0, returned = 0;
  *status = ClusterResourceControl(resource, NULL, code, NULL, 0, NULL, 0, &needed);
  if (*status != ERROR_MORE_DATA && *status != ERROR_SUCCESS)
    return 0;
  *status = ClusterResourceControl(resource, NULL, code, NULL, 0, g_out, needed, &returned);
  return returned;
}

static int check_resource_controls(HRESOURCE resource) {
  DWORD status, size, needed = 0, returned = 0;
  proplist in;

  /* The list grows by MonitorProcessId once a monitor has the new resource open: wait for
     that, so that the sizes compared below are of one list. */
  {
    const ULONGLONG deadline = GetTickCount64() + 20000;
    for (;;) {
      returned = 0;
      if (ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                 g_out, sizeof g_out, &returned) == ERROR_SUCCESS &&
          find_property(g_out, returned, L"MonitorProcessId") != NULL)
        break;
      if (GetTickCount64() >= deadline)
        break;
      Sleep(20);
    }
    CHECK(find_property(g_out, returned, L"MonitorProcessId") != NULL);
  }

  /* The buffer convention on the common properties. */
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  NULL, 0, &needed),
           ERROR_MORE_DATA);
  CHECK(needed > 8);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  g_out, needed - 1, &returned),
           ERROR_MORE_DATA);
  CHECK_EQ(returned, needed);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  g_out, sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(returned, needed);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, NULL, 0,
                                  g_out, sizeof g_out, NULL),
           ERROR_SUCCESS); /* lpBytesReturned may be NULL */
  CHECK_EQ(dword_of(find_property(g_out, returned, L"RestartAction")), 2);
  CHECK_WSTR(sz_of(find_property(g_out, returned, L"Type")), L"Dummy");

  /* Set two, validate a bad and a good value, then read back. */
  start_list(&in, 2);
  add_dword(&in, L"RestartThreshold", 7);
  add_sz(&in, L"Description", L"set by a control");
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES, in.data,
                                  in.size, NULL, 0, NULL),
           ERROR_SUCCESS);
  start_list(&in, 1);
  add_dword(&in, L"RestartAction", 9);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_VALIDATE_COMMON_PROPERTIES,
                                  in.data, in.size, NULL, 0, NULL),
           ERROR_INVALID_PARAMETER);
  start_list(&in, 1);
  add_dword(&in, L"RestartThreshold", 9);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_VALIDATE_COMMON_PROPERTIES,
                                  in.data, in.size, NULL, 0, NULL),
           ERROR_SUCCESS);
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_EQ(dword_of(find_property(g_out, size, L"RestartThreshold")), 7); /* not 9 */
  CHECK_WSTR(sz_of(find_property(g_out, size, L"Description")), L"set by a control");
  start_list(&in, 1);
  add_dword(&in, L"NoSuchProperty", 1);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES, in.data,
                                  in.size, NULL, 0, NULL),
           ERROR_UNKNOWN_PROPERTY);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES, in.data,
                                  3, NULL, 0, NULL),
           ERROR_INVALID_DATA); /* cut short */
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES, NULL, 0,
                                  NULL, 0, NULL),
           ERROR_INVALID_PARAMETER);

  /* Read-only ones, the names and formats of the writable ones. */
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_RO_COMMON_PROPERTIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK(find_property(g_out, size, L"Type") != NULL);
  CHECK(find_property(g_out, size, L"RestartAction") == NULL);
  size = resource_read(resource, CLUSCTL_RESOURCE_ENUM_COMMON_PROPERTIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK(multi_sz_has(g_out, size, L"RestartAction"));
  CHECK(!multi_sz_has(g_out, size, L"Type"));
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_COMMON_PROPERTY_FMTS, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  {
    const CLUSPROP_VALUE* f = find_property(g_out, size, L"Description");
    CHECK(f != NULL && f->Syntax.dw == CLUSPROP_SYNTAX_LIST_VALUE_WORD &&
          ((const CLUSPROP_WORD*)f)->w == CLUSPROP_FORMAT_SZ);
  }
  {
    /* After the format, Wolfpack's details: default, minimum, maximum (clusapi.h). */
    const CLUSPROP_VALUE* f = find_property(g_out, size, L"PendingTimeout");
    const CLUSPROP_VALUE* d = f == NULL ? NULL : next_value(f);
    const CLUSPROP_VALUE* lo = d == NULL ? NULL : next_value(d);
    const CLUSPROP_VALUE* hi = lo == NULL ? NULL : next_value(lo);
    CHECK(f != NULL && ((const CLUSPROP_WORD*)f)->w == CLUSPROP_FORMAT_DWORD);
    CHECK(d != NULL &&
          d->Syntax.dw == CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_DEFAULT, CLUSPROP_FORMAT_DWORD));
    CHECK_EQ(dword_of(d), 180000);
    CHECK(lo != NULL &&
          lo->Syntax.dw == CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_MINIMUM, CLUSPROP_FORMAT_DWORD));
    CHECK_EQ(dword_of(lo), 10);
    CHECK(hi != NULL &&
          hi->Syntax.dw == CLUSPROP_SYNTAX_VALUE(WP_CLUSPROP_TYPE_MAXIMUM, CLUSPROP_FORMAT_DWORD));
  }

  /* What the service knows of the resource. */
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_NAME, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_WSTR((const WCHAR*)g_out, L"clusapi controlled");
  CHECK_EQ(size, (wcslen(L"clusapi controlled") + 1) * sizeof(WCHAR));
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_RESOURCE_TYPE, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_WSTR((const WCHAR*)g_out, L"Dummy");
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_ID, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK(size > sizeof(WCHAR));

  /* What the plugin answers, through its monitor. */
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_CHARACTERISTICS, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_EQ(size, sizeof(DWORD));
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_CLASS_INFO, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_EQ(size, sizeof(CLUS_RESOURCE_CLASS_INFO));
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_REQUIRED_DEPENDENCIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_EQ(size, sizeof(DWORD)); /* just the end mark */
  size = resource_read(resource, CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK(multi_sz_has(g_out, size, L"OnlineDelayMs"));
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_GET_CLASS_INFO, NULL, 0, g_out,
                                  4, &returned),
           ERROR_MORE_DATA);
  CHECK_EQ(returned, sizeof(CLUS_RESOURCE_CLASS_INFO));

  /* Maintenance mode is for storage class resources: the Dummy is not one. */
  {
    CLUS_MAINTENANCE_MODE_INFO maintenance = {TRUE};
    CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_MAINTENANCE_MODE,
                                    &maintenance, sizeof maintenance, NULL, 0, NULL),
             ERROR_INVALID_FUNCTION);
  }

  /* Private properties: the plugin validates, the database keeps them. The Dummy writes
     them to its Parameters key itself, which a port on the resource's key hears. */
  {
    HKEY key = GetClusterResourceKey(resource, KEY_READ);
    HCHANGE port = CreateClusterNotifyPort((HCHANGE)INVALID_HANDLE_VALUE,
                                           (HCLUSTER)INVALID_HANDLE_VALUE, 0, 0);
    REQUIRE(key != NULL && port != NULL);
    CHECK_EQ(
        RegisterClusterNotify(port, CLUSTER_CHANGE_REGISTRY_VALUE | CLUSTER_CHANGE_REGISTRY_SUBTREE,
                              (HANDLE)key, 51),
        ERROR_SUCCESS);
    start_list(&in, 1);
    add_dword(&in, L"OnlineDelayMs", 25);
    CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES,
                                    in.data, in.size, NULL, 0, NULL),
             ERROR_SUCCESS);
    CHECK_EQ(wait_notify(port, CLUSTER_CHANGE_REGISTRY_VALUE, L"Parameters", 10000), 51);
    CHECK(CloseClusterNotifyPort(port));
    CHECK_EQ(ClusterRegCloseKey(key), ERROR_SUCCESS);
  }
  start_list(&in, 1);
  add_dword(&in, L"OnlineError", 997);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES,
                                  in.data, in.size, NULL, 0, NULL),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES, in.data,
                                  in.size, NULL, 0, NULL),
           ERROR_INVALID_PARAMETER);
  start_list(&in, 1);
  add_dword(&in, L"OnlineDelayMs", 40);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES,
                                  in.data, in.size, NULL, 0, NULL),
           ERROR_SUCCESS);
  size = resource_read(resource, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, &status);
  CHECK_EQ(status, ERROR_SUCCESS);
  CHECK_EQ(dword_of(find_property(g_out, size, L"OnlineDelayMs")), 25); /* not 40 */
  CHECK_EQ(dword_of(find_property(g_out, size, L"OnlineError")), 0);

  /* Codes of another object, and the internal notifications only the service sends. */
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_GROUP_GET_NAME, NULL, 0, g_out,
                                  sizeof g_out, &returned),
           ERROR_INVALID_FUNCTION);
  CHECK_EQ(ClusterResourceControl(resource, NULL, CLUSCTL_RESOURCE_DELETE, NULL, 0, NULL, 0, NULL),
           ERROR_INVALID_FUNCTION);
  return 0;
}

static int check_other_controls(HCLUSTER cluster, HGROUP group, HNODE node,
                                const WCHAR* node_name) {
  DWORD returned = 0, value = 1;
  WCHAR id[64];
  DWORD cch = 64;
  proplist in;

  /* Groups: name, common and private properties in and out. */
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_NAME, NULL, 0, g_out, sizeof g_out,
                               &returned),
           ERROR_SUCCESS);
  CHECK_WSTR((const WCHAR*)g_out, L"clusapi controls");
  start_list(&in, 1);
  add_dword(&in, L"FailoverThreshold", 5);
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_SET_COMMON_PROPERTIES, in.data, in.size,
                               NULL, 0, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(dword_of(find_property(g_out, returned, L"FailoverThreshold")), 5);
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_PRIVATE_PROPERTIES, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(returned, sizeof(DWORD)); /* a count of 0 */
  /* Any private property of a group is kept (no plugin validates it), and read back. */
  start_list(&in, 1);
  add_sz(&in, L"Tier", L"gold");
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_SET_PRIVATE_PROPERTIES, in.data, in.size,
                               NULL, 0, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_PRIVATE_PROPERTIES, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_WSTR(sz_of(find_property(g_out, returned, L"Tier")), L"gold");
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_ENUM_PRIVATE_PROPERTIES, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK(multi_sz_has(g_out, returned, L"Tier"));
  /* And the cluster's. */
  start_list(&in, 1);
  add_dword(&in, L"ClusapiLevel", 3);
  CHECK_EQ(ClusterControl(cluster, NULL, CLUSCTL_CLUSTER_SET_PRIVATE_PROPERTIES, in.data, in.size,
                          NULL, 0, NULL),
           ERROR_SUCCESS);
  CHECK_EQ(ClusterControl(cluster, NULL, CLUSCTL_CLUSTER_GET_PRIVATE_PROPERTIES, NULL, 0, g_out,
                          sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(dword_of(find_property(g_out, returned, L"ClusapiLevel")), 3);
  CHECK_EQ(ClusterGroupControl(group, NULL, CLUSCTL_GROUP_GET_CHARACTERISTICS, NULL, 0, &value,
                               sizeof value, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(value, 0);
  CHECK_EQ(ClusterGroupControl(group, (HNODE)group, CLUSCTL_GROUP_GET_NAME, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_INVALID_HANDLE); /* a host node that is no node */
  CHECK_EQ(ClusterGroupControl((HGROUP)node, NULL, CLUSCTL_GROUP_GET_NAME, NULL, 0, g_out,
                               sizeof g_out, &returned),
           ERROR_INVALID_HANDLE);

  /* Nodes: name and id, as the node functions say. */
  CHECK_EQ(ClusterNodeControl(node, node, CLUSCTL_NODE_GET_NAME, NULL, 0, g_out, sizeof g_out,
                              &returned),
           ERROR_SUCCESS);
  CHECK_WSTR((const WCHAR*)g_out, node_name);
  CHECK_EQ(GetClusterNodeId(node, id, &cch), ERROR_SUCCESS);
  CHECK_EQ(
      ClusterNodeControl(node, NULL, CLUSCTL_NODE_GET_ID, NULL, 0, g_out, sizeof g_out, &returned),
      ERROR_SUCCESS);
  CHECK_WSTR((const WCHAR*)g_out, id);
  CHECK_EQ(ClusterNodeControl(node, NULL, CLUSCTL_NODE_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                              sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(dword_of(find_property(g_out, returned, L"NodeWeight")), 1);

  /* The cluster and a resource type. */
  CHECK_EQ(ClusterControl(cluster, NULL, CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                          sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK(find_property(g_out, returned, L"ShutdownTimeoutInMinutes") != NULL);
  CHECK_EQ(
      ClusterControl(cluster, NULL, CLUSCTL_NODE_GET_NAME, NULL, 0, g_out, sizeof g_out, &returned),
      ERROR_INVALID_FUNCTION);
  CHECK_EQ(ClusterControl(NULL, NULL, CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                          sizeof g_out, &returned),
           ERROR_INVALID_HANDLE);
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL,
                                      CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                                      sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK(find_property(g_out, returned, L"DllName") != NULL);
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL,
                                      CLUSCTL_RESOURCE_TYPE_ENUM_COMMON_PROPERTIES, NULL, 0, g_out,
                                      sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK(multi_sz_has(g_out, returned, L"IsAlivePollInterval"));
  CHECK(!multi_sz_has(g_out, returned, L"DllName"));
  /* What the type's plugin answers. */
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL, CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO,
                                      NULL, 0, g_out, sizeof g_out, &returned),
           ERROR_SUCCESS);
  CHECK_EQ(returned, sizeof(CLUS_RESOURCE_CLASS_INFO));
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL,
                                      CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS,
                                      NULL, 0, g_out, sizeof g_out, &returned),
           ERROR_SUCCESS);
  {
    const CLUSPROP_VALUE* f = find_property(g_out, returned, L"OnlineDelayMs");
    CHECK(f != NULL && ((const CLUSPROP_WORD*)f)->w == CLUSPROP_FORMAT_DWORD);
  }
  start_list(&in, 1);
  add_dword(&in, L"OnlineError", 997);
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL,
                                      CLUSCTL_RESOURCE_TYPE_VALIDATE_PRIVATE_PROPERTIES, in.data,
                                      in.size, NULL, 0, NULL),
           ERROR_INVALID_PARAMETER);
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"Dummy", NULL, CLUSCTL_RESOURCE_TYPE_GET_CLASS_INFO,
                                      NULL, 0, g_out, 2, &returned),
           ERROR_MORE_DATA);
  CHECK_EQ(returned, sizeof(CLUS_RESOURCE_CLASS_INFO));
  CHECK_EQ(ClusterResourceTypeControl(cluster, L"no such type", NULL,
                                      CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES, NULL, 0, g_out,
                                      sizeof g_out, &returned),
           ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND);
  CHECK_EQ(
      ClusterResourceTypeControl(cluster, NULL, NULL, CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES,
                                 NULL, 0, g_out, sizeof g_out, &returned),
      ERROR_INVALID_PARAMETER);
  return 0;
}

int check_controls(HCLUSTER cluster, const WCHAR* node_name) {
  HGROUP group;
  HRESOURCE resource;
  HNODE node;
  int failed = 0;

  group = CreateClusterGroup(cluster, L"clusapi controls");
  REQUIRE(group != NULL);
  resource = CreateClusterResource(group, L"clusapi controlled", L"Dummy", 0);
  REQUIRE(resource != NULL);
  node = OpenClusterNode(cluster, node_name);
  REQUIRE(node != NULL);

  failed |= check_resource_controls(resource);
  failed |= check_other_controls(cluster, group, node, node_name);
  CHECK_EQ(ClusterResourceControl((HRESOURCE)group, NULL, CLUSCTL_RESOURCE_GET_NAME, NULL, 0, NULL,
                                  0, NULL),
           ERROR_INVALID_HANDLE);

  CHECK_EQ(DeleteClusterResource(resource), ERROR_SUCCESS);
  CHECK_EQ(DeleteClusterGroup(group), ERROR_SUCCESS);
  CHECK(CloseClusterResource(resource));
  CHECK(CloseClusterGroup(group));
  CHECK(CloseClusterNode(node));
  return failed;
}
