#include "trivial_resource.h"

#include <stdlib.h>

typedef struct TRIVIAL_RESOURCE {
  RESOURCE_HANDLE Handle;
  volatile LONG Online; /* see c_minimal.c: Terminate may overlap a poll */
} TRIVIAL_RESOURCE, *PTRIVIAL_RESOURCE;

RESID WINAPI TrivialOpen(LPCWSTR ResourceName, HKEY ResourceKey, RESOURCE_HANDLE ResourceHandle) {
  PTRIVIAL_RESOURCE resource;
  UNREFERENCED_PARAMETER(ResourceName);
  UNREFERENCED_PARAMETER(ResourceKey);
  resource = (PTRIVIAL_RESOURCE)malloc(sizeof(*resource));
  if (resource == NULL) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  resource->Handle = ResourceHandle;
  resource->Online = FALSE;
  return (RESID)resource;
}

VOID WINAPI TrivialClose(RESID Resource) {
  free(Resource);
}

DWORD WINAPI TrivialOnline(RESID Resource, LPHANDLE EventHandle) {
  if (EventHandle != NULL)
    *EventHandle = NULL;
  ((PTRIVIAL_RESOURCE)Resource)->Online = TRUE;
  return ERROR_SUCCESS;
}

DWORD WINAPI TrivialOffline(RESID Resource) {
  ((PTRIVIAL_RESOURCE)Resource)->Online = FALSE;
  return ERROR_SUCCESS;
}

VOID WINAPI TrivialTerminate(RESID Resource) {
  ((PTRIVIAL_RESOURCE)Resource)->Online = FALSE;
}

BOOL WINAPI TrivialLooksAlive(RESID Resource) {
  return ((PTRIVIAL_RESOURCE)Resource)->Online ? TRUE : FALSE;
}

BOOL WINAPI TrivialIsAlive(RESID Resource) {
  return ((PTRIVIAL_RESOURCE)Resource)->Online ? TRUE : FALSE;
}

void TrivialFillTable(PCLRES_FUNCTION_TABLE Table) {
  Table->TableSize = CLRES_V1_FUNCTION_SIZE;
  Table->Version = CLRES_VERSION_V1_00;
  Table->V1Functions.Open = TrivialOpen;
  Table->V1Functions.Close = TrivialClose;
  Table->V1Functions.Online = TrivialOnline;
  Table->V1Functions.Offline = TrivialOffline;
  Table->V1Functions.Terminate = TrivialTerminate;
  Table->V1Functions.LooksAlive = TrivialLooksAlive;
  Table->V1Functions.IsAlive = TrivialIsAlive;
  Table->V1Functions.Arbitrate = NULL;
  Table->V1Functions.Release = NULL;
  Table->V1Functions.ResourceControl = NULL;
  Table->V1Functions.ResourceTypeControl = NULL;
}
