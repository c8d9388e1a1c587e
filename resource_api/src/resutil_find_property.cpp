// The ResUtilFind*Property functions: one named value out of a property list.
#include <cstring>

#include "property_codec.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

// The first value of the named property (its EXPANDED_SZ value when `expanded` and it has
// one): ERROR_FILE_NOT_FOUND if absent, ERROR_INVALID_DATA if the list is malformed or
// `accept` refuses the value.
template <typename Accept>
DWORD find_value(const void* list, DWORD size, LPCWSTR name, raw_value& found, Accept&& accept,
                 bool expanded = false) {
  if (name == nullptr)
    return ERROR_INVALID_PARAMETER;
  std::vector<raw_property> properties;
  if (walk_list(list, size, properties) != list_status::ok)
    return ERROR_INVALID_DATA;
  for (const raw_property& p : properties) {
    if (!names_equal(p.name, name))
      continue;
    found = p.values.front();
    for (const raw_value& v : p.values) {
      if (expanded && v.format() == CLUSPROP_FORMAT_EXPANDED_SZ)
        found = v;
    }
    return accept(found) ? ERROR_SUCCESS : ERROR_INVALID_DATA;
  }
  return ERROR_FILE_NOT_FOUND;
}

DWORD find_string(const void* list, DWORD size, LPCWSTR name, LPWSTR* out, bool expand_only) {
  return guarded_status([&]() -> DWORD {
    raw_value v;
    const DWORD status = find_value(list, size, name, v, [&](const raw_value& r) {
      const WORD f = r.format();
      const bool format_ok = expand_only
                                 ? f == CLUSPROP_FORMAT_EXPAND_SZ
                                 : (f == CLUSPROP_FORMAT_SZ || f == CLUSPROP_FORMAT_EXPAND_SZ ||
                                    f == CLUSPROP_FORMAT_EXPANDED_SZ);
      return format_ok && terminated_string(r);
    });
    if (status != ERROR_SUCCESS || out == nullptr)
      return status;
    *out = local_string(reinterpret_cast<const WCHAR*>(v.data));
    return *out != nullptr ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
  });
}

// The EXPANDED_SZ value a list carries with an EXPAND_SZ property, or the property's own
// string expanded here when the list has no expanded form.
DWORD find_expanded(const void* list, DWORD size, LPCWSTR name, LPWSTR* out) {
  return guarded_status([&]() -> DWORD {
    raw_value v;
    const DWORD status = find_value(
        list, size, name, v,
        [](const raw_value& r) {
          const WORD f = r.format();
          return (f == CLUSPROP_FORMAT_SZ || f == CLUSPROP_FORMAT_EXPAND_SZ ||
                  f == CLUSPROP_FORMAT_EXPANDED_SZ) &&
                 terminated_string(r);
        },
        true);
    if (status != ERROR_SUCCESS || out == nullptr)
      return status;
    const auto* text = reinterpret_cast<const WCHAR*>(v.data);
    *out = local_string(v.format() == CLUSPROP_FORMAT_EXPANDED_SZ ? std::wstring(text)
                                                                  : expand_environment(text));
    return *out != nullptr ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
  });
}

template <typename T>
DWORD find_fixed(const void* list, DWORD size, LPCWSTR name, T* out, WORD format) {
  return guarded_status([&]() -> DWORD {
    raw_value v;
    const DWORD status = find_value(list, size, name, v, [&](const raw_value& r) {
      return r.format() == format && r.length == sizeof(T);
    });
    if (status == ERROR_SUCCESS && out != nullptr)
      std::memcpy(out, v.data, sizeof(T));
    return status;
  });
}

DWORD find_buffer(const void* list, DWORD size, LPCWSTR name, void** out, LPDWORD out_size,
                  WORD format) {
  return guarded_status([&]() -> DWORD {
    raw_value v;
    const DWORD status = find_value(list, size, name, v, [&](const raw_value& r) {
      return r.format() == format && (format != CLUSPROP_FORMAT_MULTI_SZ || terminated_string(r));
    });
    if (status != ERROR_SUCCESS)
      return status;
    if (out != nullptr) {
      *out = local_bytes(v.data, v.length);
      if (*out == nullptr)
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (out_size != nullptr)
      *out_size = v.length;
    return ERROR_SUCCESS;
  });
}

}  // namespace

extern "C" {

DWORD WINAPI ResUtilFindSzProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                   LPCWSTR pszPropertyName, LPWSTR* pszPropertyValue) {
  return find_string(pPropertyList, cbPropertyListSize, pszPropertyName, pszPropertyValue, false);
}

DWORD WINAPI ResUtilFindExpandSzProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                         LPCWSTR pszPropertyName, LPWSTR* pszPropertyValue) {
  return find_string(pPropertyList, cbPropertyListSize, pszPropertyName, pszPropertyValue, true);
}

DWORD WINAPI ResUtilFindDwordProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                      LPCWSTR pszPropertyName, LPDWORD pdwPropertyValue) {
  return find_fixed(pPropertyList, cbPropertyListSize, pszPropertyName, pdwPropertyValue,
                    CLUSPROP_FORMAT_DWORD);
}

DWORD WINAPI ResUtilFindLongProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                     LPCWSTR pszPropertyName, LPLONG plPropertyValue) {
  return find_fixed(pPropertyList, cbPropertyListSize, pszPropertyName, plPropertyValue,
                    CLUSPROP_FORMAT_LONG);
}

DWORD WINAPI ResUtilFindULargeIntegerProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                              LPCWSTR pszPropertyName, ULONGLONG* plPropertyValue) {
  return find_fixed(pPropertyList, cbPropertyListSize, pszPropertyName, plPropertyValue,
                    CLUSPROP_FORMAT_ULARGE_INTEGER);
}

DWORD WINAPI ResUtilFindBinaryProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                       LPCWSTR pszPropertyName, LPBYTE* pbPropertyValue,
                                       LPDWORD pcbPropertyValueSize) {
  return find_buffer(pPropertyList, cbPropertyListSize, pszPropertyName,
                     reinterpret_cast<void**>(pbPropertyValue), pcbPropertyValueSize,
                     CLUSPROP_FORMAT_BINARY);
}

DWORD WINAPI ResUtilFindMultiSzProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                        LPCWSTR pszPropertyName, LPWSTR* pszPropertyValue,
                                        LPDWORD pcbPropertyValueSize) {
  return find_buffer(pPropertyList, cbPropertyListSize, pszPropertyName,
                     reinterpret_cast<void**>(pszPropertyValue), pcbPropertyValueSize,
                     CLUSPROP_FORMAT_MULTI_SZ);
}

DWORD WINAPI ResUtilFindExpandedSzProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                           LPCWSTR pszPropertyName, LPWSTR* pszPropertyValue) {
  return find_expanded(pPropertyList, cbPropertyListSize, pszPropertyName, pszPropertyValue);
}

DWORD WINAPI ResUtilFindFileTimeProperty(const PVOID pPropertyList, DWORD cbPropertyListSize,
                                         LPCWSTR pszPropertyName, LPFILETIME pftPropertyValue) {
  return find_fixed(pPropertyList, cbPropertyListSize, pszPropertyName, pftPropertyValue,
                    CLUSPROP_FORMAT_FILETIME);
}

}  // extern "C"
