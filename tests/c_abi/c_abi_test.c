/*
 * The Resource API headers compiled as C99 (and, through c_abi_test_cpp.cpp, as C++):
 * a tiny resource DLL written the Windows way, its function table built with
 * CLRES_V1_FUNCTION_TABLE, and the numeric values Microsoft's headers define.
 *
 * Checks run in every build type (assert() would vanish under NDEBUG).
 */
#include <clusapi.h>
#include <resapi.h>
#include <windows.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "c_check.h"

int g_checks = 0;
int g_failures = 0;

/* Compile-time checks without C11's _Static_assert. */
#define STATIC_CHECK(cond, name) typedef char static_check_##name[(cond) ? 1 : -1]

STATIC_CHECK(sizeof(BYTE) == 1, byte);
STATIC_CHECK(sizeof(WORD) == 2, word);
STATIC_CHECK(sizeof(DWORD) == 4, dword);
STATIC_CHECK(sizeof(LONG) == 4, long_);
STATIC_CHECK(sizeof(ULONG) == 4, ulong);
STATIC_CHECK(sizeof(BOOL) == 4, bool_);
STATIC_CHECK(sizeof(LONGLONG) == 8, longlong);
STATIC_CHECK(sizeof(ULONGLONG) == 8, ulonglong);
STATIC_CHECK(sizeof(DWORD64) == 8, dword64);
STATIC_CHECK(sizeof(DWORD_PTR) == sizeof(void*), dword_ptr);
STATIC_CHECK(sizeof(ULONG_PTR) == sizeof(void*), ulong_ptr);
STATIC_CHECK(sizeof(SIZE_T) == sizeof(void*), size_t_);
STATIC_CHECK(sizeof(HANDLE) == sizeof(void*), handle);
STATIC_CHECK(sizeof(WCHAR) == sizeof(wchar_t), wchar);
STATIC_CHECK(sizeof(LARGE_INTEGER) == 8, large_integer);
STATIC_CHECK(sizeof(FILETIME) == 8, filetime);
STATIC_CHECK(sizeof(CLRES_V1_FUNCTIONS) == 11 * sizeof(PCLOSE_ROUTINE), v1_eleven_pointers);
STATIC_CHECK(CLRES_V1_FUNCTION_SIZE == sizeof(CLRES_V1_FUNCTIONS), v1_size);
STATIC_CHECK(sizeof(CLRES_V2_FUNCTIONS) == 12 * sizeof(PCLOSE_ROUTINE), v2_twelve_pointers);
STATIC_CHECK(offsetof(CLRES_FUNCTION_TABLE, V1Functions) == 8, table_header);
STATIC_CHECK(sizeof(CLUSPROP_SYNTAX) == 4, syntax_size);
STATIC_CHECK(sizeof(CLUSPROP_VALUE) == 8, value_size);
STATIC_CHECK(sizeof(CLUSPROP_DWORD) == 12, dword_entry_size);
STATIC_CHECK(sizeof(CLUSPROP_ULARGE_INTEGER) == 16, ularge_size);
#ifndef __cplusplus /* C++ derives it from CLUSPROP_VALUE: not standard-layout, no offsetof */
STATIC_CHECK(offsetof(CLUSPROP_ULARGE_INTEGER, li) == 8, ularge_offset);
#endif

/* ---- a tiny resource DLL, written as for Windows ---------------------------------------- */

typedef struct DUMMY_RESOURCE {
  RESOURCE_HANDLE Handle;
  BOOL Online;
} DUMMY_RESOURCE;

static DUMMY_RESOURCE g_instance;
static PSET_RESOURCE_STATUS_ROUTINE g_SetResourceStatus = NULL;
static PLOG_EVENT_ROUTINE g_LogEvent = NULL;

static RESID WINAPI DummyOpen(LPCWSTR ResourceName, HKEY ResourceKey,
                              RESOURCE_HANDLE ResourceHandle) {
  UNREFERENCED_PARAMETER(ResourceKey);
  if (ResourceName == NULL) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return NULL;
  }
  g_instance.Handle = ResourceHandle;
  g_instance.Online = FALSE;
  return (RESID)&g_instance;
}

static VOID WINAPI DummyClose(RESID Resource) {
  UNREFERENCED_PARAMETER(Resource);
}

static DWORD WINAPI DummyOnline(RESID Resource, LPHANDLE EventHandle) {
  DUMMY_RESOURCE* r = (DUMMY_RESOURCE*)Resource;
  UNREFERENCED_PARAMETER(EventHandle);
  r->Online = TRUE;
  return ERROR_SUCCESS;
}

static DWORD WINAPI DummyOffline(RESID Resource) {
  ((DUMMY_RESOURCE*)Resource)->Online = FALSE;
  return ERROR_SUCCESS;
}

static VOID WINAPI DummyTerminate(RESID Resource) {
  ((DUMMY_RESOURCE*)Resource)->Online = FALSE;
}

static BOOL WINAPI DummyLooksAlive(RESID Resource) {
  return ((DUMMY_RESOURCE*)Resource)->Online;
}

static BOOL WINAPI DummyIsAlive(RESID Resource) {
  return ((DUMMY_RESOURCE*)Resource)->Online;
}

static DWORD WINAPI DummyResourceControl(RESID Resource, DWORD ControlCode, PVOID InBuffer,
                                         DWORD InBufferSize, PVOID OutBuffer, DWORD OutBufferSize,
                                         LPDWORD BytesReturned) {
  UNREFERENCED_PARAMETER(Resource);
  UNREFERENCED_PARAMETER(InBuffer);
  UNREFERENCED_PARAMETER(InBufferSize);
  if (ControlCode == CLUSCTL_RESOURCE_GET_CHARACTERISTICS) {
    *BytesReturned = sizeof(DWORD);
    if (OutBufferSize < sizeof(DWORD))
      return ERROR_MORE_DATA;
    *(LPDWORD)OutBuffer = CLUS_CHAR_UNKNOWN;
    return ERROR_SUCCESS;
  }
  return ERROR_INVALID_FUNCTION; /* let the monitor do its default processing */
}

extern CLRES_FUNCTION_TABLE g_DummyFunctionTable;
CLRES_V1_FUNCTION_TABLE(g_DummyFunctionTable, CLRES_VERSION_V1_00, Dummy, NULL, NULL,
                        DummyResourceControl, NULL);

static DWORD WINAPI DummyStartup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                 DWORD MaxVersionSupported,
                                 PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                                 PLOG_EVENT_ROUTINE LogEvent,
                                 PCLRES_FUNCTION_TABLE* FunctionTable) {
  if (MinVersionSupported > CLRES_VERSION_V1_00 || MaxVersionSupported < CLRES_VERSION_V1_00) {
    return ERROR_REVISION_MISMATCH;
  }
  if (ResourceType == NULL || wcscmp(ResourceType, L"Dummy") != 0)
    return ERROR_CLUSTER_RESNAME_NOT_FOUND;
  g_SetResourceStatus = SetResourceStatus;
  g_LogEvent = LogEvent;
  *FunctionTable = &g_DummyFunctionTable;
  return ERROR_SUCCESS;
}

/* Monitor-side callbacks, as the monitor would pass them. */
static int g_log_calls = 0;
static VOID WINAPI TestLogEvent(RESOURCE_HANDLE ResourceHandle, LOG_LEVEL LogLevel,
                                LPCWSTR FormatString, ...) {
  UNREFERENCED_PARAMETER(ResourceHandle);
  UNREFERENCED_PARAMETER(LogLevel);
  UNREFERENCED_PARAMETER(FormatString);
  ++g_log_calls;
}

static DWORD WINAPI TestSetResourceStatus(RESOURCE_HANDLE ResourceHandle,
                                          PRESOURCE_STATUS ResourceStatus) {
  UNREFERENCED_PARAMETER(ResourceHandle);
  return ResourceStatus->ResourceState == ClusterResourceFailed ? ResourceExitStateTerminate
                                                                : ResourceExitStateContinue;
}

/* ---- the checks ----------------------------------------------------------------------- */

static void check_startup_and_table(void) {
  PSTARTUP_ROUTINE startup = DummyStartup;
  PCLRES_FUNCTION_TABLE table = NULL;
  RESID id;
  HANDLE event = NULL;
  DWORD out = 0xFFFFFFFF;
  DWORD returned = 0;

  CHECK(strcmp(STARTUP_ROUTINE, "Startup") == 0);
  CHECK(strcmp(STARTUP_EX_ROUTINE, "StartupEx") == 0);
  CHECK(CLRES_VERSION_V1_00 == 0x100);
  CHECK(CLRES_VERSION_V2_00 == 0x200);

  CHECK(startup(L"Other", CLRES_VERSION_V1_00, CLRES_VERSION_V1_00, TestSetResourceStatus,
                TestLogEvent, &table) == ERROR_CLUSTER_RESNAME_NOT_FOUND);
  CHECK(startup(L"Dummy", CLRES_VERSION_V2_00, CLRES_VERSION_V2_00, TestSetResourceStatus,
                TestLogEvent, &table) == ERROR_REVISION_MISMATCH);
  CHECK(table == NULL);
  CHECK(startup(L"Dummy", CLRES_VERSION_V1_00, CLRES_VERSION_V1_00, TestSetResourceStatus,
                TestLogEvent, &table) == ERROR_SUCCESS);
  CHECK(table == &g_DummyFunctionTable);
  if (table == NULL)
    return;

  CHECK(table->TableSize == CLRES_V1_FUNCTION_SIZE);
  CHECK(table->TableSize == 11 * sizeof(void*));
  CHECK(table->Version == CLRES_VERSION_V1_00);
  CHECK(table->V1Functions.Open == DummyOpen);
  CHECK(table->V1Functions.Close == DummyClose);
  CHECK(table->V1Functions.Online == DummyOnline);
  CHECK(table->V1Functions.Offline == DummyOffline);
  CHECK(table->V1Functions.Terminate == DummyTerminate);
  CHECK(table->V1Functions.LooksAlive == DummyLooksAlive);
  CHECK(table->V1Functions.IsAlive == DummyIsAlive);
  CHECK(table->V1Functions.Arbitrate == NULL);
  CHECK(table->V1Functions.Release == NULL);
  CHECK(table->V1Functions.ResourceControl == DummyResourceControl);
  CHECK(table->V1Functions.ResourceTypeControl == NULL);
  /* V2Functions overlays V1Functions: the shared leading members line up. */
  CHECK((void*)&table->V2Functions.Close == (void*)&table->V1Functions.Close);

  /* Drive the entry points through the table, as the monitor does. */
  CHECK(table->V1Functions.Open(NULL, NULL, NULL) == NULL);
  CHECK(GetLastError() == ERROR_INVALID_PARAMETER);
  id = table->V1Functions.Open(L"Dummy 1", NULL, (RESOURCE_HANDLE)&g_checks);
  CHECK(id == (RESID)&g_instance);
  CHECK(table->V1Functions.LooksAlive(id) == FALSE);
  CHECK(table->V1Functions.Online(id, &event) == ERROR_SUCCESS);
  CHECK(event == NULL);
  CHECK(table->V1Functions.LooksAlive(id) == TRUE);
  CHECK(table->V1Functions.IsAlive(id) == TRUE);
  CHECK(table->V1Functions.ResourceControl(id, CLUSCTL_RESOURCE_GET_CHARACTERISTICS, NULL, 0, &out,
                                           sizeof out, &returned) == ERROR_SUCCESS);
  CHECK(out == CLUS_CHAR_UNKNOWN && returned == sizeof(DWORD));
  CHECK(table->V1Functions.ResourceControl(id, CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES, NULL, 0,
                                           NULL, 0, &returned) == ERROR_INVALID_FUNCTION);
  table->V1Functions.Terminate(id);
  CHECK(table->V1Functions.IsAlive(id) == FALSE);
  CHECK(table->V1Functions.Offline(id) == ERROR_SUCCESS);
  table->V1Functions.Close(id);

  /* The callbacks the DLL kept. */
  CHECK(g_SetResourceStatus == TestSetResourceStatus);
  CHECK(g_LogEvent == TestLogEvent);
  g_LogEvent(g_instance.Handle, LOG_INFORMATION, L"online %1!u!", 1u);
  CHECK(g_log_calls == 1);
  {
    RESOURCE_STATUS status;
    status.CheckPoint = 7;
    ResUtilInitializeResourceStatus(&status);
    CHECK(status.ResourceState == ClusterResourceInherited && status.CheckPoint == 0 &&
          status.WaitHint == 0 && status.EventHandle == NULL);
    status.ResourceState = ClusterResourceOnlinePending;
    status.CheckPoint = 1;
    CHECK(g_SetResourceStatus(g_instance.Handle, &status) == ResourceExitStateContinue);
    status.ResourceState = ClusterResourceFailed;
    CHECK(g_SetResourceStatus(g_instance.Handle, &status) == ResourceExitStateTerminate);
  }
}

static void check_states(void) {
  CHECK(ClusterResourceStateUnknown == -1);
  CHECK(ClusterResourceInherited == 0);
  CHECK(ClusterResourceInitializing == 1);
  CHECK(ClusterResourceOnline == 2);
  CHECK(ClusterResourceOffline == 3);
  CHECK(ClusterResourceFailed == 4);
  CHECK(ClusterResourcePending == 128);
  CHECK(ClusterResourceOnlinePending == 129);
  CHECK(ClusterResourceOfflinePending == 130);
  CHECK(ClusterResourceCannotComeOnlineOnThisNode == 127);
  CHECK(ClusterResourceCannotComeOnlineOnAnyNode == 126);

  CHECK(ClusterGroupStateUnknown == -1);
  CHECK(ClusterGroupOnline == 0);
  CHECK(ClusterGroupOffline == 1);
  CHECK(ClusterGroupFailed == 2);
  CHECK(ClusterGroupPartialOnline == 3);
  CHECK(ClusterGroupPending == 4);

  CHECK(ClusterNodeStateUnknown == -1);
  CHECK(ClusterNodeUp == 0);
  CHECK(ClusterNodeDown == 1);
  CHECK(ClusterNodePaused == 2);
  CHECK(ClusterNodeJoining == 3);

  CHECK(ClusterResourceDontRestart == 0);
  CHECK(ClusterResourceRestartNoNotify == 1);
  CHECK(ClusterResourceRestartNotify == 2);

  CHECK(LOG_INFORMATION == 0 && LOG_WARNING == 1 && LOG_ERROR == 2 && LOG_SEVERE == 3);
  CHECK(ResourceExitStateContinue == 0 && ResourceExitStateTerminate == 1 &&
        ResourceExitStateMax == 2);
  CHECK(RmonInitializing == 0 && RmonIsAlivePoll == 8 && RmonDeadlocked == 15);
  CHECK(ClusterStateRunning == 0x13);
  CHECK(eResourceStateChangeReasonFailover == 2 && eResourceStateChangeReasonRundown == 5);
}

static void check_change_flags(void) {
  CHECK(CLUSTER_CHANGE_NODE_STATE == 0x00000001);
  CHECK(CLUSTER_CHANGE_REGISTRY_VALUE == 0x00000040);
  CHECK(CLUSTER_CHANGE_REGISTRY_SUBTREE == 0x00000080);
  CHECK(CLUSTER_CHANGE_RESOURCE_STATE == 0x00000100);
  CHECK(CLUSTER_CHANGE_RESOURCE_PROPERTY == 0x00000800);
  CHECK(CLUSTER_CHANGE_GROUP_STATE == 0x00001000);
  CHECK(CLUSTER_CHANGE_GROUP_PROPERTY == 0x00008000);
  CHECK(CLUSTER_CHANGE_RESOURCE_TYPE_PROPERTY == 0x00040000);
  CHECK(CLUSTER_CHANGE_CLUSTER_RECONNECT == 0x00080000);
  CHECK(CLUSTER_CHANGE_NETINTERFACE_PROPERTY == 0x08000000);
  CHECK(CLUSTER_CHANGE_CLUSTER_PROPERTY == 0x40000000);
  CHECK(CLUSTER_CHANGE_HANDLE_CLOSE == 0x80000000u);
  CHECK(CLUSTER_CHANGE_ALL == 0xFFFFFFFFu);
  CHECK(CLUSTER_ENUM_ALL == 0x3F);
  CHECK(CLUSTER_ENUM_INTERNAL_NETWORK == 0x80000000u);
}

static void check_control_codes(void) {
  /* SPEC 6.4 "Examples of full codes". */
  CHECK(CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES == 0x01000059);
  CHECK(CLUSCTL_RESOURCE_SET_COMMON_PROPERTIES == 0x0140005E);
  CHECK(CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES == 0x01000081);
  CHECK(CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES == 0x01400086);
  CHECK(CLUSCTL_RESOURCE_TYPE_GET_COMMON_PROPERTIES == 0x02000059);
  CHECK(CLUSCTL_GROUP_GET_COMMON_PROPERTIES == 0x03000059);
  CHECK(CLUSCTL_NODE_GET_COMMON_PROPERTIES == 0x04000059);
  CHECK(CLUSCTL_CLUSTER_GET_COMMON_PROPERTIES == 0x07000059);
  CHECK(CLUSCTL_RESOURCE_ADD_DEPENDENCY == 0x01500012);
  CHECK(CLUSCTL_RESOURCE_TYPE_STARTING_PHASE2 == 0x0250003A);
  CHECK(CLUSCTL_RESOURCE_TYPE_GET_PRIVATE_RESOURCE_PROPERTY_FMTS == 0x02000091);
  CHECK(CLUSCTL_CLUSTER_CHECK_VOTER_EVICT == 0x07000045);

  /* The operation codes of the SPEC 6.4 table. */
  CHECK(CLCTL_UNKNOWN == 0x000);
  CHECK(CLCTL_GET_CHARACTERISTICS == 0x005);
  CHECK(CLCTL_GET_FLAGS == 0x009);
  CHECK(CLCTL_GET_CLASS_INFO == 0x00D);
  CHECK(CLCTL_GET_REQUIRED_DEPENDENCIES == 0x011);
  CHECK(CLCTL_GET_ARB_TIMEOUT == 0x015);
  CHECK(CLCTL_GET_NAME == 0x029);
  CHECK(CLCTL_GET_RESOURCE_TYPE == 0x02D);
  CHECK(CLCTL_GET_NODE == 0x031);
  CHECK(CLCTL_GET_NETWORK == 0x035);
  CHECK(CLCTL_GET_ID == 0x039);
  CHECK(CLCTL_ENUM_COMMON_PROPERTIES == 0x051);
  CHECK(CLCTL_GET_RO_COMMON_PROPERTIES == 0x055);
  CHECK(CLCTL_GET_COMMON_PROPERTIES == 0x059);
  CHECK(CLCTL_SET_COMMON_PROPERTIES == 0x40005E);
  CHECK(CLCTL_VALIDATE_COMMON_PROPERTIES == 0x061);
  CHECK(CLCTL_GET_COMMON_PROPERTY_FMTS == 0x065);
  CHECK(CLCTL_GET_COMMON_RESOURCE_PROPERTY_FMTS == 0x069);
  CHECK(CLCTL_ENUM_PRIVATE_PROPERTIES == 0x079);
  CHECK(CLCTL_GET_RO_PRIVATE_PROPERTIES == 0x07D);
  CHECK(CLCTL_GET_PRIVATE_PROPERTIES == 0x081);
  CHECK(CLCTL_SET_PRIVATE_PROPERTIES == 0x400086);
  CHECK(CLCTL_VALIDATE_PRIVATE_PROPERTIES == 0x089);
  CHECK(CLCTL_GET_PRIVATE_PROPERTY_FMTS == 0x08D);
  CHECK(CLCTL_GET_PRIVATE_RESOURCE_PROPERTY_FMTS == 0x091);
  CHECK(CLCTL_ADD_REGISTRY_CHECKPOINT == 0x4000A2);
  CHECK(CLCTL_DELETE_REGISTRY_CHECKPOINT == 0x4000A6);
  CHECK(CLCTL_GET_REGISTRY_CHECKPOINTS == 0x0A9);
  CHECK(CLCTL_GET_NETWORK_NAME == 0x169);
  CHECK(CLCTL_STORAGE_GET_DISK_INFO == 0x191);
  CHECK(CLCTL_QUERY_DELETE == 0x1B9);

  /* Internal codes: 0x500000 | fn << 2 | write access. */
  CHECK(CLCTL_DELETE == 0x500006);
  CHECK(CLCTL_ADD_DEPENDENCY == 0x500012);
  CHECK(CLCTL_STARTING_PHASE1 == 0x500036);
  CHECK(CLCTL_STARTING_PHASE2 == 0x50003A);
  CHECK(CLCTL_STATE_CHANGE_REASON == CLCTL_INTERNAL_CODE(19, CLUS_ACCESS_WRITE, CLUS_MODIFY));
  CHECK(CLCTL_STATE_CHANGE_REASON == 0x50004E);
  CHECK(CLUSCTL_RESOURCE_DELETE == 0x01500006);
  CHECK(CLUSCTL_RESOURCE_STATE_CHANGE_REASON == 0x0150004E);

  /* The machinery. */
  CHECK(CLUS_OBJECT_RESOURCE == 1 && CLUS_OBJECT_RESOURCE_TYPE == 2 && CLUS_OBJECT_GROUP == 3 &&
        CLUS_OBJECT_NODE == 4 && CLUS_OBJECT_NETWORK == 5 && CLUS_OBJECT_NETINTERFACE == 6 &&
        CLUS_OBJECT_CLUSTER == 7 && CLUS_OBJECT_USER == 128);
  CHECK(CLCTL_EXTERNAL_CODE(22, CLUS_ACCESS_READ, CLUS_NO_MODIFY) == 0x59);
  CHECK(CLCTL_INTERNAL_MASK == 0x00100000 && CLCTL_USER_MASK == 0x00200000);
  CHECK(CLCTL_MODIFY_MASK == 0x00400000 && CLCTL_GLOBAL_MASK == 0x00800000);
  CHECK(CLUSCTL_GET_CONTROL_OBJECT(CLUSCTL_GROUP_GET_COMMON_PROPERTIES) == CLUS_OBJECT_GROUP);
  CHECK(CLUSCTL_GET_CONTROL_OBJECT(CLUSCTL_CLUSTER_GET_FQDN) == CLUS_OBJECT_CLUSTER);
  CHECK(CLUSCTL_GET_ACCESS_MODE(CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES) == CLUS_ACCESS_WRITE);
  CHECK(CLUSCTL_GET_ACCESS_MODE(CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES) == CLUS_ACCESS_READ);
  /* Microsoft's mask (0x3FFFFF) keeps access and function, not the modify bit. */
  CHECK(CLUSCTL_GET_CONTROL_FUNCTION(CLUSCTL_RESOURCE_SET_PRIVATE_PROPERTIES) == 0x86);
  /* Microsoft's macro: the user base lands on bit 23 after the shift. */
  CHECK(CLUSCTL_USER_CODE(1, CLUS_OBJECT_RESOURCE) == 0x01800004);
  CHECK(CLCTL_NETNAME_CREDS_UPDATED == 0x00C0018A);
}

static void check_classes_and_syntax(void) {
  CLUSPROP_SYNTAX syntax;
  LARGE_INTEGER li;
  ULARGE_INTEGER uli;
  CLUS_RESOURCE_CLASS_INFO info;
  CLUSPROP_DWORD entry;
  CLUSPROP_BUFFER_HELPER helper;

  CHECK(CLUS_CHAR_UNKNOWN == 0 && CLUS_CHAR_QUORUM == 1 &&
        CLUS_CHAR_DELETE_REQUIRES_ALL_NODES == 2 && CLUS_CHAR_LOCAL_QUORUM == 4 &&
        CLUS_CHAR_REQUIRES_STATE_CHANGE_REASON == 0x10 && CLUS_CHAR_SINGLE_GROUP_INSTANCE == 0x80);
  CHECK(CLUS_FLAG_CORE == 1);
  CHECK(CLUS_RESCLASS_UNKNOWN == 0 && CLUS_RESCLASS_STORAGE == 1 && CLUS_RESCLASS_NETWORK == 2 &&
        CLUS_RESCLASS_USER == 32768);
  CHECK(CLUS_RESSUBCLASS_SHARED == 0x80000000u);

  CHECK(CLUSPROP_FORMAT_BINARY == 1 && CLUSPROP_FORMAT_DWORD == 2 && CLUSPROP_FORMAT_SZ == 3 &&
        CLUSPROP_FORMAT_EXPAND_SZ == 4 && CLUSPROP_FORMAT_MULTI_SZ == 5 &&
        CLUSPROP_FORMAT_ULARGE_INTEGER == 6 && CLUSPROP_FORMAT_LONG == 7 &&
        CLUSPROP_FORMAT_EXPANDED_SZ == 8 && CLUSPROP_FORMAT_LARGE_INTEGER == 10 &&
        CLUSPROP_FORMAT_WORD == 11 && CLUSPROP_FORMAT_FILETIME == 12 &&
        CLUSPROP_FORMAT_USER == 32768);
  CHECK(CLUSPROP_TYPE_UNKNOWN == -1 && CLUSPROP_TYPE_ENDMARK == 0 &&
        CLUSPROP_TYPE_LIST_VALUE == 1 && CLUSPROP_TYPE_RESCLASS == 2 && CLUSPROP_TYPE_NAME == 4 &&
        CLUSPROP_TYPE_SIGNATURE == 5);
  CHECK(CLUSPROP_SYNTAX_ENDMARK == 0);
  CHECK(CLUSPROP_SYNTAX_NAME == 0x00040003);
  CHECK(CLUSPROP_SYNTAX_RESCLASS == 0x00020002);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_BINARY == 0x00010001);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_DWORD == 0x00010002);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_SZ == 0x00010003);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_EXPAND_SZ == 0x00010004);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_MULTI_SZ == 0x00010005);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_ULARGE_INTEGER == 0x00010006);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_LONG == 0x00010007);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_EXPANDED_SZ == 0x00010008);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_LARGE_INTEGER == 0x0001000A);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_WORD == 0x0001000B);
  CHECK(CLUSPROP_SYNTAX_LIST_VALUE_FILETIME == 0x0001000C);
  CHECK(CLUSPROP_SYNTAX_DISK_SIGNATURE == 0x00050002);
  CHECK(ALIGN_CLUSPROP(0) == 0 && ALIGN_CLUSPROP(1) == 4 && ALIGN_CLUSPROP(4) == 4 &&
        ALIGN_CLUSPROP(5) == 8);

  /* The syntax union splits into format (low word) and type (high word). */
  syntax.dw = CLUSPROP_SYNTAX_NAME;
  CHECK(syntax.wFormat == CLUSPROP_FORMAT_SZ && syntax.wType == CLUSPROP_TYPE_NAME);

  /* Value entries read through the buffer helper, as DLLs parse property lists. */
  entry.Syntax.dw = CLUSPROP_SYNTAX_LIST_VALUE_DWORD;
  entry.cbLength = sizeof(DWORD);
  entry.dw = 42;
  helper.pb = (BYTE*)&entry;
  CHECK(helper.pValue->Syntax.dw == CLUSPROP_SYNTAX_LIST_VALUE_DWORD);
  CHECK(helper.pValue->cbLength == 4 && helper.pDwordValue->dw == 42);
  CHECK(helper.pb + sizeof(CLUSPROP_VALUE) + ALIGN_CLUSPROP(helper.pValue->cbLength) ==
        (BYTE*)(&entry + 1));

  li.QuadPart = 0x0000000200000001LL;
  CHECK(li.LowPart == 1 && li.HighPart == 2 && li.u.LowPart == 1);
  uli.QuadPart = 0xFFFFFFFF00000003ULL;
  CHECK(uli.LowPart == 3 && uli.HighPart == 0xFFFFFFFFu);

  info.rc = CLUS_RESCLASS_STORAGE;
  info.SubClass = CLUS_RESSUBCLASS_SHARED;
  CHECK(info.dw == 1 && info.li.LowPart == 1 && info.li.HighPart == 0x80000000u);
}

static void check_error_codes(void) {
  CHECK(ERROR_SUCCESS == 0 && NO_ERROR == 0);
  CHECK(ERROR_INVALID_FUNCTION == 1);
  CHECK(ERROR_FILE_NOT_FOUND == 2);
  CHECK(ERROR_ACCESS_DENIED == 5);
  CHECK(ERROR_INVALID_HANDLE == 6);
  CHECK(ERROR_NOT_ENOUGH_MEMORY == 8);
  CHECK(ERROR_INVALID_PARAMETER == 87);
  CHECK(ERROR_MOD_NOT_FOUND == 126);
  CHECK(ERROR_PROC_NOT_FOUND == 127);
  CHECK(ERROR_ALREADY_EXISTS == 183);
  CHECK(ERROR_MORE_DATA == 234);
  CHECK(WAIT_TIMEOUT == 258);
  CHECK(ERROR_NO_MORE_ITEMS == 259);
  CHECK(ERROR_IO_PENDING == 997);
  CHECK(ERROR_NOT_FOUND == 1168);
  CHECK(ERROR_REVISION_MISMATCH == 1306);
  CHECK(ERROR_TIMEOUT == 1460);
  CHECK(ERROR_RESOURCE_TYPE_NOT_FOUND == 1813);
  CHECK(ERROR_DEPENDENCY_NOT_FOUND == 5002);
  CHECK(ERROR_RESOURCE_NOT_ONLINE == 5004);
  CHECK(ERROR_RESOURCE_NOT_FOUND == 5007);
  CHECK(ERROR_GROUP_NOT_FOUND == 5013);
  CHECK(ERROR_INVALID_STATE == 5023);
  CHECK(ERROR_RESOURCE_PROPERTIES_STORED == 5024);
  CHECK(ERROR_RESOURCE_FAILED == 5038);
  CHECK(ERROR_CLUSTER_NODE_NOT_FOUND == 5042);
  CHECK(ERROR_CLUSTER_RESOURCE_TYPE_NOT_FOUND == 5078);
  CHECK(ERROR_CLUSTER_RESNAME_NOT_FOUND == 5080);
  CHECK(ERROR_RESOURCE_PROPERTY_UNCHANGEABLE == 5089);
  CHECK(ERROR_CLUSTER_MEMBERSHIP_INVALID_STATE == 5890);
  CHECK(ERROR_CLUSTER_GROUP_MOVING == 5908);
  CHECK(ERROR_RESOURCE_CALL_TIMED_OUT == 5910);
  CHECK(ERROR_CLUSTER_NO_QUORUM == 5925);
  CHECK(ERROR_CLUSTER_GROUP_BUSY == 5944);
  CHECK(ERROR_NODE_NOT_ACTIVE_CLUSTER_MEMBER == 5980);
  CHECK(ERROR_CLUSTER_RESOURCE_NOT_MONITORED == 5981);
}

static void check_windows_basics(void) {
  HKEY key = NULL;
  BYTE buffer[4] = {1, 2, 3, 4};
  CHECK(TRUE == 1 && FALSE == 0);
  CHECK(MAX_PATH == 260);
  CHECK(INVALID_HANDLE_VALUE == (HANDLE)(LONG_PTR)-1);
  CHECK(REG_NONE == 0 && REG_SZ == 1 && REG_EXPAND_SZ == 2 && REG_BINARY == 3 && REG_DWORD == 4 &&
        REG_MULTI_SZ == 7 && REG_QWORD == 11);
  CHECK(KEY_READ == 0x20019 && KEY_WRITE == 0x20006 && KEY_ALL_ACCESS == 0xF003F);
  CHECK(REG_CREATED_NEW_KEY == 1 && REG_OPENED_EXISTING_KEY == 2);
  CHECK(MAKELONG(1, 2) == 0x00020001 && LOWORD(0x00020001) == 1 && HIWORD(0x00020001) == 2);
  ZeroMemory(buffer, sizeof buffer);
  CHECK(buffer[0] == 0 && buffer[3] == 0);
  FillMemory(buffer, sizeof buffer, 7);
  CHECK(buffer[1] == 7);

  /* The library's C entry points link from C, and refuse what they do not know. */
  CHECK(ClusterRegCloseKey(NULL) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegOpenKey(NULL, L"Parameters", KEY_READ, &key) == ERROR_INVALID_HANDLE);
  CHECK(ClusterRegSetValue((HKEY)(ULONG_PTR)0x12345, L"x", REG_DWORD, buffer, 4) ==
        ERROR_INVALID_HANDLE);
  SetLastError(ERROR_IO_PENDING);
  CHECK(GetLastError() == ERROR_IO_PENDING);
}

int main(void) {
  check_startup_and_table();
  check_states();
  check_change_flags();
  check_control_codes();
  check_classes_and_syntax();
  check_error_codes();
  check_windows_basics();
  printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
  return g_failures == 0 ? 0 : 1;
}
