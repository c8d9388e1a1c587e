/*
 * CMinimal: the smallest complete resource type, written in C99 against the Windows-named
 * headers, to prove that a plain C plugin builds and runs in resrcmon and in its harness.
 *
 * Each resource is a malloc'd struct with an "online" flag. Online and Offline are
 * synchronous (they return ERROR_SUCCESS at once); LooksAlive and IsAlive say TRUE while the
 * flag is set. ResourceControl and ResourceTypeControl are NULL on purpose, so that every
 * control code gets the monitor's default processing.
 */
#include <clusapi.h>
#include <resapi.h>
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef WP_EXPORT
#define WP_EXPORT
#endif

typedef struct CMINIMAL_RESOURCE {
  RESOURCE_HANDLE Handle;
  LPWSTR Name;
  /* Terminate is the one call that may overlap another call into the same resource; it
   * only stores FALSE here, which LooksAlive and IsAlive read as a single word. */
  volatile LONG Online;
} CMINIMAL_RESOURCE, *PCMINIMAL_RESOURCE;

static PLOG_EVENT_ROUTINE g_LogEvent = NULL;

static void CMinimalLog(PCMINIMAL_RESOURCE Resource, LOG_LEVEL Level, LPCWSTR Message) {
  /* No inserts: the message is a fixed string, so a '%' can never be taken for one. */
  if (g_LogEvent != NULL)
    g_LogEvent(Resource->Handle, Level, Message);
}

static RESID WINAPI CMinimalOpen(LPCWSTR ResourceName, HKEY ResourceKey,
                                 RESOURCE_HANDLE ResourceHandle) {
  PCMINIMAL_RESOURCE resource;
  size_t length;

  UNREFERENCED_PARAMETER(ResourceKey);
  if (ResourceName == NULL) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  resource = (PCMINIMAL_RESOURCE)malloc(sizeof(*resource));
  if (resource == NULL) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  length = wcslen(ResourceName);
  resource->Name = (LPWSTR)malloc((length + 1) * sizeof(WCHAR));
  if (resource->Name == NULL) {
    free(resource);
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  memcpy(resource->Name, ResourceName, (length + 1) * sizeof(WCHAR));
  resource->Handle = ResourceHandle;
  resource->Online = FALSE;
  return (RESID)resource;
}

static VOID WINAPI CMinimalClose(RESID Resource) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  if (resource == NULL)
    return;
  free(resource->Name);
  free(resource);
}

static DWORD WINAPI CMinimalOnline(RESID Resource, LPHANDLE EventHandle) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  if (EventHandle != NULL)
    *EventHandle = NULL;
  resource->Online = TRUE;
  CMinimalLog(resource, LOG_INFORMATION, L"CMinimal: online");
  return ERROR_SUCCESS;
}

static DWORD WINAPI CMinimalOffline(RESID Resource) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  resource->Online = FALSE;
  CMinimalLog(resource, LOG_INFORMATION, L"CMinimal: offline");
  return ERROR_SUCCESS;
}

static VOID WINAPI CMinimalTerminate(RESID Resource) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  resource->Online = FALSE;
}

static BOOL WINAPI CMinimalLooksAlive(RESID Resource) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  return resource->Online ? TRUE : FALSE;
}

static BOOL WINAPI CMinimalIsAlive(RESID Resource) {
  PCMINIMAL_RESOURCE resource = (PCMINIMAL_RESOURCE)Resource;
  return resource->Online ? TRUE : FALSE;
}

/* Microsoft's macro: the table is built from CMinimalOpen, CMinimalClose, ... */
CLRES_V1_FUNCTION_TABLE(g_CMinimalFunctionTable, CLRES_VERSION_V1_00, CMinimal, NULL, NULL, NULL,
                        NULL);

/* ASCII case-insensitive comparison of wide strings (wcscasecmp is not ISO C). */
static int CMinimalTypeNameMatches(LPCWSTR Name) {
  static const WCHAR expected[] = L"CMinimal";
  size_t i;
  if (Name == NULL)
    return 0;
  for (i = 0; expected[i] != L'\0'; ++i) {
    WCHAR a = Name[i];
    WCHAR b = expected[i];
    if (a >= L'A' && a <= L'Z')
      a = (WCHAR)(a - L'A' + L'a');
    if (b >= L'A' && b <= L'Z')
      b = (WCHAR)(b - L'A' + L'a');
    if (a != b)
      return 0;
  }
  return Name[i] == L'\0';
}

WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable) {
  /* Online and Offline never pend, so there is nothing to report with SetResourceStatus. */
  UNREFERENCED_PARAMETER(SetResourceStatus);
  if (MinVersionSupported > CLRES_VERSION_V1_00 || MaxVersionSupported < CLRES_VERSION_V1_00) {
    return ERROR_REVISION_MISMATCH;
  }
  if (!CMinimalTypeNameMatches(ResourceType))
    return ERROR_CLUSTER_RESNAME_NOT_FOUND;
  if (FunctionTable == NULL)
    return ERROR_INVALID_PARAMETER;
  g_LogEvent = LogEvent;
  *FunctionTable = &g_CMinimalFunctionTable;
  return ERROR_SUCCESS;
}
