// The Win32 code of a failure the C++ library reports as a std::error_code (std::filesystem,
// the platform layer): what Windows itself answers for the same failure of a file, directory,
// process or device. One table for resutils and the sample types, which each override only
// what their call means differently (CreateDirectory says ERROR_PATH_NOT_FOUND for a missing
// parent; an IP address already on an interface is ERROR_CLUSTER_IPADDR_IN_USE).
#pragma once

#include <system_error>

#include "wolfpack/export.h"
#include "wolfpack/win_types.h"

namespace wolfpack {

// ERROR_SUCCESS for no error; ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED,
// ERROR_ALREADY_EXISTS, ERROR_BAD_EXE_FORMAT, ERROR_NOT_ENOUGH_MEMORY, ERROR_DISK_FULL,
// ERROR_FILENAME_EXCED_RANGE, ERROR_DEV_NOT_EXIST by the error's portable condition;
// ERROR_GEN_FAILURE for the rest.
WP_RESUTILS_API DWORD win32_code_of(const std::error_code& e) noexcept;

}  // namespace wolfpack
