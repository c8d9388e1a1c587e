/*
 * What the parts of clusapi_c_test share: the CHECK/REQUIRE macros (counted in g_checks and
 * g_failures, defined in clusapi_c_test.c), and the entry points of the parts in other files.
 */
#ifndef CLUSAPI_CHECK_H
#define CLUSAPI_CHECK_H

#include <clusapi.h>
#include <windows.h>

#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "c_check.h" /* CHECK, g_checks, g_failures: tests/c_abi */

/* Two DWORDs that must be equal; both values are printed when they are not. */
#define CHECK_EQ(actual, expected)                                                                 \
  do {                                                                                             \
    unsigned long a_ = (unsigned long)(actual), e_ = (unsigned long)(expected);                    \
    ++g_checks;                                                                                    \
    if (a_ != e_) {                                                                                \
      ++g_failures;                                                                                \
      fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lu != %lu)\n", __FILE__, __LINE__, #actual, \
              #expected, a_, e_);                                                                  \
    }                                                                                              \
  } while (0)

#define CHECK_WSTR(actual, expected)                                                            \
  do {                                                                                          \
    ++g_checks;                                                                                 \
    if (wcscmp((actual), (expected)) != 0) {                                                    \
      ++g_failures;                                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s == \"%ls\" (got \"%ls\")\n", __FILE__, __LINE__, \
              #actual, (expected), (actual));                                                   \
    }                                                                                           \
  } while (0)

/* Stop here: what follows depends on it. */
#define REQUIRE(cond)                                                                            \
  do {                                                                                           \
    ++g_checks;                                                                                  \
    if (!(cond)) {                                                                               \
      fprintf(stderr, "%s:%d: REQUIRE failed: %s (last error %lu)\n", __FILE__, __LINE__, #cond, \
              (unsigned long)GetLastError());                                                    \
      return 1;                                                                                  \
    }                                                                                            \
  } while (0)

/* Defines `static int NAME(HANDLE_TYPE e, DWORD type, const WCHAR* name)`: how many entries of
   an enumeration carry `name` with `type`, through its GetEnumCount and Enum functions. */
#define DEFINE_COUNT_IN_ENUM(NAME, HANDLE_TYPE, GET_COUNT, GET_ENTRY)        \
  static int NAME(HANDLE_TYPE e, DWORD type, const WCHAR* name) {            \
    DWORD i, found = 0, count = GET_COUNT(e);                                \
    for (i = 0; i < count; ++i) {                                            \
      WCHAR buffer[256];                                                     \
      DWORD cch = 256, t = 0;                                                \
      if (GET_ENTRY(e, i, &t, buffer, &cch) == ERROR_SUCCESS && t == type && \
          wcscmp(buffer, name) == 0) {                                       \
        ++found;                                                             \
      }                                                                      \
    }                                                                        \
    return (int)found;                                                       \
  }

/* ASCII text as WCHARs, cut to `capacity` characters with the terminator. */
void widen(const char* text, WCHAR* out, size_t capacity);

/* clusapi_c_admin.c: node pause/resume/evict and enumeration, renames, preferred and possible
   owners, moving resources between groups, resource types. Each returns nonzero when it
   stopped early. */
int check_node_admin(HCLUSTER cluster, const WCHAR* node_name);
int check_settings(HCLUSTER cluster, const WCHAR* node_name);
int check_resource_types(HCLUSTER cluster, const WCHAR* node_name);
/* Three nodes, one of them stopped: evicting it, and not the one that is up. */
int check_evict(const WCHAR* address, const WCHAR* evicted, const WCHAR* active);
/* A property list writer, as a C client would have (clusapi_c_controls.c): start_list, then
   one add_* per property. */
typedef struct {
  BYTE data[1024];
  DWORD size;
} proplist;
void start_list(proplist* p, DWORD count);
void add_dword(proplist* p, const WCHAR* name, DWORD value);
void add_sz(proplist* p, const WCHAR* name, const WCHAR* value);

/* clusapi_c_admin.c, the --evict run before check_evict: a group moves and comes back. */
int check_move(const WCHAR* address, const WCHAR* stopped, const WCHAR* active);
/* clusapi_c_notify.c: reads notifications until one of `filter` for `name` comes (others are
   passed over) or `timeout_ms` passes; its key, or (DWORD_PTR)-1. */
DWORD_PTR wait_notify(HCHANGE port, DWORD filter, const WCHAR* name, DWORD timeout_ms);
/* clusapi_c_networks.c: before and after check_evict. */
int check_networks(const WCHAR* address, const WCHAR* stopped, const WCHAR* active);
int check_networks_after_evict(const WCHAR* address, const WCHAR* evicted, const WCHAR* active);

/* clusapi_c_controls.c: the control code functions on every kind of object. */
int check_controls(HCLUSTER cluster, const WCHAR* node_name);

/* clusapi_c_registry.c: GetClusterKey, the object keys and the ClusterReg* functions on them. */
int check_registry(HCLUSTER cluster, const WCHAR* node_name);

/* clusapi_c_resutils.c: the ResUtil lookups of other resources over the cluster API. */
int check_resutils(HCLUSTER cluster);

/* clusapi_c_notify.c: notification ports. */
int check_notify(HCLUSTER cluster);

#endif
