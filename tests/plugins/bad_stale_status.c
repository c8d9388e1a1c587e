/*
 * "StaleStatus": a resource type whose Online calls SetResourceStatus and LogEvent with a
 * RESOURCE_HANDLE that the monitor never gave out, then succeeds. The monitor must ignore
 * both calls with a logged warning, and the resource must still come online.
 */
#include "trivial_resource.h"

#include <string.h>

/* Far from the small integers the monitor hands out as handles. */
#define STALE_STATUS_HANDLE ((RESOURCE_HANDLE)(UINT_PTR)0x5EADBEEFu)
#define STALE_LOG_HANDLE ((RESOURCE_HANDLE)(UINT_PTR)0x5EADBEF0u)

static CLRES_FUNCTION_TABLE g_Table;
static PSET_RESOURCE_STATUS_ROUTINE g_SetResourceStatus = NULL;
static PLOG_EVENT_ROUTINE g_LogEvent = NULL;

static DWORD WINAPI StaleOnline(RESID Resource, LPHANDLE EventHandle) {
  RESOURCE_STATUS status;
  memset(&status, 0, sizeof status);
  status.ResourceState = ClusterResourceOnline;
  status.CheckPoint = 1;
  if (g_SetResourceStatus != NULL)
    (void)g_SetResourceStatus(STALE_STATUS_HANDLE, &status);
  if (g_LogEvent != NULL)
    g_LogEvent(STALE_LOG_HANDLE, LOG_WARNING, L"StaleStatus: logging with a made-up handle");
  return TrivialOnline(Resource, EventHandle);
}

WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable) {
  UNREFERENCED_PARAMETER(ResourceType);
  if (MinVersionSupported > CLRES_VERSION_V1_00 || MaxVersionSupported < CLRES_VERSION_V1_00) {
    return ERROR_REVISION_MISMATCH;
  }
  g_SetResourceStatus = SetResourceStatus;
  g_LogEvent = LogEvent;
  TrivialFillTable(&g_Table);
  g_Table.V1Functions.Online = StaleOnline;
  *FunctionTable = &g_Table;
  return ERROR_SUCCESS;
}
