// The HRESOURCE handles that ResUtilResourcesEqual and ResUtilResourceTypesEqual compare.
//
// Host side (tests, hosts without a cluster), not for plugins: a plugin gets its HRESOURCEs
// from the cluster API (OpenClusterResource, the ResUtil lookups), which those functions
// accept too. A handle made here is a token, never an address, and is never reused.
#pragma once

#include <string>

#include "wolfpack/clusapi.h"

namespace wolfpack {

WP_RESUTILS_API HRESOURCE open_resource_handle(const std::wstring& name,
                                               const std::wstring& type_name);
// Later uses of the handle behave as for an unknown handle. Unknown handles are ignored.
WP_RESUTILS_API void close_resource_handle(HRESOURCE handle);

}  // namespace wolfpack
