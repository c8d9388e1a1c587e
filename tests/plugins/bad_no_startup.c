/*
 * A plugin whose author misspelled the one export: it offers "StartUp", and symbol lookup
 * is case-sensitive, so there is no "Startup". The monitor must refuse it by name.
 */
#include "trivial_resource.h"

static CLRES_FUNCTION_TABLE g_Table;

WP_EXPORT DWORD WINAPI StartUp(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable) {
  UNREFERENCED_PARAMETER(ResourceType);
  UNREFERENCED_PARAMETER(MinVersionSupported);
  UNREFERENCED_PARAMETER(MaxVersionSupported);
  UNREFERENCED_PARAMETER(SetResourceStatus);
  UNREFERENCED_PARAMETER(LogEvent);
  TrivialFillTable(&g_Table);
  *FunctionTable = &g_Table;
  return ERROR_SUCCESS;
}
