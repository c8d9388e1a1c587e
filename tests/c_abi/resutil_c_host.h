/* What the C test of the ResUtil functions needs from a host: the cluster registry key a
 * monitor would pass to Open, a resource handle, and a few things ISO C cannot do. */
#ifndef WOLFPACK_TESTS_RESUTIL_C_HOST_H
#define WOLFPACK_TESTS_RESUTIL_C_HOST_H

#include <resapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A fresh, empty resource key (the previous one is discarded). */
HKEY wp_test_new_resource_key(void);
/* A handle such as resrcmon hands a plugin. */
HRESOURCE wp_test_resource_handle(LPCWSTR name, LPCWSTR type_name);
/* How many refusals resutils has logged so far. */
int wp_test_refusals(void);
void wp_test_set_env(const char* name, const char* value);
/* A new empty directory for the test (wide, no trailing separator); removed at exit. */
LPCWSTR wp_test_scratch_dir(void);
BOOL wp_test_is_directory(LPCWSTR path);

#ifdef __cplusplus
}
#endif

#endif
