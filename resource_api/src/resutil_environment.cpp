// Environment strings and directories: ResUtilExpandEnvironmentStrings,
// ResUtilCreateDirectoryTree, and the environment block of ResUtilGetEnvironmentWithNetName.
#include <algorithm>
#include <cwchar>
#include <filesystem>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>

#include "clusapi_entry_points.hpp"
#include "resutil_support.hpp"
#include "wolfpack/common/platform/environment.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/wide_string.hpp"
#include "wolfpack/win_error_code.hpp"

namespace {

using namespace wolfpack::detail;

// The Win32 code CreateDirectory would have given: the common table, but a missing parent is
// a path not found.
DWORD directory_error(const std::error_code& ec) {
  return ec == std::errc::no_such_file_or_directory ? ERROR_PATH_NOT_FOUND
                                                    : wolfpack::win32_code_of(ec);
}

// The Name of the Network Name `resource` depends on (directly or through others), as
// GetClusterResourceNetworkName finds it: ERROR_DEPENDENCY_NOT_FOUND when there is none.
DWORD network_name_of(HRESOURCE resource, std::wstring& out) {
  const clusapi_entry_points* api = clusapi();
  if (api == nullptr)
    return ERROR_NOT_SUPPORTED;
  std::wstring buffer(64, L'\0');
  for (;;) {
    DWORD cch = static_cast<DWORD>(buffer.size());
    if (api->GetClusterResourceNetworkName(resource, buffer.data(), &cch)) {
      out.assign(buffer.data(), std::min<std::size_t>(cch, buffer.size()));
      if (const auto nul = out.find(L'\0'); nul != std::wstring::npos)
        out.resize(nul);
      return ERROR_SUCCESS;
    }
    const DWORD status = GetLastError();
    if (status != ERROR_MORE_DATA || cch < buffer.size())
      return status;
    buffer.assign(static_cast<std::size_t>(cch) + 1, L'\0');
  }
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
  LPVOID block = nullptr;
  const DWORD error = guarded_status([&]() -> DWORD {
    if (hResource == nullptr)
      return ERROR_INVALID_PARAMETER;
    std::wstring name;
    if (const DWORD status = network_name_of(hResource, name); status != ERROR_SUCCESS)
      return status;
    // The process's environment with MSCS's variables replacing any of the same name (names
    // compared as Windows does, ignoring case).
    const std::pair<std::wstring, std::wstring> added[] = {
        {L"_CLUSTER_NETWORK_NAME_", name},
        {L"_CLUSTER_NETWORK_HOSTNAME_", name},
        {L"_CLUSTER_NETWORK_FQDN_", name},
    };
    std::wstring text;
    for (const auto& [variable, value] : wolfpack::platform::environment_variables()) {
      const std::wstring wide = wolfpack::from_utf8(variable);
      const bool replaced = std::any_of(std::begin(added), std::end(added),
                                        [&](const auto& a) { return names_equal(a.first, wide); });
      if (!replaced)
        text += wide + L"=" + wolfpack::from_utf8(value) + L'\0';
    }
    for (const auto& [variable, value] : added)
      text += variable + L"=" + value + L'\0';
    text += L'\0';
    block = LocalAlloc(LMEM_FIXED, text.size() * sizeof(WCHAR));
    if (block == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
    std::wmemcpy(static_cast<WCHAR*>(block), text.data(), text.size());
    return ERROR_SUCCESS;
  });
  SetLastError(error);
  return error == ERROR_SUCCESS ? block : nullptr;
}

DWORD WINAPI ResUtilFreeEnvironment(LPVOID lpEnvironment) {
  LocalFree(lpEnvironment);
  return ERROR_SUCCESS;
}

}  // extern "C"
