// The property-table ResUtil functions: property tables (RESUTIL_PROPERTY_ITEM arrays),
// parameter blocks (the DLL's struct the items point into by Offset), property lists
// (SPEC 6.5) and the cluster database values behind them. Errors: property_codec.hpp.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "property_codec.hpp"
#include "resutil_support.hpp"
#include "wolfpack/proplist.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

DWORD set_property_table(HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                         PVOID Reserved, BOOL bAllowUnknownProperties, const PVOID pInPropertyList,
                         DWORD cbInPropertyListSize, bool force_write, LPBYTE pOutParams) {
  (void)Reserved;
  if (pPropertyTable == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    checked_values values;
    DWORD status = verify_list(pPropertyTable, bAllowUnknownProperties, pInPropertyList,
                               cbInPropertyListSize, values);
    if (status != ERROR_SUCCESS)
      return status;
    // Everything was checked before anything is written.
    for (const auto& [item, v] : values) {
      status = value_to_registry(hkeyClusterKey, *item, v, force_write);
      if (status != ERROR_SUCCESS)
        return status;
    }
    return pOutParams != nullptr ? apply_to_block(pOutParams, values) : ERROR_SUCCESS;
  });
}

DWORD set_parameter_block(HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                          PVOID Reserved, const LPBYTE pInParams, const PVOID pInPropertyList,
                          DWORD cbInPropertyListSize, bool force_write, LPBYTE pOutParams) {
  (void)Reserved;
  if (hkeyClusterKey == nullptr || pPropertyTable == nullptr || pInParams == nullptr)
    return ERROR_BAD_ARGUMENTS;
  return guarded_status([&]() -> DWORD {
    std::vector<raw_property> unknown;
    if (pInPropertyList != nullptr) {
      std::vector<raw_property> properties;
      const list_status s = walk_list(pInPropertyList, cbInPropertyListSize, properties);
      if (s != list_status::ok)
        return list_error(s);
      for (raw_property& p : properties) {
        const RESUTIL_PROPERTY_ITEM* item = find_item(pPropertyTable, p.name);
        if (item != nullptr && (item->Flags & RESUTIL_PROPITEM_READ_ONLY) != 0)
          return ERROR_INVALID_PARAMETER;
        if (item == nullptr) {
          if (!unknown_to_registry(p.values.front()))
            return ERROR_INVALID_DATA;
          unknown.push_back(std::move(p));
        }
      }
    }
    DWORD status = for_each_item(pPropertyTable, [&](const RESUTIL_PROPERTY_ITEM& item) -> DWORD {
      if ((item.Flags & RESUTIL_PROPITEM_READ_ONLY) != 0)
        return ERROR_SUCCESS;
      if (!supported_format(item.Format))
        return ERROR_INVALID_PARAMETER;
      const typed_value v = value_from_block(pInParams, item);
      if (!v.has_pointer)
        return ERROR_SUCCESS;  // a NULL string: nothing to store
      return value_to_registry(hkeyClusterKey, item, v, force_write);
    });
    if (status != ERROR_SUCCESS)
      return status;
    for (const raw_property& p : unknown) {
      const auto value = unknown_to_registry(p.values.front());
      status = write_value(hkeyClusterKey, p.name.c_str(), value->first, value->second.data(),
                           value->second.size());
      if (status != ERROR_SUCCESS)
        return status;
    }
    if (pOutParams == nullptr || pOutParams == pInParams)
      return ERROR_SUCCESS;
    free_block(pOutParams, pInParams, pPropertyTable);
    return ResUtilDupParameterBlock(pOutParams, pInParams, pPropertyTable);
  });
}

}  // namespace

extern "C" {

DWORD WINAPI ResUtilGetPropertiesToParameterBlock(HKEY hkeyClusterKey,
                                                  const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                  LPBYTE pOutParams,
                                                  BOOL bCheckForRequiredProperties,
                                                  LPWSTR* pszNameOfPropInError) {
  if (pszNameOfPropInError != nullptr)
    *pszNameOfPropInError = nullptr;
  if (pPropertyTable == nullptr || pOutParams == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    return for_each_item(pPropertyTable, [&](const RESUTIL_PROPERTY_ITEM& item) -> DWORD {
      typed_value v;
      DWORD status = supported_format(item.Format) ? value_from_registry(hkeyClusterKey, item, v)
                                                   : ERROR_INVALID_PARAMETER;
      if (status == ERROR_FILE_NOT_FOUND &&
          !(bCheckForRequiredProperties && (item.Flags & RESUTIL_PROPITEM_REQUIRED) != 0)) {
        v = default_value(item);
        status = ERROR_SUCCESS;
      }
      if (status == ERROR_SUCCESS)
        status = value_to_block(pOutParams, item, v);
      if (status != ERROR_SUCCESS && pszNameOfPropInError != nullptr)
        *pszNameOfPropInError = item.Name;
      return status;
    });
  });
}

DWORD WINAPI ResUtilGetPropertyFormats(const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                       PVOID pOutPropertyFormatList, DWORD cbPropertyFormatListSize,
                                       LPDWORD pcbBytesReturned, LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    wolfpack::property_format_list_builder list;
    for (const RESUTIL_PROPERTY_ITEM* item = pPropertyTable; item->Name != nullptr; ++item)
      list.add(item->Name, static_cast<WORD>(item->Format), format_details(*item));
    return hand_out(list.bytes(), pOutPropertyFormatList, cbPropertyFormatListSize,
                    pcbBytesReturned, pcbRequired);
  });
}

DWORD WINAPI ResUtilGetProperties(HKEY hkeyClusterKey, const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                  PVOID pOutPropertyList, DWORD cbOutPropertyListSize,
                                  LPDWORD pcbBytesReturned, LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    wolfpack::property_list_builder list;
    const DWORD status = table_to_list(hkeyClusterKey, pPropertyTable, list);
    if (status != ERROR_SUCCESS)
      return status;
    return hand_out(list.bytes(), pOutPropertyList, cbOutPropertyListSize, pcbBytesReturned,
                    pcbRequired);
  });
}

DWORD WINAPI ResUtilGetAllProperties(HKEY hkeyClusterKey,
                                     const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                     PVOID pOutPropertyList, DWORD cbOutPropertyListSize,
                                     LPDWORD pcbBytesReturned, LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    wolfpack::property_list_builder list;
    DWORD status = table_to_list(hkeyClusterKey, pPropertyTable, list);
    if (status != ERROR_SUCCESS)
      return status;
    bytes extra;
    DWORD extra_count = 0;
    status = unknown_properties(hkeyClusterKey, pPropertyTable, extra, extra_count);
    if (status != ERROR_SUCCESS)
      return status;
    bytes all = list.bytes();
    const DWORD count = list.count() + extra_count;
    std::memcpy(all.data(), &count, sizeof count);
    all.insert(all.end(), extra.begin(), extra.end());
    return hand_out(all, pOutPropertyList, cbOutPropertyListSize, pcbBytesReturned, pcbRequired);
  });
}

DWORD WINAPI ResUtilEnumProperties(const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                   LPWSTR pszOutProperties, DWORD cbOutPropertiesSize,
                                   LPDWORD pcbBytesReturned, LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    std::wstring names;
    for (const RESUTIL_PROPERTY_ITEM* item = pPropertyTable; item->Name != nullptr; ++item) {
      names.append(item->Name);
      names.push_back(L'\0');
    }
    names.push_back(L'\0');
    bytes data(names.size() * sizeof(WCHAR));
    std::memcpy(data.data(), names.data(), data.size());
    return hand_out(data, pszOutProperties, cbOutPropertiesSize, pcbBytesReturned, pcbRequired);
  });
}

DWORD WINAPI ResUtilVerifyPropertyTable(const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved,
                                        BOOL bAllowUnknownProperties, const PVOID pInPropertyList,
                                        DWORD cbInPropertyListSize, LPBYTE pOutParams) {
  (void)Reserved;
  if (pPropertyTable == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    checked_values values;
    const DWORD status = verify_list(pPropertyTable, bAllowUnknownProperties, pInPropertyList,
                                     cbInPropertyListSize, values);
    if (status != ERROR_SUCCESS || pOutParams == nullptr)
      return status;
    return apply_to_block(pOutParams, values);
  });
}

DWORD WINAPI ResUtilVerifyPrivatePropertyList(const PVOID pInPropertyList,
                                              DWORD cbInPropertyListSize) {
  return guarded_status([&]() -> DWORD {
    std::vector<raw_property> properties;
    const list_status s = walk_list(pInPropertyList, cbInPropertyListSize, properties);
    if (s != list_status::ok)
      return list_error(s);
    for (const raw_property& p : properties) {
      for (const raw_value& v : p.values) {
        if (!unknown_to_registry(v))
          return ERROR_INVALID_DATA;
      }
    }
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI ResUtilSetPropertyTable(HKEY hkeyClusterKey,
                                     const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved,
                                     BOOL bAllowUnknownProperties, const PVOID pInPropertyList,
                                     DWORD cbInPropertyListSize, LPBYTE pOutParams) {
  return set_property_table(hkeyClusterKey, pPropertyTable, Reserved, bAllowUnknownProperties,
                            pInPropertyList, cbInPropertyListSize, false, pOutParams);
}

DWORD WINAPI ResUtilSetPropertyTableEx(HKEY hkeyClusterKey,
                                       const PRESUTIL_PROPERTY_ITEM pPropertyTable, PVOID Reserved,
                                       BOOL bAllowUnknownProperties, const PVOID pInPropertyList,
                                       DWORD cbInPropertyListSize, BOOL bForceWrite,
                                       LPBYTE pOutParams) {
  return set_property_table(hkeyClusterKey, pPropertyTable, Reserved, bAllowUnknownProperties,
                            pInPropertyList, cbInPropertyListSize, bForceWrite != FALSE,
                            pOutParams);
}

DWORD WINAPI ResUtilSetPropertyParameterBlock(HKEY hkeyClusterKey,
                                              const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                              PVOID Reserved, const LPBYTE pInParams,
                                              const PVOID pInPropertyList,
                                              DWORD cbInPropertyListSize, LPBYTE pOutParams) {
  return set_parameter_block(hkeyClusterKey, pPropertyTable, Reserved, pInParams, pInPropertyList,
                             cbInPropertyListSize, false, pOutParams);
}

DWORD WINAPI ResUtilSetPropertyParameterBlockEx(HKEY hkeyClusterKey,
                                                const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                PVOID Reserved, const LPBYTE pInParams,
                                                const PVOID pInPropertyList,
                                                DWORD cbInPropertyListSize, BOOL bForceWrite,
                                                LPBYTE pOutParams) {
  return set_parameter_block(hkeyClusterKey, pPropertyTable, Reserved, pInParams, pInPropertyList,
                             cbInPropertyListSize, bForceWrite != FALSE, pOutParams);
}

DWORD WINAPI ResUtilDupParameterBlock(LPBYTE pOutParams, const LPBYTE pInParams,
                                      const PRESUTIL_PROPERTY_ITEM pPropertyTable) {
  if (pOutParams == nullptr || pInParams == nullptr || pPropertyTable == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    for (const RESUTIL_PROPERTY_ITEM* item = pPropertyTable; item->Name != nullptr; ++item) {
      if (pointer_field(pInParams, *item) == nullptr && !is_string_format(item->Format) &&
          !is_buffer_format(item->Format)) {
        // numbers: a plain copy
        const std::size_t size = is_qword_format(item->Format) ? 8 : sizeof(DWORD);
        std::memcpy(pOutParams + item->Offset, pInParams + item->Offset, size);
        continue;
      }
      store<void*>(pOutParams, item->Offset, nullptr);  // the out block owns nothing yet
      const DWORD status = value_to_block(pOutParams, *item, value_from_block(pInParams, *item));
      if (status != ERROR_SUCCESS) {
        // Undo the copies made so far.
        for (const RESUTIL_PROPERTY_ITEM* done = pPropertyTable; done != item; ++done) {
          if (void* p = pointer_field(pOutParams, *done)) {
            LocalFree(p);
            store<void*>(pOutParams, done->Offset, nullptr);
          }
        }
        return status;
      }
    }
    return ERROR_SUCCESS;
  });
}

void WINAPI ResUtilFreeParameterBlock(LPBYTE pOutParams, const LPBYTE pInParams,
                                      const PRESUTIL_PROPERTY_ITEM pPropertyTable) {
  if (pOutParams == nullptr || pPropertyTable == nullptr)
    return;
  free_block(pOutParams, pInParams, pPropertyTable);
}

DWORD WINAPI ResUtilAddUnknownProperties(HKEY hkeyClusterKey,
                                         const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                         PVOID pOutPropertyList, DWORD pcbOutPropertyListSize,
                                         LPDWORD pcbBytesReturned, LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    bytes extra;
    DWORD extra_count = 0;
    const DWORD status = unknown_properties(hkeyClusterKey, pPropertyTable, extra, extra_count);
    if (status != ERROR_SUCCESS)
      return status;
    // The list so far: in the buffer (*pcbBytesReturned), or only sized (*pcbRequired) by
    // an earlier call that found the buffer too small, or nothing yet.
    const bool have_list = *pcbBytesReturned >= sizeof(DWORD) && pOutPropertyList != nullptr;
    const std::size_t base = have_list
                                 ? *pcbBytesReturned
                                 : (*pcbRequired >= sizeof(DWORD) ? *pcbRequired : sizeof(DWORD));
    const std::size_t needed = base + extra.size();
    if (needed > 0xFFFFFFFFu)
      return ERROR_INVALID_DATA;
    const bool fresh = !have_list && *pcbRequired == 0;
    if ((!have_list && !fresh) || pOutPropertyList == nullptr || needed > pcbOutPropertyListSize) {
      *pcbBytesReturned = 0;
      *pcbRequired = static_cast<DWORD>(needed);
      return ERROR_MORE_DATA;
    }
    auto* out = static_cast<std::uint8_t*>(pOutPropertyList);
    DWORD count = fresh ? 0 : wolfpack::proplist_detail::get_dword(out);
    count += extra_count;
    std::memcpy(out, &count, sizeof count);
    if (!extra.empty())
      std::memcpy(out + base, extra.data(), extra.size());
    *pcbBytesReturned = static_cast<DWORD>(needed);
    *pcbRequired = 0;
    return ERROR_SUCCESS;
  });
}

}  // extern "C"
