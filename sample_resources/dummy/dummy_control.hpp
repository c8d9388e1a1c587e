#pragma once

// ResourceControl and ResourceTypeControl of the Dummy type. Codes not listed in
// docs/dummy.md return ERROR_INVALID_FUNCTION so that the monitor does its default.

#include <wolfpack/resapi.h>

namespace wolfpack::dummy {

class dummy_resource;

DWORD resource_control(dummy_resource& resource, DWORD control_code, const void* in_buffer,
                       DWORD in_buffer_size, void* out_buffer, DWORD out_buffer_size,
                       DWORD* bytes_returned);

DWORD resource_type_control(DWORD control_code, const void* in_buffer, DWORD in_buffer_size,
                            void* out_buffer, DWORD out_buffer_size, DWORD* bytes_returned);

}  // namespace wolfpack::dummy
