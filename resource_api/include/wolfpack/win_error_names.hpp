// Names and short English messages for the Win32 error codes in wolfpack/winerror.h,
// for logs, the CLI ("System error 5013 has occurred (0x1395).") and API error bodies.
#pragma once

#include <cstdint>

#include "wolfpack/export.h"

namespace wolfpack {

// "ERROR_GROUP_NOT_FOUND" for 5013; "" (never null) for a code this table does not know.
WP_RESUTILS_API const char* win32_error_name(std::uint32_t code) noexcept;

// A one-line message like FormatMessage gives ("The cluster group could not be found.");
// "Unknown error." (never null) for a code this table does not know.
WP_RESUTILS_API const char* win32_error_message(std::uint32_t code) noexcept;

}  // namespace wolfpack
