// The HRESOURCE handles that ResUtilResourcesEqual and ResUtilResourceTypesEqual compare.
//
// Host side (resource monitor, tests), not for plugins: the cluster API a plugin would get
// an HRESOURCE from (OpenClusterResource) is not offered to plugins yet, so the host makes
// the handles it hands out. A handle is a token, never an address, and is never reused.
#pragma once

#include <string>

#include "wolfpack/clusapi.h"

namespace wolfpack {

WP_RESUTILS_API HRESOURCE open_resource_handle(const std::wstring& name,
                                               const std::wstring& type_name);
// Later uses of the handle behave as for an unknown handle. Unknown handles are ignored.
WP_RESUTILS_API void close_resource_handle(HRESOURCE handle);

}  // namespace wolfpack
