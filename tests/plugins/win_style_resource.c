/*
 * A resource DLL written the way Windows resource DLLs are written, built here without a
 * single change: <windows.h>, <resapi.h> and <tchar.h>, a DllMain, a property table over a
 * parameter block, a ClusWorker thread for a pending Online that reports progress with a
 * rising CheckPoint, LogEvent with FormatMessage inserts, a Terminate declared as returning
 * DWORD, and one Startup serving two resource types.
 *
 * Private properties (Parameters key):
 *   Path        SZ, required        checked with ResUtilIsPathValid
 *   OnlineSteps DWORD 0..50 (3)     progress reports before Online
 *   StepMs      DWORD 1..5000 (50)  time between reports
 *   Bias        DWORD signed -10..10 (0)
 *   Serial      DWORD read-only (7)
 * "Win Style Mirror" resources behave the same and log their type.
 */
#include <windows.h>

#include <clusapi.h>
#include <resapi.h>
#include <tchar.h>

#define WINSTYLE_TYPE_NAME L"Win Style"
#define WINSTYLE_MIRROR_TYPE_NAME L"Win Style Mirror"

#define PARAM_NAME__PATH L"Path"
#define PARAM_NAME__ONLINESTEPS L"OnlineSteps"
#define PARAM_NAME__STEPMS L"StepMs"
#define PARAM_NAME__BIAS L"Bias"
#define PARAM_NAME__SERIAL L"Serial"

typedef struct WINSTYLE_PARAMS {
  PWSTR Path;
  DWORD OnlineSteps;
  DWORD StepMs;
  DWORD Bias;
  DWORD Serial;
} WINSTYLE_PARAMS, *PWINSTYLE_PARAMS;

typedef struct WINSTYLE_RESOURCE {
  RESID ResId; /* for validation */
  WINSTYLE_PARAMS Params;
  HKEY ParametersKey;
  RESOURCE_HANDLE ResourceHandle;
  LPWSTR ResourceName;
  BOOL Mirror;
  CLUS_WORKER OnlineThread;
  CLUSTER_RESOURCE_STATE State;
} WINSTYLE_RESOURCE, *PWINSTYLE_RESOURCE;

/* Written as Microsoft's samples write it: the default without braces of its own. */
static RESUTIL_PROPERTY_ITEM WinStyleResourcePrivateProperties[] = {
    {PARAM_NAME__PATH, NULL, CLUSPROP_FORMAT_SZ, 0, 0, 0, RESUTIL_PROPITEM_REQUIRED,
     FIELD_OFFSET(WINSTYLE_PARAMS, Path)},
    {PARAM_NAME__ONLINESTEPS, NULL, CLUSPROP_FORMAT_DWORD, 3, 0, 50, 0,
     FIELD_OFFSET(WINSTYLE_PARAMS, OnlineSteps)},
    {PARAM_NAME__STEPMS, NULL, CLUSPROP_FORMAT_DWORD, 50, 1, 5000, 0,
     FIELD_OFFSET(WINSTYLE_PARAMS, StepMs)},
    {PARAM_NAME__BIAS, NULL, CLUSPROP_FORMAT_DWORD, 0, (DWORD)-10, 10, RESUTIL_PROPITEM_SIGNED,
     FIELD_OFFSET(WINSTYLE_PARAMS, Bias)},
    {PARAM_NAME__SERIAL, NULL, CLUSPROP_FORMAT_DWORD, 7, 0, 0, RESUTIL_PROPITEM_READ_ONLY,
     FIELD_OFFSET(WINSTYLE_PARAMS, Serial)},
    {0}};

static PLOG_EVENT_ROUTINE g_LogEvent = NULL;
static PSET_RESOURCE_STATUS_ROUTINE g_SetResourceStatus = NULL;
static LONG g_ProcessAttached = 0;

extern CLRES_FUNCTION_TABLE WinStyleFunctionTable;
extern CLRES_FUNCTION_TABLE WinStyleMirrorFunctionTable;

BOOL WINAPI DllMain(HINSTANCE DllHandle, DWORD Reason, LPVOID Reserved) {
  UNREFERENCED_PARAMETER(Reserved);
  switch (Reason) {
    case DLL_PROCESS_ATTACH:
      if (!DisableThreadLibraryCalls(DllHandle))
        return FALSE;
      g_ProcessAttached = 1;
      break;
    case DLL_PROCESS_DETACH:
      g_ProcessAttached = 0;
      break;
    default:
      break;
  }
  return TRUE;
}

DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported, DWORD MaxVersionSupported,
                     PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus, PLOG_EVENT_ROUTINE LogEvent,
                     PCLRES_FUNCTION_TABLE* FunctionTable) {
  if (MinVersionSupported > CLRES_VERSION_V1_00 || MaxVersionSupported < CLRES_VERSION_V1_00)
    return ERROR_REVISION_MISMATCH;
  /* Exact comparison, as Microsoft's samples do: "Win Style " is not "Win Style". */
  if (lstrcmpW(ResourceType, WINSTYLE_TYPE_NAME) != 0 &&
      lstrcmpW(ResourceType, WINSTYLE_MIRROR_TYPE_NAME) != 0)
    return ERROR_CLUSTER_RESNAME_NOT_FOUND;
  if (!g_ProcessAttached)
    return ERROR_DLL_INIT_FAILED; /* DllMain was not called */
  if (g_LogEvent == NULL) {
    g_LogEvent = LogEvent;
    g_SetResourceStatus = SetResourceStatus;
  }
  if (lstrcmpW(ResourceType, WINSTYLE_MIRROR_TYPE_NAME) == 0)
    *FunctionTable = &WinStyleMirrorFunctionTable;
  else
    *FunctionTable = &WinStyleFunctionTable;
  (g_LogEvent)(NULL, LOG_INFORMATION, L"Startup for type '%1' (%2!u! characters).\n", ResourceType,
               (DWORD)_tcslen(ResourceType));
  return ERROR_SUCCESS;
}

static RESID WinStyleOpenResource(LPCWSTR ResourceName, HKEY ResourceKey,
                                  RESOURCE_HANDLE ResourceHandle, BOOL Mirror) {
  DWORD status;
  HKEY parametersKey = NULL;
  PWINSTYLE_RESOURCE resourceEntry;
  HKEY resourceKey = ResourceKey;

  status = ClusterRegOpenKey(resourceKey, L"Parameters", KEY_ALL_ACCESS, &parametersKey);
  if (status != ERROR_SUCCESS) {
    (g_LogEvent)(ResourceHandle, LOG_ERROR, L"Unable to open Parameters key. Error: %1!u!.\n",
                 status);
    SetLastError(status);
    return NULL;
  }
  resourceEntry = (PWINSTYLE_RESOURCE)LocalAlloc(LMEM_FIXED, sizeof(WINSTYLE_RESOURCE));
  if (resourceEntry == NULL) {
    status = GetLastError();
    ClusterRegCloseKey(parametersKey);
    SetLastError(status);
    return NULL;
  }
  ZeroMemory(resourceEntry, sizeof(WINSTYLE_RESOURCE));
  resourceEntry->ResId = (RESID)resourceEntry;
  resourceEntry->ResourceHandle = ResourceHandle;
  resourceEntry->ParametersKey = parametersKey;
  resourceEntry->State = ClusterResourceOffline;
  resourceEntry->ResourceName = ResUtilDupString(ResourceName);
  resourceEntry->Mirror = Mirror;
  (g_LogEvent)(ResourceHandle, LOG_INFORMATION, L"Open %1 (name length %2!u!).\n",
               resourceEntry->ResourceName, (DWORD)_tcslen(resourceEntry->ResourceName));
  return (RESID)resourceEntry;
}

static RESID WINAPI WinStyleOpen(LPCWSTR ResourceName, HKEY ResourceKey,
                                 RESOURCE_HANDLE ResourceHandle) {
  return WinStyleOpenResource(ResourceName, ResourceKey, ResourceHandle, FALSE);
}

static RESID WINAPI WinStyleMirrorOpen(LPCWSTR ResourceName, HKEY ResourceKey,
                                       RESOURCE_HANDLE ResourceHandle) {
  return WinStyleOpenResource(ResourceName, ResourceKey, ResourceHandle, TRUE);
}

static VOID WINAPI WinStyleClose(RESID ResourceId) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  if (resourceEntry == NULL)
    return;
  ClusWorkerTerminate(&resourceEntry->OnlineThread);
  ClusterRegCloseKey(resourceEntry->ParametersKey);
  ResUtilFreeParameterBlock((LPBYTE)&resourceEntry->Params, NULL,
                            WinStyleResourcePrivateProperties);
  LocalFree(resourceEntry->ResourceName);
  LocalFree(resourceEntry);
}

static DWORD WINAPI WinStyleOnlineThread(PCLUS_WORKER WorkerPtr, PWINSTYLE_RESOURCE ResourceEntry) {
  RESOURCE_STATUS resourceStatus;
  DWORD step;

  ResUtilInitializeResourceStatus(&resourceStatus);
  resourceStatus.ResourceState = ClusterResourceOnlinePending;
  for (step = 1; step <= ResourceEntry->Params.OnlineSteps; ++step) {
    Sleep(ResourceEntry->Params.StepMs);
    if (ClusWorkerCheckTerminate(WorkerPtr)) {
      (g_LogEvent)(ResourceEntry->ResourceHandle, LOG_WARNING,
                   L"Online of %1 abandoned at step %2!u!.\n", ResourceEntry->ResourceName, step);
      return ERROR_OPERATION_ABORTED;
    }
    resourceStatus.CheckPoint = step;
    resourceStatus.WaitHint = ResourceEntry->Params.StepMs * 2;
    if ((g_SetResourceStatus)(ResourceEntry->ResourceHandle, &resourceStatus) ==
        ResourceExitStateTerminate)
      return ERROR_OPERATION_ABORTED;
  }
  ResourceEntry->State = ClusterResourceOnline;
  resourceStatus.ResourceState = ClusterResourceOnline;
  resourceStatus.CheckPoint = step;
  resourceStatus.WaitHint = 0;
  (g_SetResourceStatus)(ResourceEntry->ResourceHandle, &resourceStatus);
  (g_LogEvent)(ResourceEntry->ResourceHandle, LOG_INFORMATION, L"%1 is online at %2 (%3).\n",
               ResourceEntry->ResourceName, ResourceEntry->Params.Path,
               ResourceEntry->Mirror ? WINSTYLE_MIRROR_TYPE_NAME : WINSTYLE_TYPE_NAME);
  return ERROR_SUCCESS;
}

static DWORD WINAPI WinStyleOnline(RESID ResourceId, PHANDLE EventHandle) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  DWORD status;
  LPWSTR nameOfPropInError = NULL;

  UNREFERENCED_PARAMETER(EventHandle);
  status = ResUtilGetPropertiesToParameterBlock(
      resourceEntry->ParametersKey, WinStyleResourcePrivateProperties,
      (LPBYTE)&resourceEntry->Params, TRUE, &nameOfPropInError);
  if (status != ERROR_SUCCESS) {
    (g_LogEvent)(resourceEntry->ResourceHandle, LOG_ERROR,
                 L"Unable to read the '%1' property. Error: %2!u!.\n",
                 (nameOfPropInError == NULL ? L"" : nameOfPropInError), status);
    return status;
  }
  if (!ResUtilIsPathValid(resourceEntry->Params.Path)) {
    (g_LogEvent)(resourceEntry->ResourceHandle, LOG_ERROR, L"Path '%1' is not valid.\n",
                 resourceEntry->Params.Path);
    return ERROR_INVALID_PARAMETER;
  }
  ClusWorkerTerminate(&resourceEntry->OnlineThread);
  resourceEntry->State = ClusterResourceOnlinePending;
  status = ClusWorkerCreate(&resourceEntry->OnlineThread,
                            (PWORKER_START_ROUTINE)WinStyleOnlineThread, resourceEntry);
  if (status != ERROR_SUCCESS) {
    resourceEntry->State = ClusterResourceFailed;
    (g_LogEvent)(resourceEntry->ResourceHandle, LOG_ERROR,
                 L"Unable to start the online thread. Error: %1!u!.\n", status);
    return status;
  }
  (g_LogEvent)(resourceEntry->ResourceHandle, LOG_INFORMATION,
               L"Online of %1 pending: %2!u! steps of %3!u! ms, bias %4!d!.\n",
               resourceEntry->ResourceName, resourceEntry->Params.OnlineSteps,
               resourceEntry->Params.StepMs, (int)resourceEntry->Params.Bias);
  return ERROR_IO_PENDING;
}

static DWORD WINAPI WinStyleOffline(RESID ResourceId) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  ClusWorkerTerminate(&resourceEntry->OnlineThread);
  resourceEntry->State = ClusterResourceOffline;
  (g_LogEvent)(resourceEntry->ResourceHandle, LOG_INFORMATION, L"%1 is offline.\n",
               resourceEntry->ResourceName);
  return ERROR_SUCCESS;
}

/* Declared returning DWORD, as many real DLLs do. */
static DWORD WINAPI WinStyleTerminate(RESID ResourceId) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  ClusWorkerTerminate(&resourceEntry->OnlineThread);
  resourceEntry->State = ClusterResourceOffline;
  (g_LogEvent)(resourceEntry->ResourceHandle, LOG_INFORMATION, L"%1 terminated.\n",
               resourceEntry->ResourceName);
  return ERROR_SUCCESS;
}

static BOOL WINAPI WinStyleIsAlive(RESID ResourceId) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  return resourceEntry->State == ClusterResourceOnline;
}

static BOOL WINAPI WinStyleLooksAlive(RESID ResourceId) {
  return WinStyleIsAlive(ResourceId);
}

/* Checks a property list against the table and the DLL's own rules; the new values land
 * in *Params (the current ones with the list applied, freed by the caller). */
static DWORD WinStyleValidatePrivateResProperties(PWINSTYLE_RESOURCE ResourceEntry, PVOID InBuffer,
                                                  DWORD InBufferSize, PWINSTYLE_PARAMS Params) {
  DWORD status;
  LPWSTR newPath = NULL;

  if (InBuffer == NULL || InBufferSize < sizeof(DWORD))
    return ERROR_INVALID_DATA;
  /* Start from what the cluster database holds now (defaults for what it does not). */
  ZeroMemory(Params, sizeof(WINSTYLE_PARAMS));
  status = ResUtilGetPropertiesToParameterBlock(
      ResourceEntry->ParametersKey, WinStyleResourcePrivateProperties, (LPBYTE)Params, FALSE, NULL);
  if (status != ERROR_SUCCESS) {
    ResUtilFreeParameterBlock((LPBYTE)Params, (LPBYTE)&ResourceEntry->Params,
                              WinStyleResourcePrivateProperties);
    return status;
  }
  status = ResUtilVerifyPropertyTable(WinStyleResourcePrivateProperties, NULL, TRUE, InBuffer,
                                      InBufferSize, (LPBYTE)Params);
  if (status == ERROR_SUCCESS &&
      ResUtilFindSzProperty(InBuffer, InBufferSize, PARAM_NAME__PATH, &newPath) == ERROR_SUCCESS) {
    if (!ResUtilIsPathValid(newPath)) {
      (g_LogEvent)(ResourceEntry->ResourceHandle, LOG_ERROR, L"Invalid path '%1'.\n", newPath);
      status = ERROR_INVALID_PARAMETER;
    }
    LocalFree(newPath);
  }
  if (status != ERROR_SUCCESS) {
    ResUtilFreeParameterBlock((LPBYTE)Params, (LPBYTE)&ResourceEntry->Params,
                              WinStyleResourcePrivateProperties);
  }
  return status;
}

static DWORD WinStyleSetPrivateResProperties(PWINSTYLE_RESOURCE ResourceEntry, PVOID InBuffer,
                                             DWORD InBufferSize) {
  WINSTYLE_PARAMS params;
  DWORD status =
      WinStyleValidatePrivateResProperties(ResourceEntry, InBuffer, InBufferSize, &params);
  if (status != ERROR_SUCCESS)
    return status;
  status = ResUtilSetPropertyParameterBlock(
      ResourceEntry->ParametersKey, WinStyleResourcePrivateProperties, NULL, (LPBYTE)&params,
      InBuffer, InBufferSize, (LPBYTE)&ResourceEntry->Params);
  ResUtilFreeParameterBlock((LPBYTE)&params, (LPBYTE)&ResourceEntry->Params,
                            WinStyleResourcePrivateProperties);
  if (status == ERROR_SUCCESS && ResourceEntry->State == ClusterResourceOnline)
    status = ERROR_RESOURCE_PROPERTIES_STORED;
  return status;
}

static DWORD WINAPI WinStyleResourceControl(RESID ResourceId, DWORD ControlCode, PVOID InBuffer,
                                            DWORD InBufferSize, PVOID OutBuffer,
                                            DWORD OutBufferSize, LPDWORD BytesReturned) {
  PWINSTYLE_RESOURCE resourceEntry = (PWINSTYLE_RESOURCE)ResourceId;
  DWORD status;
  DWORD required = 0;
  WINSTYLE_PARAMS params;

  switch (ControlCode) {
    case CLUSCTL_RESOURCE_UNKNOWN:
      *BytesReturned = 0;
      status = ERROR_SUCCESS;
      break;
    case CLUSCTL_RESOURCE_ENUM_PRIVATE_PROPERTIES:
      status = ResUtilEnumProperties(WinStyleResourcePrivateProperties, (LPWSTR)OutBuffer,
                                     OutBufferSize, BytesReturned, &required);
      if (status == ERROR_MORE_DATA)
        *BytesReturned = required;
      break;
    case CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES:
      status =
          ResUtilGetAllProperties(resourceEntry->ParametersKey, WinStyleResourcePrivateProperties,
                                  OutBuffer, OutBufferSize, BytesReturned, &required);
      if (status == ERROR_MORE_DATA)
        *BytesReturned = required;
      break;
    case CLUSCTL_RESOURCE_VALIDATE_PRIVATE_PROPERTIES:
      status = WinStyleValidatePrivateResProperties(resourceEntry, InBuffer, InBufferSize, &params);
      if (status == ERROR_SUCCESS)
        ResUtilFreeParameterBlock((LPBYTE)&params, (LPBYTE)&resourceEntry->Params,
                                  WinStyleResourcePrivateProperties);
      break;
    case CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES:
      status = WinStyleSetPrivateResProperties(resourceEntry, InBuffer, InBufferSize);
      break;
    default:
      status = ERROR_INVALID_FUNCTION;
      break;
  }
  return status;
}

static DWORD WINAPI WinStyleResourceTypeControl(LPCWSTR ResourceTypeName, DWORD ControlCode,
                                                PVOID InBuffer, DWORD InBufferSize, PVOID OutBuffer,
                                                DWORD OutBufferSize, LPDWORD BytesReturned) {
  DWORD status;
  DWORD required = 0;
  UNREFERENCED_PARAMETER(ResourceTypeName);
  UNREFERENCED_PARAMETER(InBuffer);
  UNREFERENCED_PARAMETER(InBufferSize);
  switch (ControlCode) {
    case CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS:
      status = ResUtilGetPropertyFormats(WinStyleResourcePrivateProperties, OutBuffer,
                                         OutBufferSize, BytesReturned, &required);
      if (status == ERROR_MORE_DATA)
        *BytesReturned = required;
      break;
    default:
      status = ERROR_INVALID_FUNCTION;
      break;
  }
  return status;
}

CLRES_V1_FUNCTION_TABLE(WinStyleFunctionTable, CLRES_VERSION_V1_00, WinStyle, NULL, NULL,
                        WinStyleResourceControl, WinStyleResourceTypeControl);

/* The mirror type shares every entry point but Open. */
#define WinStyleMirrorClose WinStyleClose
#define WinStyleMirrorOnline WinStyleOnline
#define WinStyleMirrorOffline WinStyleOffline
#define WinStyleMirrorTerminate WinStyleTerminate
#define WinStyleMirrorLooksAlive WinStyleLooksAlive
#define WinStyleMirrorIsAlive WinStyleIsAlive
CLRES_V1_FUNCTION_TABLE(WinStyleMirrorFunctionTable, CLRES_VERSION_V1_00, WinStyleMirror, NULL,
                        NULL, WinStyleResourceControl, WinStyleResourceTypeControl);
