/*
 * A plugin whose table claims version 0x300, which the monitor (version 1.0 only) must
 * refuse even though Startup succeeds.
 */
#include "trivial_resource.h"

static CLRES_FUNCTION_TABLE g_Table;

WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable) {
  UNREFERENCED_PARAMETER(ResourceType);
  UNREFERENCED_PARAMETER(MinVersionSupported);
  UNREFERENCED_PARAMETER(MaxVersionSupported);
  UNREFERENCED_PARAMETER(SetResourceStatus);
  UNREFERENCED_PARAMETER(LogEvent);
  TrivialFillTable(&g_Table);
  g_Table.Version = 0x300;
  *FunctionTable = &g_Table;
  return ERROR_SUCCESS;
}
