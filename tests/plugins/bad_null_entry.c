/*
 * A plugin whose version 1.0 table lacks IsAlive (NULL), a required entry point: the
 * monitor must refuse the table instead of calling through a NULL pointer at the first poll.
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
  g_Table.V1Functions.IsAlive = NULL;
  *FunctionTable = &g_Table;
  return ERROR_SUCCESS;
}
