// Startup and the C entry points of the Dummy resource type: thin wrappers that turn a
// RESID into a dummy_resource and keep every C++ exception on this side of the C ABI.

#include <memory>
#include <new>
#include <system_error>

#include <wolfpack/resapi.h>

#include "dummy_callbacks.hpp"
#include "dummy_control.hpp"
#include "dummy_instances.hpp"
#include "dummy_resource.hpp"
#include "dummy_strings.hpp"

namespace {

using wolfpack::dummy::dummy_instances;
using wolfpack::dummy::dummy_resource;

constexpr const char* type_name = "Dummy";

dummy_resource* instance(RESID resource) {
  return static_cast<dummy_resource*>(resource);
}

// The Win32 code for the exception being handled.
DWORD status_of_current_exception() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return ERROR_NOT_ENOUGH_MEMORY;
  } catch (const std::system_error&) {
    return ERROR_NOT_ENOUGH_MEMORY;  // mostly: no thread could be created
  } catch (...) {
    return ERROR_GEN_FAILURE;
  }
}

RESID WINAPI DummyOpen(LPCWSTR ResourceName, HKEY ResourceKey, RESOURCE_HANDLE ResourceHandle) {
  if (ResourceName == nullptr || ResourceKey == nullptr) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  try {
    auto resource = std::make_unique<dummy_resource>(
        wolfpack::dummy::wide_string(wolfpack::dummy::view_of(ResourceName)), ResourceKey,
        ResourceHandle);
    resource->open();
    dummy_instances::get().add(resource.get());
    return resource.release();
  } catch (...) {
    SetLastError(status_of_current_exception());
    return nullptr;
  }
}

VOID WINAPI DummyClose(RESID Resource) {
  if (Resource == nullptr)
    return;
  dummy_resource* resource = instance(Resource);
  try {
    resource->close();
  } catch (...) {
  }
  dummy_instances::get().remove(resource);
  delete resource;
}

DWORD WINAPI DummyOnline(RESID Resource, LPHANDLE EventHandle) {
  if (Resource == nullptr)
    return ERROR_INVALID_PARAMETER;
  // No failure event: the monitor polls LooksAlive/IsAlive.
  if (EventHandle != nullptr)
    *EventHandle = nullptr;
  try {
    return instance(Resource)->online();
  } catch (...) {
    return status_of_current_exception();
  }
}

DWORD WINAPI DummyOffline(RESID Resource) {
  if (Resource == nullptr)
    return ERROR_INVALID_PARAMETER;
  try {
    return instance(Resource)->offline();
  } catch (...) {
    return status_of_current_exception();
  }
}

VOID WINAPI DummyTerminate(RESID Resource) {
  if (Resource == nullptr)
    return;
  try {
    instance(Resource)->terminate();
  } catch (...) {
  }
}

BOOL WINAPI DummyLooksAlive(RESID Resource) {
  if (Resource == nullptr)
    return FALSE;
  try {
    return instance(Resource)->looks_alive();
  } catch (...) {
    return FALSE;
  }
}

BOOL WINAPI DummyIsAlive(RESID Resource) {
  if (Resource == nullptr)
    return FALSE;
  try {
    return instance(Resource)->is_alive();
  } catch (...) {
    return FALSE;
  }
}

// Arbitrate and Release make Dummy usable as a toy quorum resource: it always wins and
// never loses (so it never calls LostQuorumResource).
DWORD WINAPI DummyArbitrate(RESID Resource, PQUORUM_RESOURCE_LOST LostQuorumResource) {
  (void)LostQuorumResource;
  if (Resource == nullptr)
    return ERROR_INVALID_PARAMETER;
  try {
    instance(Resource)->enter(wolfpack::dummy::entry_point::arbitrate);
    return ERROR_SUCCESS;
  } catch (...) {
    return status_of_current_exception();
  }
}

DWORD WINAPI DummyRelease(RESID Resource) {
  if (Resource == nullptr)
    return ERROR_INVALID_PARAMETER;
  try {
    instance(Resource)->enter(wolfpack::dummy::entry_point::release);
    return ERROR_SUCCESS;
  } catch (...) {
    return status_of_current_exception();
  }
}

DWORD WINAPI DummyResourceControl(RESID Resource, DWORD ControlCode, PVOID InBuffer,
                                  DWORD InBufferSize, PVOID OutBuffer, DWORD OutBufferSize,
                                  LPDWORD BytesReturned) {
  if (Resource == nullptr)
    return ERROR_INVALID_PARAMETER;
  try {
    return wolfpack::dummy::resource_control(*instance(Resource), ControlCode, InBuffer,
                                             InBufferSize, OutBuffer, OutBufferSize, BytesReturned);
  } catch (...) {
    return status_of_current_exception();
  }
}

DWORD WINAPI DummyResourceTypeControl(LPCWSTR ResourceTypeName, DWORD ControlCode, PVOID InBuffer,
                                      DWORD InBufferSize, PVOID OutBuffer, DWORD OutBufferSize,
                                      LPDWORD BytesReturned) {
  (void)ResourceTypeName;
  try {
    return wolfpack::dummy::resource_type_control(ControlCode, InBuffer, InBufferSize, OutBuffer,
                                                  OutBufferSize, BytesReturned);
  } catch (...) {
    return status_of_current_exception();
  }
}

CLRES_V1_FUNCTION_TABLE(dummy_function_table, CLRES_VERSION_V1_00, Dummy, DummyArbitrate,
                        DummyRelease, DummyResourceControl, DummyResourceTypeControl);

}  // namespace

extern "C" WP_EXPORT DWORD WINAPI Startup(LPCWSTR ResourceType, DWORD MinVersionSupported,
                                          DWORD MaxVersionSupported,
                                          PSET_RESOURCE_STATUS_ROUTINE SetResourceStatus,
                                          PLOG_EVENT_ROUTINE LogEvent,
                                          PCLRES_FUNCTION_TABLE* FunctionTable) {
  if (FunctionTable == nullptr)
    return ERROR_INVALID_PARAMETER;
  if (MinVersionSupported > CLRES_VERSION_V1_00 || MaxVersionSupported < CLRES_VERSION_V1_00) {
    return ERROR_REVISION_MISMATCH;
  }
  if (ResourceType == nullptr ||
      !wolfpack::dummy::iequals_ascii(wolfpack::dummy::view_of(ResourceType), type_name)) {
    return ERROR_CLUSTER_RESNAME_NOT_FOUND;
  }
  wolfpack::dummy::set_callbacks(SetResourceStatus, LogEvent);
  *FunctionTable = &dummy_function_table;
  return ERROR_SUCCESS;
}
