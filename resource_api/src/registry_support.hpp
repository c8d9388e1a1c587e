// The Win32 conventions every ClusterReg* function follows, for the local and the remote
// keys alike (cluster_registry.cpp, cluster_registry_remote.cpp).
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "resutil_support.hpp"
#include "wolfpack/reg_value.hpp"
#include "wolfpack/win_types.h"
#include "wolfpack/winerror.h"

namespace wolfpack::detail::registry_support {

// Runs fn, mapping escaping exceptions to Win32 codes (the registry functions return LONG).
template <typename Fn>
inline LONG guarded(Fn&& fn) noexcept {
  return static_cast<LONG>(guarded_status([&]() -> DWORD { return static_cast<DWORD>(fn()); }));
}

// A plugin's subkey path: NULL or "" mean the key itself; a leading backslash is refused
// like the Win32 registry does.
inline bool valid_subkey(LPCWSTR sub_key) {
  return sub_key == nullptr || sub_key[0] != L'\\';
}

inline std::wstring_view as_view(LPCWSTR text) {
  return text ? std::wstring_view(text) : std::wstring_view();
}

// Copies name plus terminator into a caller's buffer of *cch characters. Too small:
// ERROR_MORE_DATA and *cch = the name's length without the terminator.
inline LONG copy_name(const std::wstring& name, LPWSTR buffer, LPDWORD cch) {
  if (*cch < name.size() + 1) {
    *cch = static_cast<DWORD>(name.size());
    return ERROR_MORE_DATA;
  }
  std::copy(name.begin(), name.end(), buffer);
  buffer[name.size()] = L'\0';
  *cch = static_cast<DWORD>(name.size());
  return ERROR_SUCCESS;
}

// The Win32 data convention: NULL data returns the size; a short buffer returns
// ERROR_MORE_DATA with the size.
inline LONG copy_data(const wolfpack::reg_value& value, LPBYTE data, LPDWORD cb) {
  const auto size = static_cast<DWORD>(value.data.size());
  if (data == nullptr) {
    if (cb)
      *cb = size;
    return ERROR_SUCCESS;
  }
  if (*cb < size) {
    *cb = size;
    return ERROR_MORE_DATA;
  }
  if (size != 0)
    std::memcpy(data, value.data.data(), size);
  *cb = size;
  return ERROR_SUCCESS;
}

// ClusterRegQueryInfoKey's answers, each where the caller asked for it.
inline void report_key_info(LPDWORD sub_keys, LPDWORD max_sub_key_len, LPDWORD values,
                            LPDWORD max_value_name_len, LPDWORD max_value_len,
                            LPDWORD security_descriptor, PFILETIME last_write,
                            std::size_t sub_key_count, std::size_t longest_sub_key,
                            std::size_t value_count, std::size_t longest_value_name,
                            std::size_t largest_value, FILETIME written) {
  if (sub_keys)
    *sub_keys = static_cast<DWORD>(sub_key_count);
  if (max_sub_key_len)
    *max_sub_key_len = static_cast<DWORD>(longest_sub_key);
  if (values)
    *values = static_cast<DWORD>(value_count);
  if (max_value_name_len)
    *max_value_name_len = static_cast<DWORD>(longest_value_name);
  if (max_value_len)
    *max_value_len = static_cast<DWORD>(largest_value);
  if (security_descriptor)
    *security_descriptor = 0;  // keys carry no security descriptor
  if (last_write)
    *last_write = written;
}

}  // namespace wolfpack::detail::registry_support
