/*
 * The ResUtil functions a Windows resource DLL calls, called from C99 the way such DLLs
 * call them: a property table over a parameter block, property lists built and walked
 * with CLUSPROP_BUFFER_HELPER, the private properties of a key without a table, the
 * environment and directory helpers, and the lookups of other resources that Wolfpack
 * refuses with ERROR_NOT_SUPPORTED and a log line.
 */
#include <clusapi.h>
#include <resapi.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "c_check.h"
#include "resutil_c_host.h"

int g_checks = 0;
int g_failures = 0;

/* ---- a parameter block and its table, as the AppWizard wrote them ----------------------- */

typedef struct TEST_PARAMS {
  PWSTR Path;
  DWORD Retries;
  LONG Offset;
  PWSTR Home;
} TEST_PARAMS;

static RESUTIL_PROPERTY_ITEM g_props[] = {
    {L"Path", NULL, CLUSPROP_FORMAT_SZ, 0, 0, 0, RESUTIL_PROPITEM_REQUIRED,
     FIELD_OFFSET(TEST_PARAMS, Path)},
    {L"Retries", NULL, CLUSPROP_FORMAT_DWORD, 3, 1, 10, 0, FIELD_OFFSET(TEST_PARAMS, Retries)},
    {L"Offset", NULL, CLUSPROP_FORMAT_LONG, 0, (DWORD)-5, 5, RESUTIL_PROPITEM_SIGNED,
     FIELD_OFFSET(TEST_PARAMS, Offset)},
    {L"Home", NULL, CLUSPROP_FORMAT_EXPAND_SZ, 0, 0, 0, 0, FIELD_OFFSET(TEST_PARAMS, Home)},
    {0}};

/* ---- building a property list by hand ---------------------------------------------------- */

static void put_name(CLUSPROP_BUFFER_HELPER* p, LPCWSTR name) {
  DWORD cb = (DWORD)((wcslen(name) + 1) * sizeof(WCHAR));
  p->pName->Syntax.dw = CLUSPROP_SYNTAX_NAME;
  p->pName->cbLength = cb;
  memcpy(p->pName->sz, name, cb);
  p->pb += sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(cb);
}

static void put_dword(CLUSPROP_BUFFER_HELPER* p, DWORD syntax, DWORD value) {
  p->pDwordValue->Syntax.dw = syntax;
  p->pDwordValue->cbLength = sizeof(DWORD);
  p->pDwordValue->dw = value;
  p->pb += sizeof(CLUSPROP_DWORD);
}

static void put_sz(CLUSPROP_BUFFER_HELPER* p, DWORD syntax, LPCWSTR value) {
  DWORD cb = (DWORD)((wcslen(value) + 1) * sizeof(WCHAR));
  p->pStringValue->Syntax.dw = syntax;
  p->pStringValue->cbLength = cb;
  memcpy(p->pStringValue->sz, value, cb);
  p->pb += sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(cb);
}

static void put_endmark(CLUSPROP_BUFFER_HELPER* p) {
  p->pSyntax->dw = CLUSPROP_SYNTAX_ENDMARK;
  p->pb += sizeof(CLUSPROP_SYNTAX);
}

/* Path = "/srv/data", Retries = 4, Extra = 9: two known properties and one unknown. */
static DWORD build_list(BYTE* buffer) {
  CLUSPROP_BUFFER_HELPER p;
  p.pb = buffer;
  p.pList->nPropertyCount = 3;
  p.pb += sizeof(DWORD);
  put_name(&p, L"Path");
  put_sz(&p, CLUSPROP_SYNTAX_LIST_VALUE_SZ, L"/srv/data");
  put_endmark(&p);
  put_name(&p, L"Retries");
  put_dword(&p, CLUSPROP_SYNTAX_LIST_VALUE_DWORD, 4);
  put_endmark(&p);
  put_name(&p, L"Extra");
  put_dword(&p, CLUSPROP_SYNTAX_LIST_VALUE_DWORD, 9);
  put_endmark(&p);
  return (DWORD)(p.pb - buffer);
}

static DWORD query_dword(HKEY key, LPCWSTR name, DWORD fallback) {
  DWORD value = fallback;
  DWORD type = 0;
  DWORD cb = sizeof value;
  if (ClusterRegQueryValue(key, name, &type, (LPBYTE)&value, &cb) != ERROR_SUCCESS)
    return fallback;
  return value;
}

/* ---- private properties without a table -------------------------------------------------- */

static void check_private_properties(void) {
  BYTE list[512];
  HKEY key = wp_test_new_resource_key();
  DWORD size = build_list(list);
  DWORD returned = 0, required = 0, value = 0;
  BYTE* out;
  WCHAR names[64];

  CHECK(ResUtilVerifyPrivatePropertyList(list, size) == ERROR_SUCCESS);
  /* A list cut short is refused whole: nothing is written. */
  CHECK(ResUtilSetPrivatePropertyList(key, list, size - 8) == ERROR_INSUFFICIENT_BUFFER);
  CHECK(query_dword(key, L"Retries", 0) == 0);
  CHECK(ResUtilSetPrivatePropertyList(key, list, size) == ERROR_SUCCESS);
  CHECK(query_dword(key, L"Extra", 0) == 9);

  /* Sized first with no buffer, then read. */
  CHECK(ResUtilGetPrivateProperties(key, NULL, 0, &returned, &required) == ERROR_MORE_DATA);
  CHECK(returned == 0 && required > sizeof(DWORD));
  out = (BYTE*)LocalAlloc(LMEM_FIXED, required);
  CHECK(ResUtilGetPrivateProperties(key, out, required, &returned, &required) == ERROR_SUCCESS);
  CHECK(*(DWORD*)out == 3);
  CHECK(ResUtilFindDwordProperty(out, returned, L"extra", &value) == ERROR_SUCCESS && value == 9);
  LocalFree(out);

  /* Names as a MULTI_SZ, in the key's order. */
  CHECK(ResUtilEnumPrivateProperties(key, names, 4, &returned, &required) == ERROR_MORE_DATA);
  CHECK(required == sizeof(L"Path\0Retries\0Extra\0"));
  CHECK(ResUtilEnumPrivateProperties(key, names, sizeof names, &returned, &required) ==
        ERROR_SUCCESS);
  CHECK(returned == sizeof(L"Path\0Retries\0Extra\0"));
  CHECK(memcmp(names, L"Path\0Retries\0Extra\0", returned) == 0);

  /* Only what the table does not describe. */
  key = wp_test_new_resource_key();
  CHECK(ResUtilSetUnknownProperties(key, g_props, list, size) == ERROR_SUCCESS);
  CHECK(query_dword(key, L"Extra", 0) == 9);
  CHECK(query_dword(key, L"Retries", 0) == 0);
}

/* ---- one item at a time, and a list from a parameter block -------------------------------- */

static void check_property_items(void) {
  HKEY key = wp_test_new_resource_key();
  DWORD retries = 6, size = 0, count = 0, left, returned = 0, required = 0, value = 0;
  BYTE* list;
  PVOID cursor;
  PRESUTIL_PROPERTY_ITEM item;
  LPWSTR text = NULL;
  TEST_PARAMS params;
  BYTE small[8];

  ClusterRegSetValue(key, L"Retries", REG_DWORD, (const BYTE*)&retries, sizeof retries);
  /* Path has neither value nor default: it adds nothing. */
  for (item = g_props; item->Name != NULL; ++item)
    CHECK(ResUtilGetPropertySize(key, item, &size, &count) == ERROR_SUCCESS);
  CHECK(count == 2); /* Retries, and Offset by its default */
  list = (BYTE*)LocalAlloc(LMEM_FIXED, sizeof(DWORD) + size);
  *(DWORD*)list = count;
  cursor = list + sizeof(DWORD);
  left = size;
  for (item = g_props; item->Name != NULL; ++item)
    CHECK(ResUtilGetProperty(key, item, &cursor, &left) == ERROR_SUCCESS);
  CHECK(left == 0 && (BYTE*)cursor == list + sizeof(DWORD) + size);
  CHECK(ResUtilFindDwordProperty(list, sizeof(DWORD) + size, L"Retries", &value) == ERROR_SUCCESS);
  CHECK(value == 6);
  LocalFree(list);

  /* Too small: ERROR_MORE_DATA, cursor and size untouched. */
  cursor = small;
  left = sizeof small;
  CHECK(ResUtilGetProperty(key, &g_props[1], &cursor, &left) == ERROR_MORE_DATA);
  CHECK(cursor == (PVOID)small && left == sizeof small);

  wp_test_set_env("WP_RESUTIL_C_HOME", "/home/wolf");
  memset(&params, 0, sizeof params);
  params.Path = L"/srv/x";
  params.Retries = 2;
  params.Offset = -3;
  params.Home = L"%WP_RESUTIL_C_HOME%/data";
  size = 0;
  CHECK(ResUtilPropertyListFromParameterBlock(g_props, NULL, &size, (LPBYTE)&params, &returned,
                                              &required) == ERROR_MORE_DATA);
  size = required;
  list = (BYTE*)LocalAlloc(LMEM_FIXED, size);
  CHECK(ResUtilPropertyListFromParameterBlock(g_props, list, &size, (LPBYTE)&params, &returned,
                                              &required) == ERROR_SUCCESS);
  CHECK(returned == size && *(DWORD*)list == 4);
  CHECK(ResUtilFindSzProperty(list, returned, L"Path", &text) == ERROR_SUCCESS);
  CHECK(text != NULL && wcscmp(text, L"/srv/x") == 0);
  LocalFree(text);
  CHECK(ResUtilFindExpandSzProperty(list, returned, L"Home", &text) == ERROR_SUCCESS);
  CHECK(text != NULL && wcscmp(text, L"%WP_RESUTIL_C_HOME%/data") == 0);
  LocalFree(text);
  CHECK(ResUtilFindExpandedSzProperty(list, returned, L"Home", &text) == ERROR_SUCCESS);
  CHECK(text != NULL && wcscmp(text, L"/home/wolf/data") == 0);
  LocalFree(text);
  LocalFree(list);
}

/* ---- walking a list entry by entry (a SET_PRIVATE_PROPERTIES handler) --------------------- */

static void check_get_property_walk(void) {
  BYTE list[512];
  DWORD left = build_list(list);
  CLUSPROP_BUFFER_HELPER p;
  DWORD count, retries = 0, extra = 0;
  LPWSTR path = NULL;
  LPBYTE before;

  p.pb = list;
  count = *p.pdw;
  p.pb += sizeof(DWORD);
  left -= sizeof(DWORD);
  while (count-- > 0) {
    PCLUSPROP_PROPERTY_NAME name = p.pName;
    DWORD name_size = sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(name->cbLength);
    p.pb += name_size;
    left -= name_size;
    if (wcscmp(name->sz, L"Path") == 0) {
      CHECK(ResUtilGetSzProperty(&path, p.pStringValue, NULL, &p.pb, &left) == ERROR_SUCCESS);
    } else if (wcscmp(name->sz, L"Retries") == 0) {
      CHECK(ResUtilGetDwordProperty(&retries, p.pDwordValue, 3, 1, 10, &p.pb, &left) ==
            ERROR_SUCCESS);
    } else {
      /* Out of [1, 2]: refused, and the cursor stays on the entry. */
      before = p.pb;
      CHECK(ResUtilGetDwordProperty(&extra, p.pDwordValue, 0, 1, 2, &p.pb, &left) ==
            ERROR_INVALID_PARAMETER);
      CHECK(p.pb == before);
      CHECK(ResUtilGetDwordProperty(&extra, p.pDwordValue, 0, 0, 0, &p.pb, &left) == ERROR_SUCCESS);
    }
    CHECK(*p.pdw == CLUSPROP_SYNTAX_ENDMARK);
    p.pb += sizeof(CLUSPROP_SYNTAX);
    left -= sizeof(CLUSPROP_SYNTAX);
  }
  CHECK(left == 0);
  CHECK(path != NULL && wcscmp(path, L"/srv/data") == 0);
  CHECK(retries == 4 && extra == 9);
  LocalFree(path);

  /* A DWORD reader on a string entry: the wrong format. */
  p.pb = list + sizeof(DWORD);
  p.pb += sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(p.pName->cbLength);
  left = 64;
  CHECK(ResUtilGetDwordProperty(&retries, p.pDwordValue, 0, 0, 0, &p.pb, &left) ==
        ERROR_INVALID_PARAMETER);
}

/* ---- writing tables with bForceWrite ------------------------------------------------------ */

static void check_set_ex(void) {
  BYTE list[512];
  HKEY key = wp_test_new_resource_key();
  DWORD size = build_list(list);
  TEST_PARAMS params;

  memset(&params, 0, sizeof params);
  CHECK(ResUtilSetPropertyTableEx(key, g_props, NULL, FALSE, list, size, TRUE, NULL) ==
        ERROR_INVALID_PARAMETER); /* Extra is unknown */
  CHECK(ResUtilSetPropertyTableEx(key, g_props, NULL, TRUE, list, size, TRUE, (LPBYTE)&params) ==
        ERROR_SUCCESS);
  CHECK(query_dword(key, L"Retries", 0) == 4);
  CHECK(params.Retries == 4 && params.Path != NULL && wcscmp(params.Path, L"/srv/data") == 0);

  params.Retries = 8;
  CHECK(ResUtilSetPropertyParameterBlockEx(key, g_props, NULL, (LPBYTE)&params, NULL, 0, TRUE,
                                           NULL) == ERROR_SUCCESS);
  CHECK(query_dword(key, L"Retries", 0) == 8);
  ResUtilFreeParameterBlock((LPBYTE)&params, NULL, g_props);
}

/* ---- environment, directories, names ------------------------------------------------------ */

static void check_environment_and_directories(void) {
  LPWSTR expanded;
  WCHAR path[512];
  WCHAR name[4];
  DWORD cch = ARRAYSIZE(name);
  HRESOURCE self = wp_test_resource_handle(L"Data Share", L"File Share");

  wp_test_set_env("WP_RESUTIL_C_VAR", "abc");
  expanded = ResUtilExpandEnvironmentStrings(L"x-%WP_RESUTIL_C_VAR%-%WP_RESUTIL_C_NONE%");
  CHECK(expanded != NULL && wcscmp(expanded, L"x-abc-%WP_RESUTIL_C_NONE%") == 0);
  LocalFree(expanded);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilExpandEnvironmentStrings(NULL) == NULL);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);

  /* Backslashes, as Windows sources write them, separate directories too. */
  swprintf(path, ARRAYSIZE(path), L"%ls/one\\two/three", wp_test_scratch_dir());
  CHECK(ResUtilCreateDirectoryTree(path) == ERROR_SUCCESS);
  swprintf(path, ARRAYSIZE(path), L"%ls/one/two/three", wp_test_scratch_dir());
  CHECK(wp_test_is_directory(path));
  CHECK(ResUtilCreateDirectoryTree(path) == ERROR_SUCCESS); /* already there */
  CHECK(ResUtilCreateDirectoryTree(L"") == ERROR_INVALID_PARAMETER);

  CHECK(ResUtilGetResourceName(self, name, &cch) == ERROR_MORE_DATA);
  CHECK(cch == 10);
  {
    WCHAR full[16];
    cch = ARRAYSIZE(full);
    CHECK(ResUtilGetResourceName(self, full, &cch) == ERROR_SUCCESS);
    CHECK(cch == 10 && wcscmp(full, L"Data Share") == 0);
  }
  CHECK(ResUtilGetResourceName((HRESOURCE)NULL, name, &cch) == ERROR_INVALID_HANDLE);
}

/* ---- lookups of other resources without a cluster, and what a lab does not have --------- */

static DWORD WINAPI never_called(HRESOURCE self, HRESOURCE resource, PVOID parameter) {
  UNREFERENCED_PARAMETER(self);
  UNREFERENCED_PARAMETER(resource);
  UNREFERENCED_PARAMETER(parameter);
  CHECK(0);
  return ERROR_SUCCESS;
}

static void check_lookups_without_cluster(void) {
  HRESOURCE self = wp_test_resource_handle(L"App", L"Generic Application");
  HRESOURCE name = (HRESOURCE)1, ip = (HRESOURCE)1, quorum = (HRESOURCE)1;
  WCHAR drive[8];
  DWORD cch = ARRAYSIZE(drive);
  DWORD status;
  int logged = wp_test_refusals();

  /* The lookups go through the cluster API, whose handles these are not (a host's). */
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceDependency(self, L"Physical Disk") == NULL);
  CHECK(GetLastError() == ERROR_INVALID_HANDLE);
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetEnvironmentWithNetName(self) == NULL);
  CHECK(GetLastError() == ERROR_INVALID_HANDLE);
  CHECK(ResUtilGetResourceDependency(NULL, L"Physical Disk") == NULL);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  /* No cluster to open here: OpenCluster(NULL)'s error comes back. */
  SetLastError(ERROR_SUCCESS);
  CHECK(ResUtilGetResourceNameDependency(L"App", L"Network Name") == NULL);
  CHECK(GetLastError() != ERROR_SUCCESS && GetLastError() != ERROR_NOT_SUPPORTED);
  status = ResUtilEnumResources(NULL, L"IP Address", never_called, NULL);
  CHECK(status != ERROR_SUCCESS && status != ERROR_NOT_SUPPORTED);
  CHECK(ResUtilEnumResources(NULL, NULL, NULL, NULL) == ERROR_INVALID_PARAMETER);

  /* A lab has no drive letters and no core Cluster Name / IP Address resources. */
  CHECK(ResUtilFindDependentDiskResourceDriveLetter(NULL, self, drive, &cch) ==
        ERROR_NOT_SUPPORTED);
  CHECK(ResUtilGetCoreClusterResources(NULL, &name, &ip, &quorum) == ERROR_NOT_SUPPORTED);
  CHECK(name == NULL && ip == NULL && quorum == NULL);
  CHECK(ResUtilFreeEnvironment(NULL) == ERROR_SUCCESS);
  CHECK(wp_test_refusals() == logged + 2);
}

int main(void) {
  check_private_properties();
  check_property_items();
  check_get_property_walk();
  check_set_ex();
  check_environment_and_directories();
  check_lookups_without_cluster();
  printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
  return g_failures == 0 ? 0 : 1;
}
