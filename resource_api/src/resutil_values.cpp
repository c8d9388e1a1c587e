// ResUtil functions over single cluster database values, and the string, path and
// resource-handle helpers.
#include <cstdint>
#include <cstring>
#include <cwchar>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster_lookup.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"
#include "wolfpack/resource_handles.hpp"

namespace {

using namespace wolfpack::detail;

// Reads a string-typed value; ERROR_INVALID_PARAMETER for any other type.
DWORD read_string(HKEY key, LPCWSTR name, std::wstring& text, DWORD& type) {
  std::vector<std::uint8_t> data;
  const DWORD status = query_value(key, name, type, data);
  if (status != ERROR_SUCCESS)
    return status;
  if (type != REG_SZ && type != REG_EXPAND_SZ && type != REG_MULTI_SZ)
    return ERROR_INVALID_PARAMETER;
  if (type == REG_MULTI_SZ) {
    // The whole buffer, inner terminators included.
    text.assign(data.size() / sizeof(WCHAR), L'\0');
    if (!text.empty())
      std::memcpy(text.data(), data.data(), text.size() * sizeof(WCHAR));
    while (!text.empty() && text.back() == L'\0')
      text.pop_back();
    return ERROR_SUCCESS;
  }
  text = string_from_bytes(data);
  return ERROR_SUCCESS;
}

// A LocalAlloc'd copy of a MULTI_SZ's characters plus its final terminators (or NULL).
LPWSTR multi_sz_copy(const std::wstring& chars) {
  std::wstring with_ends = chars;
  with_ends.push_back(L'\0');  // local_string adds the second one
  return local_string(with_ends);
}

// Writes a string value unless the caller's copy says it is unchanged; then replaces the
// caller's copy.
DWORD set_string(HKEY key, LPCWSTR name, DWORD type, LPCWSTR value, LPWSTR* out) {
  if (value == nullptr)
    return ERROR_INVALID_PARAMETER;
  const bool unchanged = out != nullptr && *out != nullptr && std::wcscmp(*out, value) == 0;
  if (unchanged)
    return ERROR_SUCCESS;
  LPWSTR copy = nullptr;
  if (out != nullptr) {
    copy = local_string(value);
    if (copy == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
  }
  const DWORD status =
      write_value(key, name, type, value, (std::wcslen(value) + 1) * sizeof(WCHAR));
  if (status != ERROR_SUCCESS) {
    LocalFree(copy);
    return status;
  }
  if (out != nullptr) {
    LocalFree(*out);
    *out = copy;
  }
  return ERROR_SUCCESS;
}

// The same for byte buffers (MULTI_SZ and BINARY): compared by size and bytes.
DWORD set_bytes(HKEY key, LPCWSTR name, DWORD type, const void* value, DWORD size, void** out,
                LPDWORD out_size) {
  if (value == nullptr && size != 0)
    return ERROR_INVALID_PARAMETER;
  const bool have_copy = out != nullptr && *out != nullptr && out_size != nullptr;
  if (have_copy && *out_size == size && (size == 0 || std::memcmp(*out, value, size) == 0))
    return ERROR_SUCCESS;
  LPBYTE copy = nullptr;
  if (out != nullptr) {
    copy = local_bytes(value, size);
    if (copy == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
  }
  const DWORD status = write_value(key, name, type, value, size);
  if (status != ERROR_SUCCESS) {
    LocalFree(copy);
    return status;
  }
  if (out != nullptr) {
    LocalFree(*out);
    *out = copy;
  }
  if (out_size != nullptr)
    *out_size = size;
  return ERROR_SUCCESS;
}

// ---- resource handles ----

struct resource_identity {
  std::wstring name;
  std::wstring type_name;
};

class resource_handle_table {
 public:
  static resource_handle_table& instance() {
    static auto* table = new resource_handle_table();  // leaked: plugins may outlive statics
    return *table;
  }
  HRESOURCE add(resource_identity identity) {
    std::lock_guard lock(mutex_);
    const std::uintptr_t value = next_;
    next_ += 0x10;
    handles_.emplace(value, std::move(identity));
    return reinterpret_cast<HRESOURCE>(value);
  }
  void remove(HRESOURCE handle) {
    std::lock_guard lock(mutex_);
    handles_.erase(reinterpret_cast<std::uintptr_t>(handle));
  }
  std::optional<resource_identity> find(HRESOURCE handle) const {
    std::lock_guard lock(mutex_);
    const auto it = handles_.find(reinterpret_cast<std::uintptr_t>(handle));
    if (it == handles_.end())
      return std::nullopt;
    return it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::uintptr_t, resource_identity> handles_;  // guarded by mutex_
  std::uintptr_t next_ = 0x7000;                         // guarded by mutex_
};

// The name and type of a resource handle: one the host made (wolfpack/resource_handles.hpp),
// or one of the cluster API (OpenClusterResource, the dependency lookups), asked of the
// cluster. nullopt for anything else.
std::optional<resource_identity> identify(HRESOURCE handle) {
  if (auto known = resource_handle_table::instance().find(handle))
    return known;
  if (handle == nullptr)
    return std::nullopt;
  const clusapi_entry_points* api = clusapi();
  if (api == nullptr)
    return std::nullopt;
  resource_identity identity;
  if (resource_string(*api, handle, CLUSCTL_RESOURCE_GET_NAME, identity.name) != ERROR_SUCCESS ||
      resource_string(*api, handle, CLUSCTL_RESOURCE_GET_RESOURCE_TYPE, identity.type_name) !=
          ERROR_SUCCESS)
    return std::nullopt;
  return identity;
}

// Path characters Windows refuses anywhere in a name.
bool forbidden_path_char(wchar_t c) {
  return c < 0x20 || c == L'*' || c == L'?' || c == L'"' || c == L'<' || c == L'>' || c == L'|';
}

bool is_drive_letter(wchar_t c) {
  return (c >= L'A' && c <= L'Z') || (c >= L'a' && c <= L'z');
}

}  // namespace

namespace wolfpack {

HRESOURCE open_resource_handle(const std::wstring& name, const std::wstring& type_name) {
  return resource_handle_table::instance().add({name, type_name});
}

void close_resource_handle(HRESOURCE handle) {
  resource_handle_table::instance().remove(handle);
}

}  // namespace wolfpack

extern "C" {

DWORD WINAPI ResUtilGetDwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPDWORD pdwOutValue,
                                  DWORD dwDefaultValue) {
  if (pdwOutValue == nullptr)
    return ERROR_INVALID_PARAMETER;
  *pdwOutValue = dwDefaultValue;
  return guarded_status([&]() -> DWORD {
    DWORD type = REG_NONE;
    std::vector<std::uint8_t> data;
    const DWORD status = query_value(hkeyClusterKey, pszValueName, type, data);
    if (status == ERROR_FILE_NOT_FOUND)
      return ERROR_SUCCESS;  // the default stands
    if (status != ERROR_SUCCESS)
      return status;
    if (type != REG_DWORD || data.size() != sizeof(DWORD))
      return ERROR_INVALID_PARAMETER;
    std::memcpy(pdwOutValue, data.data(), sizeof(DWORD));
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI ResUtilGetQwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, PULONGLONG pqwOutValue,
                                  ULONGLONG qwDefaultValue) {
  if (pqwOutValue == nullptr)
    return ERROR_INVALID_PARAMETER;
  *pqwOutValue = qwDefaultValue;
  return guarded_status([&]() -> DWORD {
    DWORD type = REG_NONE;
    std::vector<std::uint8_t> data;
    const DWORD status = query_value(hkeyClusterKey, pszValueName, type, data);
    if (status == ERROR_FILE_NOT_FOUND)
      return ERROR_SUCCESS;
    if (status != ERROR_SUCCESS)
      return status;
    if (type != REG_QWORD || data.size() != sizeof(ULONGLONG))
      return ERROR_INVALID_PARAMETER;
    std::memcpy(pqwOutValue, data.data(), sizeof(ULONGLONG));
    return ERROR_SUCCESS;
  });
}

LPWSTR WINAPI ResUtilGetSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName) {
  return ResUtilGetExpandSzValue(hkeyClusterKey, pszValueName, FALSE);
}

LPWSTR WINAPI ResUtilGetExpandSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, BOOL bExpand) {
  LPWSTR result = nullptr;
  const DWORD status = guarded_status([&]() -> DWORD {
    std::wstring text;
    DWORD type = REG_NONE;
    const DWORD s = read_string(hkeyClusterKey, pszValueName, text, type);
    if (s != ERROR_SUCCESS)
      return s;
    if (type == REG_MULTI_SZ) {
      result = multi_sz_copy(text);
    } else {
      result = local_string(bExpand && type == REG_EXPAND_SZ ? expand_environment(text) : text);
    }
    return result != nullptr ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
  });
  if (status != ERROR_SUCCESS) {
    SetLastError(status);
    return nullptr;
  }
  return result;
}

DWORD WINAPI ResUtilGetBinaryValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPBYTE* ppbOutValue,
                                   LPDWORD pcbOutValueSize) {
  if (ppbOutValue == nullptr || pcbOutValueSize == nullptr)
    return ERROR_INVALID_PARAMETER;
  *ppbOutValue = nullptr;
  *pcbOutValueSize = 0;
  return guarded_status([&]() -> DWORD {
    DWORD type = REG_NONE;
    std::vector<std::uint8_t> data;
    const DWORD status = query_value(hkeyClusterKey, pszValueName, type, data);
    if (status != ERROR_SUCCESS)
      return status;
    LPBYTE copy = local_bytes(data.data(), data.size());
    if (copy == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
    *ppbOutValue = copy;
    *pcbOutValueSize = static_cast<DWORD>(data.size());
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI ResUtilGetMultiSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPWSTR* ppszOutValue,
                                    LPDWORD pcbOutValueSize) {
  return ResUtilGetBinaryValue(hkeyClusterKey, pszValueName,
                               reinterpret_cast<LPBYTE*>(ppszOutValue), pcbOutValueSize);
}

DWORD WINAPI ResUtilSetDwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, DWORD dwNewValue,
                                  LPDWORD pdwOutValue) {
  if (pdwOutValue != nullptr && *pdwOutValue == dwNewValue)
    return ERROR_SUCCESS;
  const DWORD status =
      write_value(hkeyClusterKey, pszValueName, REG_DWORD, &dwNewValue, sizeof dwNewValue);
  if (status == ERROR_SUCCESS && pdwOutValue != nullptr)
    *pdwOutValue = dwNewValue;
  return status;
}

DWORD WINAPI ResUtilSetQwordValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, ULONGLONG qwNewValue,
                                  PULONGLONG pqwOutValue) {
  if (pqwOutValue != nullptr && *pqwOutValue == qwNewValue)
    return ERROR_SUCCESS;
  const DWORD status =
      write_value(hkeyClusterKey, pszValueName, REG_QWORD, &qwNewValue, sizeof qwNewValue);
  if (status == ERROR_SUCCESS && pqwOutValue != nullptr)
    *pqwOutValue = qwNewValue;
  return status;
}

DWORD WINAPI ResUtilSetSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPCWSTR pszNewValue,
                               LPWSTR* ppszOutString) {
  return guarded_status(
      [&] { return set_string(hkeyClusterKey, pszValueName, REG_SZ, pszNewValue, ppszOutString); });
}

DWORD WINAPI ResUtilSetExpandSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPCWSTR pszNewValue,
                                     LPWSTR* ppszOutString) {
  return guarded_status([&] {
    return set_string(hkeyClusterKey, pszValueName, REG_EXPAND_SZ, pszNewValue, ppszOutString);
  });
}

DWORD WINAPI ResUtilSetMultiSzValue(HKEY hkeyClusterKey, LPCWSTR pszValueName, LPCWSTR pszNewValue,
                                    DWORD cbNewValueSize, LPWSTR* ppszOutValue,
                                    LPDWORD pcbOutValueSize) {
  return guarded_status([&] {
    return set_bytes(hkeyClusterKey, pszValueName, REG_MULTI_SZ, pszNewValue, cbNewValueSize,
                     reinterpret_cast<void**>(ppszOutValue), pcbOutValueSize);
  });
}

DWORD WINAPI ResUtilSetBinaryValue(HKEY hkeyClusterKey, LPCWSTR pszValueName,
                                   const LPBYTE pbNewValue, DWORD cbNewValueSize,
                                   LPBYTE* ppbOutValue, LPDWORD pcbOutValueSize) {
  return guarded_status([&] {
    return set_bytes(hkeyClusterKey, pszValueName, REG_BINARY, pbNewValue, cbNewValueSize,
                     reinterpret_cast<void**>(ppbOutValue), pcbOutValueSize);
  });
}

BOOL WINAPI ResUtilResourcesEqual(HRESOURCE hSelf, HRESOURCE hResource) {
  try {
    const auto self = identify(hSelf);
    const auto other = identify(hResource);
    if (!self || !other) {
      SetLastError(ERROR_INVALID_HANDLE);
      return FALSE;
    }
    return names_equal(self->name, other->name) ? TRUE : FALSE;
  } catch (...) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return FALSE;
  }
}

BOOL WINAPI ResUtilResourceTypesEqual(LPCWSTR lpszResourceTypeName, HRESOURCE hResource) {
  try {
    const auto resource = identify(hResource);
    if (!resource) {
      SetLastError(ERROR_INVALID_HANDLE);
      return FALSE;
    }
    if (lpszResourceTypeName == nullptr)
      return FALSE;
    return names_equal(lpszResourceTypeName, resource->type_name) ? TRUE : FALSE;
  } catch (...) {
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return FALSE;
  }
}

DWORD WINAPI ResUtilGetResourceName(HRESOURCE hResource, PWSTR pszResourceName,
                                    DWORD* pcchResourceNameInOut) {
  if (pcchResourceNameInOut == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    const auto resource = identify(hResource);
    if (!resource)
      return ERROR_INVALID_HANDLE;
    const std::wstring& name = resource->name;
    // In: the buffer's size in characters; out: the name's length, terminator excluded,
    // also when it did not fit (as the cluster API's name buffers do).
    const bool fits = pszResourceName != nullptr && *pcchResourceNameInOut > name.size();
    *pcchResourceNameInOut = static_cast<DWORD>(name.size());
    if (!fits)
      return ERROR_MORE_DATA;
    std::wmemcpy(pszResourceName, name.c_str(), name.size() + 1);
    return ERROR_SUCCESS;
  });
}

BOOL WINAPI ResUtilIsPathValid(LPCWSTR pszPath) {
  if (pszPath == nullptr || pszPath[0] == L'\0')
    return FALSE;
  const std::size_t length = std::wcslen(pszPath);
  if (length >= 32767)
    return FALSE;
  for (std::size_t i = 0; i < length; ++i) {
    const wchar_t c = pszPath[i];
    if (forbidden_path_char(c))
      return FALSE;
    if (c == L':' && !(i == 1 && is_drive_letter(pszPath[0])))
      return FALSE;
  }
  return TRUE;
}

PWSTR WINAPI ResUtilDupString(LPCWSTR pszInString) {
  if (pszInString == nullptr) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return nullptr;
  }
  return local_string(pszInString);
}

}  // extern "C"
