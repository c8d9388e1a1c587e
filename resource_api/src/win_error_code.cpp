#include "wolfpack/win_error_code.hpp"

#include "wolfpack/winerror.h"

namespace wolfpack {

DWORD win32_code_of(const std::error_code& e) noexcept {
  if (!e)
    return ERROR_SUCCESS;
  // Compared as portable conditions, so that errno values and Win32 codes both map.
  const std::error_condition c = e.default_error_condition();
  if (c == std::errc::no_such_file_or_directory)
    return ERROR_FILE_NOT_FOUND;
  if (c == std::errc::not_a_directory)
    return ERROR_PATH_NOT_FOUND;
  if (c == std::errc::permission_denied || c == std::errc::operation_not_permitted ||
      c == std::errc::read_only_file_system)
    return ERROR_ACCESS_DENIED;
  if (c == std::errc::file_exists)
    return ERROR_ALREADY_EXISTS;
  if (c == std::errc::executable_format_error)
    return ERROR_BAD_EXE_FORMAT;
  if (c == std::errc::not_enough_memory)
    return ERROR_NOT_ENOUGH_MEMORY;
  if (c == std::errc::no_space_on_device)
    return ERROR_DISK_FULL;
  if (c == std::errc::filename_too_long)
    return ERROR_FILENAME_EXCED_RANGE;
  if (c == std::errc::no_such_device)
    return ERROR_DEV_NOT_EXIST;
  return ERROR_GEN_FAILURE;
}

}  // namespace wolfpack
