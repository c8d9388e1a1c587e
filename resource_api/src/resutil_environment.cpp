// Environment strings and directories: ResUtilExpandEnvironmentStrings,
// ResUtilCreateDirectoryTree, and the environment block of ResUtilGetEnvironmentWithNetName.
#include <filesystem>
#include <string>
#include <system_error>

#include "resutil_support.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/wide_string.hpp"

namespace {

using namespace wolfpack::detail;

// The Win32 code CreateDirectory would have given. The portable condition, so that the
// same code serves errno (POSIX) and Win32 errors (mingw).
DWORD directory_error(const std::error_code& ec) {
  const std::error_condition c = ec.default_error_condition();
  if (c == std::errc::permission_denied || c == std::errc::operation_not_permitted ||
      c == std::errc::read_only_file_system)
    return ERROR_ACCESS_DENIED;
  if (c == std::errc::file_exists)
    return ERROR_ALREADY_EXISTS;  // a file where a directory should be
  if (c == std::errc::no_such_file_or_directory || c == std::errc::not_a_directory)
    return ERROR_PATH_NOT_FOUND;
  if (c == std::errc::no_space_on_device)
    return ERROR_DISK_FULL;
  if (c == std::errc::filename_too_long)
    return ERROR_FILENAME_EXCED_RANGE;
  return ERROR_GEN_FAILURE;
}

}  // namespace

extern "C" {

LPWSTR WINAPI ResUtilExpandEnvironmentStrings(LPCWSTR pszSrc) {
  if (pszSrc == nullptr) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  try {
    LPWSTR expanded = local_string(expand_environment(pszSrc));
    if (expanded == nullptr)
      SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return expanded;
  } catch (...) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return nullptr;
  }
}

DWORD WINAPI ResUtilCreateDirectoryTree(LPCWSTR pszPath) {
  if (pszPath == nullptr || pszPath[0] == L'\0')
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    std::wstring path(pszPath);
#if !defined(_WIN32)
    // Path syntax, not an OS call (so not the platform layer's): Windows sources write paths
    // with backslashes, and here they separate directories too.
    for (wchar_t& c : path) {
      if (c == L'\\')
        c = L'/';
    }
    const std::filesystem::path target(wolfpack::to_utf8(path));
#else
    const std::filesystem::path target(path);
#endif
    std::error_code ec;
    std::filesystem::create_directories(target, ec);
    if (ec)
      return directory_error(ec);
    // create_directories succeeds quietly when a file already has the name.
    if (!std::filesystem::is_directory(target, ec))
      return ERROR_ALREADY_EXISTS;
    return ERROR_SUCCESS;
  });
}

LPVOID WINAPI ResUtilGetEnvironmentWithNetName(HRESOURCE hResource) {
  (void)hResource;
  // The block names the Network Name this resource depends on, and a plugin cannot see its
  // dependencies yet (docs/porting.md).
  log_refusal(
      "ResUtilGetEnvironmentWithNetName: a plugin cannot look up its Network Name dependency "
      "in Wolfpack; returning NULL with ERROR_NOT_SUPPORTED (set the name through the "
      "resource's own properties instead)");
  SetLastError(ERROR_NOT_SUPPORTED);
  return nullptr;
}

DWORD WINAPI ResUtilFreeEnvironment(LPVOID lpEnvironment) {
  LocalFree(lpEnvironment);
  return ERROR_SUCCESS;
}

}  // extern "C"
