/*
 * A plugin whose Startup refuses to start (ERROR_GEN_FAILURE) without returning a table.
 */
#include "trivial_resource.h"

WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable) {
  UNREFERENCED_PARAMETER(ResourceType);
  UNREFERENCED_PARAMETER(MinVersionSupported);
  UNREFERENCED_PARAMETER(MaxVersionSupported);
  UNREFERENCED_PARAMETER(SetResourceStatus);
  UNREFERENCED_PARAMETER(LogEvent);
  UNREFERENCED_PARAMETER(FunctionTable);
  return ERROR_GEN_FAILURE;
}
