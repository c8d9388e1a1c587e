/*
 * The Resource API: the C ABI between the resource monitor (resrcmon) and a resource
 * DLL (plugin), version 1 as Microsoft documents it in resapi.h.
 *
 * A plugin exports one function, Startup (STARTUP_ROUTINE), which the monitor calls with
 * the resource type name, the range of API versions it accepts and two callbacks; the
 * plugin answers with a CLRES_FUNCTION_TABLE holding its entry points. Wolfpack's monitor
 * supports CLRES_VERSION_V1_00; the version 2 types are declared so the table union has
 * Microsoft's shape.
 *
 * Every entry point and callback is WINAPI: __stdcall on 32-bit Windows, the platform's C
 * convention elsewhere. Strings are WCHAR (wchar_t) strings.
 */
#pragma once
#ifndef WOLFPACK_RESAPI_H
#define WOLFPACK_RESAPI_H

#include "wolfpack/clusapi.h"
#include "wolfpack/win_base.h"
#include "wolfpack/win_types.h"
#include "wolfpack/winerror.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== versions and the exported entry point's name ====================================== */
#define STARTUP_ROUTINE "Startup"
#define STARTUP_EX_ROUTINE "StartupEx"

#define CLRES_VERSION_V1_00 0x100
#define CLRES_VERSION_V2_00 0x200

#define CLRES_V1_FUNCTION_SIZE sizeof(CLRES_V1_FUNCTIONS)
#define CLRES_V2_FUNCTION_SIZE sizeof(CLRES_V2_FUNCTIONS)

/* ==== basic types ======================================================================== */
/* Opaque per-instance id chosen by the DLL in Open (commonly its instance struct). */
typedef PVOID RESID;
/* The monitor's handle for an instance: only ever handed back to the callbacks. */
typedef HANDLE RESOURCE_HANDLE;

typedef enum LOG_LEVEL {
  LOG_INFORMATION = 0,
  LOG_WARNING = 1,
  LOG_ERROR = 2,
  LOG_SEVERE = 3
} LOG_LEVEL,
    *PLOG_LEVEL;

typedef enum _RESOURCE_EXIT_STATE {
  ResourceExitStateContinue = 0,
  ResourceExitStateTerminate = 1,
  ResourceExitStateMax = 2
} RESOURCE_EXIT_STATE;

/* Two pseudo-states a DLL may report through SetResourceStatus. */
#define ClusterResourceCannotComeOnlineOnThisNode \
  ((CLUSTER_RESOURCE_STATE)(ClusterResourcePending - 1))
#define ClusterResourceCannotComeOnlineOnAnyNode \
  ((CLUSTER_RESOURCE_STATE)(ClusterResourcePending - 2))

typedef struct RESOURCE_STATUS {
  CLUSTER_RESOURCE_STATE ResourceState;
  DWORD CheckPoint; /* +1 on every report while pending */
  DWORD WaitHint;   /* documented as unused */
  HANDLE EventHandle;
} RESOURCE_STATUS, *PRESOURCE_STATUS;

#define ResUtilInitializeResourceStatus(_resource_status_) \
  ZeroMemory((_resource_status_), sizeof(RESOURCE_STATUS))

/* Version 2 status (declared for the shape of the V2 types; not used by Wolfpack yet). */
typedef struct RESOURCE_STATUS_EX {
  CLUSTER_RESOURCE_STATE ResourceState;
  DWORD CheckPoint;
  HANDLE EventHandle;
  DWORD ApplicationSpecificErrorCode;
  DWORD Flags;
} RESOURCE_STATUS_EX, *PRESOURCE_STATUS_EX;

#define ResUtilInitializeResourceStatusEx(_resource_status_) \
  ZeroMemory((_resource_status_), sizeof(RESOURCE_STATUS_EX))

#define CLUSRESDLL_STATUS_OFFLINE_BUSY 0x00000001
#define CLUSRESDLL_STATUS_OFFLINE_SOURCE_THROTTLED 0x00000002
#define CLUSRESDLL_STATUS_OFFLINE_DESTINATION_THROTTLED 0x00000004
#define CLUSRESDLL_STATUS_OFFLINE_DESTINATION_REJECTED 0x00000008
#define CLUSRESDLL_STATUS_INSUFFICIENT_MEMORY 0x00000010
#define CLUSRESDLL_STATUS_INSUFFICIENT_PROCESSOR 0x00000020
#define CLUSRESDLL_STATUS_INSUFFICIENT_OTHER_RESOURCES 0x00000040
#define CLUSRESDLL_STATUS_INVALID_PARAMETERS 0x00000080

#define CLUS_RESDLL_OPEN_RECOVER_MONITOR_STATE 0x00000001
#define CLUS_RESDLL_ONLINE_RECOVER_MONITOR_STATE 0x00000001
#define CLUS_RESDLL_ONLINE_IGNORE_RESOURCE_STATUS 0x00000002
#define CLUS_RESDLL_ONLINE_RETURN_TO_SOURCE_NODE_ON_ERROR 0x00000004
#define CLUS_RESDLL_ONLINE_RESTORE_ONLINE_STATE 0x00000008
#define CLUS_RESDLL_OFFLINE_IGNORE_RESOURCE_STATUS 0x00000001
#define CLUS_RESDLL_OFFLINE_RETURN_TO_SOURCE_NODE_ON_ERROR 0x00000002
#define CLUS_RESDLL_OFFLINE_QUEUE_ENABLED 0x00000004
#define CLUS_RESDLL_OFFLINE_RETURNING_TO_SOURCE_NODE_BECAUSE_OF_ERROR 0x00000008
#define CLUS_RESDLL_OFFLINE_DUE_TO_EMBEDDED_FAILURE 0x00000010

/* ==== callbacks the monitor passes to the DLL ============================================ */
/* Report progress of a pending Online/Offline; returns a RESOURCE_EXIT_STATE. */
typedef DWORD(WINAPI* PSET_RESOURCE_STATUS_ROUTINE)(RESOURCE_HANDLE ResourceHandle,
                                                    PRESOURCE_STATUS ResourceStatus);
/* Write to the cluster log. FormatString takes FormatMessage inserts (%1, %2!u!) or
 * printf conversions; at most 500 characters are kept. */
typedef VOID(WINAPI* PLOG_EVENT_ROUTINE)(RESOURCE_HANDLE ResourceHandle, LOG_LEVEL LogLevel,
                                         LPCWSTR FormatString, ...);
/* Passed to Arbitrate; called by the DLL when it loses a quorum resource it had won. */
typedef VOID(WINAPI* PQUORUM_RESOURCE_LOST)(RESOURCE_HANDLE Resource);

/* ==== entry points the DLL provides ======================================================= */
typedef RESID(WINAPI* POPEN_ROUTINE)(LPCWSTR ResourceName, HKEY ResourceKey,
                                     RESOURCE_HANDLE ResourceHandle);
typedef VOID(WINAPI* PCLOSE_ROUTINE)(RESID Resource);
typedef DWORD(WINAPI* PONLINE_ROUTINE)(RESID Resource, LPHANDLE EventHandle);
typedef DWORD(WINAPI* POFFLINE_ROUTINE)(RESID Resource);
typedef VOID(WINAPI* PTERMINATE_ROUTINE)(RESID Resource);
typedef BOOL(WINAPI* PIS_ALIVE_ROUTINE)(RESID Resource);
typedef BOOL(WINAPI* PLOOKS_ALIVE_ROUTINE)(RESID Resource);
typedef DWORD(WINAPI* PARBITRATE_ROUTINE)(RESID Resource, PQUORUM_RESOURCE_LOST LostQuorumResource);
typedef DWORD(WINAPI* PRELEASE_ROUTINE)(RESID Resource);
typedef DWORD(WINAPI* PRESOURCE_CONTROL_ROUTINE)(RESID Resource, DWORD ControlCode, PVOID InBuffer,
                                                 DWORD InBufferSize, PVOID OutBuffer,
                                                 DWORD OutBufferSize, LPDWORD BytesReturned);
typedef DWORD(WINAPI* PRESOURCE_TYPE_CONTROL_ROUTINE)(LPCWSTR ResourceTypeName, DWORD ControlCode,
                                                      PVOID InBuffer, DWORD InBufferSize,
                                                      PVOID OutBuffer, DWORD OutBufferSize,
                                                      LPDWORD BytesReturned);

/* Version 2 entry points (declared for the table's shape only). */
typedef RESID(WINAPI* POPEN_V2_ROUTINE)(LPCWSTR ResourceName, HKEY ResourceKey,
                                        RESOURCE_HANDLE ResourceHandle, DWORD OpenFlags);
typedef DWORD(WINAPI* PONLINE_V2_ROUTINE)(RESID Resource, LPHANDLE EventHandle, DWORD OnlineFlags,
                                          PBYTE InBuffer, DWORD InBufferSize, DWORD Reserved);
typedef DWORD(WINAPI* POFFLINE_V2_ROUTINE)(RESID Resource, LPCWSTR DestinationNodeName,
                                           DWORD OfflineFlags, PBYTE InBuffer, DWORD InBufferSize,
                                           DWORD Reserved);
typedef DWORD(WINAPI* PCANCEL_ROUTINE)(RESID Resource, DWORD CancelFlags_RESERVED);

/* ==== the function table ==================================================================== */
typedef struct CLRES_V1_FUNCTIONS {
  POPEN_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_ROUTINE Online;
  POFFLINE_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;                       /* NULL unless quorum capable */
  PRELEASE_ROUTINE Release;                           /* NULL unless quorum capable */
  PRESOURCE_CONTROL_ROUTINE ResourceControl;          /* may be NULL */
  PRESOURCE_TYPE_CONTROL_ROUTINE ResourceTypeControl; /* may be NULL */
} CLRES_V1_FUNCTIONS, *PCLRES_V1_FUNCTIONS;

typedef struct CLRES_V2_FUNCTIONS {
  POPEN_V2_ROUTINE Open;
  PCLOSE_ROUTINE Close;
  PONLINE_V2_ROUTINE Online;
  POFFLINE_V2_ROUTINE Offline;
  PTERMINATE_ROUTINE Terminate;
  PLOOKS_ALIVE_ROUTINE LooksAlive;
  PIS_ALIVE_ROUTINE IsAlive;
  PARBITRATE_ROUTINE Arbitrate;
  PRELEASE_ROUTINE Release;
  PRESOURCE_CONTROL_ROUTINE ResourceControl;
  PRESOURCE_TYPE_CONTROL_ROUTINE ResourceTypeControl;
  PCANCEL_ROUTINE Cancel;
} CLRES_V2_FUNCTIONS, *PCLRES_V2_FUNCTIONS;

typedef struct CLRES_FUNCTION_TABLE {
  DWORD TableSize; /* CLRES_V1_FUNCTION_SIZE for version 1 */
  DWORD Version;   /* CLRES_VERSION_V1_00 */
  WP_ANONYMOUS union {
    CLRES_V1_FUNCTIONS V1Functions;
    CLRES_V2_FUNCTIONS V2Functions;
  } DUMMYUNIONNAME;
} CLRES_FUNCTION_TABLE, *PCLRES_FUNCTION_TABLE;

/* Defines a static table from the DLL's Prefix##Open, Prefix##Close, Prefix##Online,
 * Prefix##Offline, Prefix##Terminate, Prefix##LooksAlive and Prefix##IsAlive. Microsoft
 * writes the initializer without inner braces; the braces here are the same initializer,
 * written out so C compilers' -Wmissing-braces stays quiet.
 * Terminate goes through a cast: real DLLs often declare it returning DWORD, which
 * Microsoft's compiler only warns about. The monitor ignores the value either way. */
#define WP_CLRES_TERMINATE_ENTRY(_Terminate) ((PTERMINATE_ROUTINE)(void (*)(void))(_Terminate))
#define CLRES_V1_FUNCTION_TABLE(_Name, _Version, _Prefix, _Arbitrate, _Release, _ResControl, \
                                _ResTypeControl)                                             \
  CLRES_FUNCTION_TABLE _Name = {                                                             \
      CLRES_V1_FUNCTION_SIZE,                                                                \
      _Version,                                                                              \
      {{_Prefix##Open, _Prefix##Close, _Prefix##Online, _Prefix##Offline,                    \
        WP_CLRES_TERMINATE_ENTRY(_Prefix##Terminate), _Prefix##LooksAlive, _Prefix##IsAlive, \
        _Arbitrate, _Release, _ResControl, _ResTypeControl}}}

/* The DLL's exported Startup (looked up by the name STARTUP_ROUTINE). */
typedef DWORD(WINAPI* PSTARTUP_ROUTINE)(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                        DWORD MaxVersionSupported,
                                        PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                                        PLOG_EVENT_ROUTINE LogEvent,
                                        PCLRES_FUNCTION_TABLE* FunctionTable);

#if !defined(_WIN32) && !defined(WOLFPACK_NO_ENTRY_POINT_DECLARATIONS)
/* Windows DLLs export Startup through a .def file. Declaring it here, exported, keeps a
 * plugin's definition visible under -fvisibility=hidden without touching its source.
 * Define WOLFPACK_NO_ENTRY_POINT_DECLARATIONS to leave it (and DllMain) undeclared. */
WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                               DWORD MaxVersionSupported,
                               PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                               PLOG_EVENT_ROUTINE LogEvent, PCLRES_FUNCTION_TABLE* FunctionTable);
#endif

/* Version 2 callbacks and StartupEx (declared for completeness; not used by Wolfpack yet). */
typedef DWORD(WINAPI* PSET_RESOURCE_STATUS_ROUTINE_EX)(RESOURCE_HANDLE ResourceHandle,
                                                       PRESOURCE_STATUS_EX ResourceStatus);
typedef DWORD(WINAPI* PSET_RESOURCE_LOCKED_MODE_ROUTINE)(RESOURCE_HANDLE ResourceHandle,
                                                         BOOL LockedModeEnabled,
                                                         DWORD LockedModeReason);
typedef DWORD(WINAPI* PSIGNAL_FAILURE_ROUTINE)(RESOURCE_HANDLE ResourceHandle,
                                               BOOL IsEmbeddedFailure,
                                               DWORD ApplicationSpecificErrorCode);
typedef DWORD(WINAPI* PSET_RESOURCE_INMEMORY_NODELOCAL_PROPERTIES_ROUTINE)(
    RESOURCE_HANDLE ResourceHandle, unsigned char* propertyListBuffer,
    DWORD propertyListBufferSize);

typedef struct CLRES_CALLBACK_FUNCTION_TABLE {
  PLOG_EVENT_ROUTINE LogEvent;
  PSET_RESOURCE_STATUS_ROUTINE_EX SetResourceStatusEx;
  PSET_RESOURCE_LOCKED_MODE_ROUTINE SetResourceLockedMode;
  PSIGNAL_FAILURE_ROUTINE SignalFailure;
  PSET_RESOURCE_INMEMORY_NODELOCAL_PROPERTIES_ROUTINE SetResourceInMemoryNodeLocalProperties;
} CLRES_CALLBACK_FUNCTION_TABLE, *PCLRES_CALLBACK_FUNCTION_TABLE;

typedef DWORD(WINAPI* PSTARTUP_EX_ROUTINE)(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                           DWORD MaxVersionSupported,
                                           PCLRES_CALLBACK_FUNCTION_TABLE MonitorCallbackFunctions,
                                           PCLRES_FUNCTION_TABLE* ResourceDllInterfaceFunctions);

/* ==== what a monitor is doing (hang and deadlock reports) ================================= */
typedef enum RESOURCE_MONITOR_STATE {
  RmonInitializing = 0,
  RmonIdle = 1,
  RmonStartingResource = 2,
  RmonInitializingResource = 3,
  RmonOnlineResource = 4,
  RmonOfflineResource = 5,
  RmonShutdownResource = 6,
  RmonDeletingResource = 7,
  RmonIsAlivePoll = 8,
  RmonLooksAlivePoll = 9,
  RmonArbitrateResource = 10,
  RmonReleaseResource = 11,
  RmonResourceControl = 12,
  RmonResourceTypeControl = 13,
  RmonTerminateResource = 14,
  RmonDeadlocked = 15
} RESOURCE_MONITOR_STATE;

typedef struct MONITOR_STATE {
  LARGE_INTEGER LastUpdate;
  RESOURCE_MONITOR_STATE State;
  HANDLE ActiveResource;
  BOOL ResmonStop;
} MONITOR_STATE, *PMONITOR_STATE;

/* ==== worker threads (the ClusWorker* functions come with the ResUtil helpers) ============ */
typedef struct CLUS_WORKER {
  HANDLE hThread;
  BOOL Terminate;
} CLUS_WORKER, *PCLUS_WORKER;

typedef DWORD(WINAPI* PWORKER_START_ROUTINE)(PCLUS_WORKER pWorker, LPVOID lpThreadParameter);

/* Starts a thread running lpStartAddress(lpWorker, lpParameter). lpWorker should be zeroed;
 * the caller never touches its members. ERROR_INVALID_PARAMETER for a NULL worker or
 * routine, ERROR_NOT_ENOUGH_MEMORY if no thread can be made. */
WP_RESUTILS_API DWORD WINAPI ClusWorkerCreate(PCLUS_WORKER lpWorker,
                                              PWORKER_START_ROUTINE lpStartAddress,
                                              PVOID lpParameter);
/* TRUE once ClusWorkerTerminate (or a signalling ClusWorker(s)TerminateEx) was called: the
 * worker should return as soon as it can. */
WP_RESUTILS_API BOOL WINAPI ClusWorkerCheckTerminate(PCLUS_WORKER lpWorker);
/* The first call sets Terminate and waits until the worker routine has returned, then
 * forgets the thread (hThread becomes NULL). A later call, or a call from the worker
 * itself, returns at once. */
WP_RESUTILS_API VOID WINAPI ClusWorkerTerminate(PCLUS_WORKER lpWorker);
/* Waits up to TimeoutInMilliseconds for the worker to return by itself; if it has not,
 * sets Terminate unless WaitOnly. ERROR_SUCCESS once the worker has returned (the thread is
 * then forgotten), WAIT_TIMEOUT otherwise. */
WP_RESUTILS_API DWORD WINAPI ClusWorkerTerminateEx(PCLUS_WORKER ClusWorker,
                                                   DWORD TimeoutInMilliseconds, BOOL WaitOnly);
/* ClusWorkerTerminateEx for several workers under one timeout. */
WP_RESUTILS_API DWORD WINAPI ClusWorkersTerminate(PCLUS_WORKER* ClusWorkers,
                                                  const size_t ClusWorkersCount,
                                                  DWORD TimeoutInMilliseconds, BOOL WaitOnly);

/* ==== property tables (types only; the ResUtil functions come later) ====================== */
typedef enum _CLUSTER_ROLE {
  ClusterRoleDHCP = 0,
  ClusterRoleDTC = 1,
  ClusterRoleFileServer = 2,
  ClusterRoleGenericApplication = 3,
  ClusterRoleGenericScript = 4,
  ClusterRoleGenericService = 5,
  ClusterRoleISCSINameServer = 6,
  ClusterRoleMSMQ = 7,
  ClusterRoleNFS = 8,
  ClusterRolePrintServer = 9,
  ClusterRoleStandAloneNamespaceServer = 10,
  ClusterRoleVolumeShadowCopyServiceTask = 11,
  ClusterRoleWINS = 12
} CLUSTER_ROLE;

typedef enum _CLUSTER_ROLE_STATE {
  ClusterRoleUnknown = -1,
  ClusterRoleClustered = 0,
  ClusterRoleUnclustered = 1
} CLUSTER_ROLE_STATE;

#define RESUTIL_PROPITEM_READ_ONLY 0x00000001
#define RESUTIL_PROPITEM_REQUIRED 0x00000002
#define RESUTIL_PROPITEM_SIGNED 0x00000004
#define RESUTIL_PROPITEM_IN_MEMORY 0x00000008

typedef struct RESUTIL_LARGEINT_DATA {
  LARGE_INTEGER Default;
  LARGE_INTEGER Minimum;
  LARGE_INTEGER Maximum;
} RESUTIL_LARGEINT_DATA, *PRESUTIL_LARGEINT_DATA;

typedef struct RESUTIL_ULARGEINT_DATA {
  ULARGE_INTEGER Default;
  ULARGE_INTEGER Minimum;
  ULARGE_INTEGER Maximum;
} RESUTIL_ULARGEINT_DATA, *PRESUTIL_ULARGEINT_DATA;

typedef struct RESUTIL_FILETIME_DATA {
  FILETIME Default;
  FILETIME Minimum;
  FILETIME Maximum;
} RESUTIL_FILETIME_DATA, *PRESUTIL_FILETIME_DATA;

typedef struct RESUTIL_PROPERTY_ITEM {
  LPWSTR Name;
  LPWSTR KeyName;
  DWORD Format; /* CLUSPROP_FORMAT_* */
  WP_ANONYMOUS union {
    DWORD_PTR DefaultPtr;
    DWORD Default;
    LPVOID lpDefault;
    PRESUTIL_LARGEINT_DATA LargeIntData;
    PRESUTIL_ULARGEINT_DATA ULargeIntData;
    PRESUTIL_FILETIME_DATA FileTimeData;
  } DUMMYUNIONNAME;
  DWORD Minimum;
  DWORD Maximum;
  DWORD Flags; /* RESUTIL_PROPITEM_* */
  DWORD Offset;
} RESUTIL_PROPERTY_ITEM, *PRESUTIL_PROPERTY_ITEM;

/* ==== ResUtil helpers (wolfpack_resutils) ==================================================
 * Memory a function returns is LocalAlloc'd: free it with LocalFree. Keys are the HKEYs of
 * the ClusterReg* functions. docs/porting.md lists the functions and Wolfpack's choices
 * where Microsoft's documentation is silent. */

/* ---- cluster database values ---- */
/* *pdwOutValue = the REG_DWORD value, or dwDefaultValue (and ERROR_SUCCESS) when absent;
 * ERROR_INVALID_PARAMETER (default returned) when the value is not a REG_DWORD. */
WP_RESUTILS_API DWORD WINAPI ResUtilGetDwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                  LPDWORD pdwOutValue, DWORD dwDefaultValue);
WP_RESUTILS_API DWORD WINAPI ResUtilGetQwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                  PULONGLONG pqwOutValue, ULONGLONG qwDefaultValue);
/* A copy of a REG_SZ, REG_EXPAND_SZ or REG_MULTI_SZ value, or NULL with the last error
 * set (ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER for another type). */
WP_RESUTILS_API LPWSTR WINAPI ResUtilGetSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName);
/* The same, with %NAME% environment references expanded when bExpand. */
WP_RESUTILS_API LPWSTR WINAPI ResUtilGetExpandSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                      BOOL bExpand);
/* A copy of the value's bytes, whatever its type (*ppbOutValue NULL on failure). */
WP_RESUTILS_API DWORD WINAPI ResUtilGetBinaryValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                   LPBYTE* ppbOutValue, LPDWORD pcbOutValueSize);
/* ResUtilGetBinaryValue for a REG_MULTI_SZ (an inline function in Microsoft's header). */
WP_RESUTILS_API DWORD WINAPI ResUtilGetMultiSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                    LPWSTR* ppszOutValue, LPDWORD pcbOutValueSize);

/* The Set functions write only when the new value differs from the caller's copy in the
 * optional out parameter (which then receives the new value; a string or buffer there is
 * LocalFree'd and replaced by a LocalAlloc'd copy). */
WP_RESUTILS_API DWORD WINAPI ResUtilSetDwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                  DWORD dwNewValue, LPDWORD pdwOutValue);
WP_RESUTILS_API DWORD WINAPI ResUtilSetQwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                  ULONGLONG qwNewValue, PULONGLONG pqwOutValue);
WP_RESUTILS_API DWORD WINAPI ResUtilSetSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                               LPCWSTR pszNewValue, LPWSTR* ppszOutString);
WP_RESUTILS_API DWORD WINAPI ResUtilSetExpandSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                     LPCWSTR pszNewValue, LPWSTR* ppszOutString);
WP_RESUTILS_API DWORD WINAPI ResUtilSetMultiSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                    LPCWSTR pszNewValue, DWORD cbNewValueSize,
                                                    LPWSTR* ppszOutValue, LPDWORD pcbOutValueSize);
WP_RESUTILS_API DWORD WINAPI ResUtilSetBinaryValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                                   const LPBYTE pbNewValue, DWORD cbNewValueSize,
                                                   LPBYTE* ppbOutValue, LPDWORD pcbOutValueSize);

/* ---- property tables and parameter blocks ----
 * A parameter block holds, at each item's Offset: a DWORD (DWORD, LONG), an LPWSTR (SZ,
 * EXPAND_SZ), a pointer followed by a DWORD byte count (MULTI_SZ, BINARY) or 8 bytes
 * (ULARGE_INTEGER, LARGE_INTEGER). Tables end with an item whose Name is NULL. */
WP_RESUTILS_API DWORD WINAPI ResUtilGetPropertiesToParameterBlock(
    HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable, LPBYTE pOutParams,
    BOOL bCheckForRequiredProperties, LPWSTR* pszNameOfPropInError);
WP_RESUTILS_API DWORD WINAPI ResUtilGetPropertyFormats(const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                       PVOID pOutPropertyFormatList,
                                                       DWORD cbPropertyFormatListSize,
                                                       LPDWORD pcbBytesReturned,
                                                       LPDWORD pcbRequired);
WP_RESUTILS_API DWORD WINAPI ResUtilGetProperties(HKEY hkeyClusterKey,
                                                  const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                  PVOID pOutPropertyList,
                                                  DWORD cbOutPropertyListSize,
                                                  LPDWORD pcbBytesReturned, LPDWORD pcbRequired);
WP_RESUTILS_API DWORD WINAPI ResUtilGetAllProperties(HKEY hkeyClusterKey,
                                                     const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                     PVOID pOutPropertyList,
                                                     DWORD cbOutPropertyListSize,
                                                     LPDWORD pcbBytesReturned, LPDWORD pcbRequired);
WP_RESUTILS_API DWORD WINAPI ResUtilEnumProperties(const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                   LPWSTR pszOutProperties,
                                                   DWORD cbOutPropertiesSize,
                                                   LPDWORD pcbBytesReturned, LPDWORD pcbRequired);
WP_RESUTILS_API DWORD WINAPI ResUtilVerifyPropertyTable(
    const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved, BOOL bAllowUnknownProperties,
    const PVOID pInPropertyList, DWORD cbInPropertyListSize, LPBYTE pOutParams);
WP_RESUTILS_API DWORD WINAPI ResUtilVerifyPrivatePropertyList(const PVOID pInPropertyList,
                                                              DWORD cbInPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilSetPropertyTable(HKEY hkeyClusterKey,
                                                     const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                     PVOID Reserved, BOOL bAllowUnknownProperties,
                                                     const PVOID pInPropertyList,
                                                     DWORD cbInPropertyListSize, LPBYTE pOutParams);
WP_RESUTILS_API DWORD WINAPI ResUtilSetPropertyParameterBlock(
    HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved,
    const LPBYTE pInParams, const PVOID pInPropertyList, DWORD cbInPropertyListSize,
    LPBYTE pOutParams);
WP_RESUTILS_API DWORD WINAPI ResUtilDupParameterBlock(LPBYTE pOutParams, const LPBYTE pInParams,
                                                      const PRESUTIL_PROPERTY_ITEM pPropertyTable);
WP_RESUTILS_API void WINAPI ResUtilFreeParameterBlock(LPBYTE pOutParams, const LPBYTE pInParams,
                                                      const PRESUTIL_PROPERTY_ITEM pPropertyTable);
WP_RESUTILS_API DWORD WINAPI ResUtilAddUnknownProperties(
    HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID pOutPropertyList,
    DWORD pcbOutPropertyListSize, LPDWORD pcbBytesReturned, LPDWORD pcbRequired);

/* As ResUtilSetPropertyTable / ResUtilSetPropertyParameterBlock; bForceWrite writes every
 * value even when the database already holds it. */
WP_RESUTILS_API DWORD WINAPI ResUtilSetPropertyTableEx(HKEY hkeyClusterKey,
                                                       const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                       PVOID Reserved, BOOL bAllowUnknownProperties,
                                                       const PVOID pInPropertyList,
                                                       DWORD cbInPropertyListSize, BOOL bForceWrite,
                                                       LPBYTE pOutParams);
WP_RESUTILS_API DWORD WINAPI ResUtilSetPropertyParameterBlockEx(
    HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved,
    const LPBYTE pInParams, const PVOID pInPropertyList, DWORD cbInPropertyListSize,
    BOOL bForceWrite, LPBYTE pOutParams);
/* Writes the properties of the list that the table does not describe (the list is checked
 * whole first). */
WP_RESUTILS_API DWORD WINAPI
ResUtilSetUnknownProperties(HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                            const PVOID pInPropertyList, DWORD cbInPropertyListSize);
/* A property list of the block's values (NULL strings and buffers left out);
 * *pcbOutPropertyListSize is the buffer's size. */
WP_RESUTILS_API DWORD WINAPI ResUtilPropertyListFromParameterBlock(
    const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID pOutPropertyList,
    LPDWORD pcbOutPropertyListSize, const LPBYTE pInParams, LPDWORD pcbBytesReturned,
    LPDWORD pcbRequired);
/* One item as ResUtilGetProperties lists it. GetPropertySize adds its bytes to
 * *pcbOutPropertyListSize and 1 to *pnPropertyCount; GetProperty writes it at
 * *pOutPropertyItem, then moves that pointer past it and takes its size off
 * *pcbOutPropertyItemSize (ERROR_MORE_DATA, nothing written, when it does not fit). An item
 * with neither value nor default adds nothing. */
WP_RESUTILS_API DWORD WINAPI ResUtilGetPropertySize(HKEY hkeyClusterKey,
                                                    const PRESUTIL_PROPERTY_ITEM pPropertyTableItem,
                                                    LPDWORD pcbOutPropertyListSize,
                                                    LPDWORD pnPropertyCount);
WP_RESUTILS_API DWORD WINAPI ResUtilGetProperty(HKEY hkeyClusterKey,
                                                const PRESUTIL_PROPERTY_ITEM pPropertyTableItem,
                                                PVOID* pOutPropertyItem,
                                                LPDWORD pcbOutPropertyItemSize);

/* ---- private properties without a table: every value of the key ---- */
WP_RESUTILS_API DWORD WINAPI ResUtilGetPrivateProperties(HKEY hkeyClusterKey,
                                                         PVOID pOutPropertyList,
                                                         DWORD cbOutPropertyListSize,
                                                         LPDWORD pcbBytesReturned,
                                                         LPDWORD pcbRequired);
WP_RESUTILS_API DWORD WINAPI ResUtilEnumPrivateProperties(HKEY hkeyClusterKey,
                                                          LPWSTR pszOutProperties,
                                                          DWORD cbOutPropertiesSize,
                                                          LPDWORD pcbBytesReturned,
                                                          LPDWORD pcbRequired);
/* Checks the whole list (as ResUtilVerifyPrivatePropertyList), then writes each property. */
WP_RESUTILS_API DWORD WINAPI ResUtilSetPrivatePropertyList(HKEY hkeyClusterKey,
                                                           const PVOID pInPropertyList,
                                                           DWORD cbInPropertyListSize);

/* ---- reading a property list entry by entry ----
 * pValueStruct is the value entry at *ppPropertyList; on success the value is copied out
 * (strings and buffers LocalAlloc'd) and the cursor moves past the entry. Another format,
 * an entry longer than *pcbPropertyListSize or a number out of [Minimum, Maximum] (both 0:
 * no range): ERROR_INVALID_PARAMETER. An entry of length 0 yields the old value. */
WP_RESUTILS_API DWORD WINAPI ResUtilGetDwordProperty(LPDWORD pdwOutValue,
                                                     const PCLUSPROP_DWORD pValueStruct,
                                                     DWORD dwOldValue, DWORD dwMinimum,
                                                     DWORD dwMaximum, LPBYTE* ppPropertyList,
                                                     LPDWORD pcbPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilGetLongProperty(LPLONG plOutValue,
                                                    const PCLUSPROP_LONG pValueStruct,
                                                    LONG lOldValue, LONG lMinimum, LONG lMaximum,
                                                    LPBYTE* ppPropertyList,
                                                    LPDWORD pcbPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilGetFileTimeProperty(LPFILETIME pftOutValue,
                                                        const PCLUSPROP_FILETIME pValueStruct,
                                                        FILETIME ftOldValue, FILETIME ftMinimum,
                                                        FILETIME ftMaximum, LPBYTE* ppPropertyList,
                                                        LPDWORD pcbPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilGetSzProperty(LPWSTR* ppszOutValue,
                                                  const PCLUSPROP_SZ pValueStruct,
                                                  LPCWSTR pszOldValue, LPBYTE* ppPropertyList,
                                                  LPDWORD pcbPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilGetMultiSzProperty(
    LPWSTR* ppszOutValue, LPDWORD pcbOutValueSize, const PCLUSPROP_SZ pValueStruct,
    LPCWSTR pszOldValue, DWORD cbOldValueSize, LPBYTE* ppPropertyList, LPDWORD pcbPropertyListSize);
WP_RESUTILS_API DWORD WINAPI ResUtilGetBinaryProperty(LPBYTE* ppbOutValue, LPDWORD pcbOutValueSize,
                                                      const PCLUSPROP_BINARY pValueStruct,
                                                      const LPBYTE pbOldValue, DWORD cbOldValueSize,
                                                      LPBYTE* ppPropertyList,
                                                      LPDWORD pcbPropertyListSize);

/* ---- finding a property in a property list ----
 * ERROR_FILE_NOT_FOUND when the name (compared case-insensitively) is absent,
 * ERROR_INVALID_DATA when the list is malformed or the value has another format. */
WP_RESUTILS_API DWORD WINAPI ResUtilFindSzProperty(const PVOID pPropertyList,
                                                   DWORD cbPropertyListSize,
                                                   LPCWSTR pszPropertyName,
                                                   LPWSTR* pszPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindExpandSzProperty(const PVOID pPropertyList,
                                                         DWORD cbPropertyListSize,
                                                         LPCWSTR pszPropertyName,
                                                         LPWSTR* pszPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindDwordProperty(const PVOID pPropertyList,
                                                      DWORD cbPropertyListSize,
                                                      LPCWSTR pszPropertyName,
                                                      LPDWORD pdwPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindLongProperty(const PVOID pPropertyList,
                                                     DWORD cbPropertyListSize,
                                                     LPCWSTR pszPropertyName,
                                                     LPLONG plPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindULargeIntegerProperty(const PVOID pPropertyList,
                                                              DWORD cbPropertyListSize,
                                                              LPCWSTR pszPropertyName,
                                                              ULONGLONG* plPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindBinaryProperty(const PVOID pPropertyList,
                                                       DWORD cbPropertyListSize,
                                                       LPCWSTR pszPropertyName,
                                                       LPBYTE* pbPropertyValue,
                                                       LPDWORD pcbPropertyValueSize);
WP_RESUTILS_API DWORD WINAPI ResUtilFindMultiSzProperty(const PVOID pPropertyList,
                                                        DWORD cbPropertyListSize,
                                                        LPCWSTR pszPropertyName,
                                                        LPWSTR* pszPropertyValue,
                                                        LPDWORD pcbPropertyValueSize);

/* The EXPANDED_SZ value listed with an EXPAND_SZ property (or the string, expanded). */
WP_RESUTILS_API DWORD WINAPI ResUtilFindExpandedSzProperty(const PVOID pPropertyList,
                                                           DWORD cbPropertyListSize,
                                                           LPCWSTR pszPropertyName,
                                                           LPWSTR* pszPropertyValue);
WP_RESUTILS_API DWORD WINAPI ResUtilFindFileTimeProperty(const PVOID pPropertyList,
                                                         DWORD cbPropertyListSize,
                                                         LPCWSTR pszPropertyName,
                                                         LPFILETIME pftPropertyValue);

/* ---- names, paths, strings ---- */
/* HRESOURCE handles come from the host (wolfpack/resource_handles.hpp); names and type names
 * compare case-insensitively. FALSE with ERROR_INVALID_HANDLE for an unknown handle. */
WP_RESUTILS_API BOOL WINAPI ResUtilResourcesEqual(HRESOURCE hSelf, HRESOURCE hResource);
WP_RESUTILS_API BOOL WINAPI ResUtilResourceTypesEqual(LPCWSTR lpszResourceTypeName,
                                                      HRESOURCE hResource);
/* Syntax only: not empty, no control characters, none of * ? " < > |, and a ':' only
 * right after a leading drive letter. Both "/srv/x" and "C:\x" pass. */
WP_RESUTILS_API BOOL WINAPI ResUtilIsPathValid(LPCWSTR pszPath);
/* A LocalAlloc'd copy; NULL with the last error set (ERROR_INVALID_PARAMETER for NULL). */
WP_RESUTILS_API PWSTR WINAPI ResUtilDupString(LPCWSTR pszInString);
/* The name of a host-made HRESOURCE. *pcchResourceNameInOut: in, the buffer's size in
 * characters; out, the name's length without the terminator (ERROR_MORE_DATA when it did
 * not fit). ERROR_INVALID_HANDLE for an unknown handle. */
WP_RESUTILS_API DWORD WINAPI ResUtilGetResourceName(HRESOURCE hResource, PWSTR pszResourceName,
                                                    DWORD* pcchResourceNameInOut);

/* ---- environment and directories ---- */
/* %NAME% references replaced by the environment's values (unknown names stay); a
 * LocalAlloc'd string, or NULL with the last error set. */
WP_RESUTILS_API LPWSTR WINAPI ResUtilExpandEnvironmentStrings(LPCWSTR pszSrc);
/* Creates the directory and any missing parents; ERROR_SUCCESS when it exists. Off Windows
 * a backslash separates directories too. */
WP_RESUTILS_API DWORD WINAPI ResUtilCreateDirectoryTree(LPCWSTR pszPath);
/* The process's environment block with _CLUSTER_NETWORK_NAME_, _CLUSTER_NETWORK_HOSTNAME_ and
 * _CLUSTER_NETWORK_FQDN_ set to the Name of the Network Name hResource depends on (directly
 * or through others), found through the cluster API; NULL with ERROR_DEPENDENCY_NOT_FOUND
 * when there is none. Free it with ResUtilFreeEnvironment. */
WP_RESUTILS_API LPVOID WINAPI ResUtilGetEnvironmentWithNetName(HRESOURCE hResource);
WP_RESUTILS_API DWORD WINAPI ResUtilFreeEnvironment(LPVOID lpEnvironment);

/* ---- other resources of the cluster ----
 * Through the cluster API (libclusapi, found at run time), as resutils.dll goes through
 * clusapi.dll: the handles returned are closed with CloseClusterResource. Inside a monitor,
 * OpenCluster(NULL) reaches the monitor's own node. A dependency that is not there is NULL
 * (or the code) with ERROR_NO_MORE_ITEMS. ResUtilFindDependentDiskResourceDriveLetter,
 * ResUtilGetCoreClusterResources and ResUtilGetClusterRoleState return ERROR_NOT_SUPPORTED
 * (a lab has no drive letters, core resources or roles) and log why. */
typedef DWORD(WINAPI* LPRESOURCE_CALLBACK)(HRESOURCE hSelf, HRESOURCE hResource, PVOID pParameter);
typedef DWORD(WINAPI* LPRESOURCE_CALLBACK_EX)(HCLUSTER hCluster, HRESOURCE hSelf,
                                              HRESOURCE hResource, PVOID pParameter);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependency(HANDLE hSelf,
                                                              LPCWSTR lpszResourceType);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependencyByName(HCLUSTER hCluster, HANDLE hSelf,
                                                                    LPCWSTR lpszResourceType,
                                                                    BOOL bRecurse);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependencyByClass(HCLUSTER hCluster,
                                                                     HANDLE hSelf,
                                                                     PCLUS_RESOURCE_CLASS_INFO prci,
                                                                     BOOL bRecurse);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceNameDependency(LPCWSTR lpszResourceName,
                                                                  LPCWSTR lpszResourceType);
WP_RESUTILS_API DWORD WINAPI ResUtilGetResourceDependentIPAddressProps(
    HRESOURCE hResource, LPWSTR pszAddress, DWORD* pcchAddress, LPWSTR pszSubnetMask,
    DWORD* pcchSubnetMask, LPWSTR pszNetwork, DWORD* pcchNetwork);
WP_RESUTILS_API DWORD WINAPI ResUtilFindDependentDiskResourceDriveLetter(HCLUSTER hCluster,
                                                                         HRESOURCE hResource,
                                                                         LPWSTR pszDriveLetter,
                                                                         DWORD* pcchDriveLetter);
WP_RESUTILS_API DWORD WINAPI ResUtilEnumResources(HRESOURCE hSelf, LPCWSTR lpszResTypeName,
                                                  LPRESOURCE_CALLBACK pResCallBack,
                                                  PVOID pParameter);
WP_RESUTILS_API DWORD WINAPI ResUtilEnumResourcesEx(HCLUSTER hCluster, HRESOURCE hSelf,
                                                    LPCWSTR lpszResTypeName,
                                                    LPRESOURCE_CALLBACK_EX pResCallBack,
                                                    PVOID pParameter);
WP_RESUTILS_API DWORD WINAPI ResUtilGetCoreClusterResources(HCLUSTER hCluster,
                                                            HRESOURCE* phClusterNameResource,
                                                            HRESOURCE* phClusterIPAddressResource,
                                                            HRESOURCE* phClusterQuorumResource);
/* The Windows Server 2012 forms: the same, with the access wanted on the handle. */
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependencyEx(HANDLE hSelf,
                                                                LPCWSTR lpszResourceType,
                                                                DWORD dwDesiredAccess);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependencyByNameEx(HCLUSTER hCluster,
                                                                      HANDLE hSelf,
                                                                      LPCWSTR lpszResourceType,
                                                                      BOOL bRecurse,
                                                                      DWORD dwDesiredAccess);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceDependencyByClassEx(
    HCLUSTER hCluster, HANDLE hSelf, PCLUS_RESOURCE_CLASS_INFO prci, BOOL bRecurse,
    DWORD dwDesiredAccess);
WP_RESUTILS_API HRESOURCE WINAPI ResUtilGetResourceNameDependencyEx(LPCWSTR lpszResourceName,
                                                                    LPCWSTR lpszResourceType,
                                                                    DWORD dwDesiredAccess);
WP_RESUTILS_API DWORD WINAPI ResUtilEnumResourcesEx2(HCLUSTER hCluster, HRESOURCE hSelf,
                                                     LPCWSTR lpszResTypeName,
                                                     LPRESOURCE_CALLBACK_EX pResCallBack,
                                                     PVOID pParameter, DWORD dwDesiredAccess);
WP_RESUTILS_API BOOL WINAPI ResUtilIsResourceClassEqual(PCLUS_RESOURCE_CLASS_INFO prci,
                                                        HRESOURCE hResource);
WP_RESUTILS_API CLUSTER_ROLE_STATE WINAPI ResUtilGetClusterRoleState(HCLUSTER hCluster,
                                                                     CLUSTER_ROLE eClusterRole);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WOLFPACK_RESAPI_H */
