// The ResUtilGet*Property readers: a DLL walking a property list itself (usually in its
// SET_PRIVATE_PROPERTIES handler) hands each value entry to one of these, which checks it,
// copies it out and moves the DLL's cursor past it.
//
// Wolfpack's choices where the documentation is silent (docs/porting.md): a value entry of
// another format, or one that does not fit in the bytes left, is ERROR_INVALID_PARAMETER,
// as is a number out of [Minimum, Maximum] (both 0: no range); a value of length 0 stands
// for "unchanged" and yields the old value. Strings and buffers come back LocalAlloc'd.
#include <cstdint>
#include <cstring>
#include <cwchar>

#include "property_codec.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

// The value entry at the cursor: its header and data must lie within the bytes left, and
// its format must be one of `formats`. On success `data`/`length` describe the value.
struct entry_view {
  const BYTE* data = nullptr;
  DWORD length = 0;
  DWORD span = 0;  // header plus padded data: how far the cursor moves
};

DWORD read_entry(const void* value_struct, const LPBYTE* cursor, const LPDWORD left,
                 std::initializer_list<WORD> formats, entry_view& e) {
  if (value_struct == nullptr || cursor == nullptr || left == nullptr)
    return ERROR_INVALID_PARAMETER;
  const auto* header = static_cast<const BYTE*>(value_struct);
  if (*left < sizeof(CLUSPROP_VALUE))
    return ERROR_INVALID_PARAMETER;
  CLUSPROP_VALUE value;
  std::memcpy(&value, header, sizeof value);
  const std::size_t span = sizeof(CLUSPROP_VALUE) + wolfpack::align_clusprop(value.cbLength);
  if (span > *left)
    return ERROR_INVALID_PARAMETER;
  bool format_ok = false;
  for (WORD f : formats)
    format_ok = format_ok || value.Syntax.wFormat == f;
  if (!format_ok)
    return ERROR_INVALID_PARAMETER;
  e.data = header + sizeof(CLUSPROP_VALUE);
  e.length = value.cbLength;
  e.span = static_cast<DWORD>(span);
  return ERROR_SUCCESS;
}

void advance(const entry_view& e, LPBYTE* cursor, LPDWORD left) {
  *cursor += e.span;
  *left -= e.span;
}

// In [minimum, maximum], or anything when both are 0.
template <typename T>
bool in_range(T v, T minimum, T maximum) {
  return (minimum == 0 && maximum == 0) || (v >= minimum && v <= maximum);
}

template <typename T>
DWORD read_number(T* out, const void* value_struct, T old, T minimum, T maximum, LPBYTE* cursor,
                  LPDWORD left, WORD format) {
  entry_view e;
  DWORD status = read_entry(value_struct, cursor, left, {format}, e);
  if (status != ERROR_SUCCESS)
    return status;
  T value = old;
  if (e.length != 0) {
    if (e.length != sizeof(T))
      return ERROR_INVALID_PARAMETER;
    std::memcpy(&value, e.data, sizeof(T));
    if (!in_range(value, minimum, maximum))
      return ERROR_INVALID_PARAMETER;
  }
  if (out == nullptr)
    return ERROR_INVALID_PARAMETER;
  *out = value;
  advance(e, cursor, left);
  return ERROR_SUCCESS;
}

// A copy of the entry's bytes (or of the old ones when the entry is empty).
DWORD read_buffer(void** out, LPDWORD out_size, const void* value_struct, const void* old,
                  DWORD old_size, LPBYTE* cursor, LPDWORD left, std::initializer_list<WORD> formats,
                  bool must_be_string) {
  entry_view e;
  const DWORD status = read_entry(value_struct, cursor, left, formats, e);
  if (status != ERROR_SUCCESS)
    return status;
  if (out == nullptr)
    return ERROR_INVALID_PARAMETER;
  const void* source = e.data;
  DWORD size = e.length;
  if (size == 0) {
    source = old;
    size = old == nullptr ? 0 : old_size;
  } else if (must_be_string) {
    raw_value raw;
    raw.data = e.data;
    raw.length = e.length;
    if (!terminated_string(raw))
      return ERROR_INVALID_PARAMETER;
  }
  void* copy = nullptr;
  if (source != nullptr) {
    copy = local_bytes(source, size);
    if (copy == nullptr)
      return ERROR_NOT_ENOUGH_MEMORY;
  }
  *out = copy;
  if (out_size != nullptr)
    *out_size = source != nullptr ? size : 0;
  advance(e, cursor, left);
  return ERROR_SUCCESS;
}

}  // namespace

extern "C" {

DWORD WINAPI ResUtilGetDwordProperty(LPDWORD pdwOutValue, const PCLUSPROP_DWORD pValueStruct,
                                     DWORD dwOldValue, DWORD dwMinimum, DWORD dwMaximum,
                                     LPBYTE* ppPropertyList, LPDWORD pcbPropertyListSize) {
  return read_number<DWORD>(pdwOutValue, pValueStruct, dwOldValue, dwMinimum, dwMaximum,
                            ppPropertyList, pcbPropertyListSize, CLUSPROP_FORMAT_DWORD);
}

DWORD WINAPI ResUtilGetLongProperty(LPLONG plOutValue, const PCLUSPROP_LONG pValueStruct,
                                    LONG lOldValue, LONG lMinimum, LONG lMaximum,
                                    LPBYTE* ppPropertyList, LPDWORD pcbPropertyListSize) {
  return read_number<LONG>(plOutValue, pValueStruct, lOldValue, lMinimum, lMaximum, ppPropertyList,
                           pcbPropertyListSize, CLUSPROP_FORMAT_LONG);
}

DWORD WINAPI ResUtilGetFileTimeProperty(LPFILETIME pftOutValue,
                                        const PCLUSPROP_FILETIME pValueStruct, FILETIME ftOldValue,
                                        FILETIME ftMinimum, FILETIME ftMaximum,
                                        LPBYTE* ppPropertyList, LPDWORD pcbPropertyListSize) {
  const auto as_u64 = [](const FILETIME& ft) {
    return (static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
  };
  if (pftOutValue == nullptr)
    return ERROR_INVALID_PARAMETER;
  std::uint64_t value = 0;
  const DWORD status = read_number<std::uint64_t>(
      &value, pValueStruct, as_u64(ftOldValue), as_u64(ftMinimum), as_u64(ftMaximum),
      ppPropertyList, pcbPropertyListSize, CLUSPROP_FORMAT_FILETIME);
  if (status == ERROR_SUCCESS) {
    pftOutValue->dwLowDateTime = static_cast<DWORD>(value);
    pftOutValue->dwHighDateTime = static_cast<DWORD>(value >> 32);
  }
  return status;
}

DWORD WINAPI ResUtilGetSzProperty(LPWSTR* ppszOutValue, const PCLUSPROP_SZ pValueStruct,
                                  LPCWSTR pszOldValue, LPBYTE* ppPropertyList,
                                  LPDWORD pcbPropertyListSize) {
  const DWORD old_size = pszOldValue == nullptr
                             ? 0
                             : static_cast<DWORD>((std::wcslen(pszOldValue) + 1) * sizeof(WCHAR));
  return read_buffer(reinterpret_cast<void**>(ppszOutValue), nullptr, pValueStruct, pszOldValue,
                     old_size, ppPropertyList, pcbPropertyListSize,
                     {CLUSPROP_FORMAT_SZ, CLUSPROP_FORMAT_EXPAND_SZ}, true);
}

DWORD WINAPI ResUtilGetMultiSzProperty(LPWSTR* ppszOutValue, LPDWORD pcbOutValueSize,
                                       const PCLUSPROP_SZ pValueStruct, LPCWSTR pszOldValue,
                                       DWORD cbOldValueSize, LPBYTE* ppPropertyList,
                                       LPDWORD pcbPropertyListSize) {
  return read_buffer(reinterpret_cast<void**>(ppszOutValue), pcbOutValueSize, pValueStruct,
                     pszOldValue, cbOldValueSize, ppPropertyList, pcbPropertyListSize,
                     {CLUSPROP_FORMAT_MULTI_SZ}, true);
}

DWORD WINAPI ResUtilGetBinaryProperty(LPBYTE* ppbOutValue, LPDWORD pcbOutValueSize,
                                      const PCLUSPROP_BINARY pValueStruct, const LPBYTE pbOldValue,
                                      DWORD cbOldValueSize, LPBYTE* ppPropertyList,
                                      LPDWORD pcbPropertyListSize) {
  return read_buffer(reinterpret_cast<void**>(ppbOutValue), pcbOutValueSize, pValueStruct,
                     pbOldValue, cbOldValueSize, ppPropertyList, pcbPropertyListSize,
                     {CLUSPROP_FORMAT_BINARY}, false);
}

}  // extern "C"
