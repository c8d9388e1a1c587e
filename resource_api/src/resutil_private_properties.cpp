// Private properties without a property table: every value of the key is a property, its
// format the one its registry type implies (REG_DWORD a DWORD, REG_QWORD a ULARGE_INTEGER,
// REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, anything else BINARY). DLLs whose properties are not
// known in advance answer the private-property control codes with these.
#include <string>
#include <vector>

#include "property_codec.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

// Checks the whole list, then writes the first value of each property `skip` does not take.
template <typename Skip>
DWORD write_list_values(HKEY key, const void* list, DWORD size, Skip&& skip) {
  std::vector<raw_property> properties;
  const list_status s = walk_list(list, size, properties);
  if (s != list_status::ok)
    return list_error(s);
  std::vector<std::pair<const raw_property*, std::pair<DWORD, bytes>>> writes;
  for (const raw_property& p : properties) {
    if (skip(p))
      continue;
    auto value = unknown_to_registry(p.values.front());
    if (!value)
      return ERROR_INVALID_DATA;
    writes.emplace_back(&p, std::move(*value));
  }
  for (const auto& [p, value] : writes) {
    const DWORD status =
        write_value(key, p->name.c_str(), value.first, value.second.data(), value.second.size());
    if (status != ERROR_SUCCESS)
      return status;
  }
  return ERROR_SUCCESS;
}

}  // namespace

extern "C" {

DWORD WINAPI ResUtilGetPrivateProperties(HKEY hkeyClusterKey, PVOID pOutPropertyList,
                                         DWORD cbOutPropertyListSize, LPDWORD pcbBytesReturned,
                                         LPDWORD pcbRequired) {
  if (pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    bytes entries;
    DWORD count = 0;
    const DWORD status = unknown_properties(hkeyClusterKey, nullptr, entries, count);
    if (status != ERROR_SUCCESS)
      return status;
    bytes list(sizeof(DWORD));
    std::memcpy(list.data(), &count, sizeof count);
    list.insert(list.end(), entries.begin(), entries.end());
    return hand_out(list, pOutPropertyList, cbOutPropertyListSize, pcbBytesReturned, pcbRequired);
  });
}

DWORD WINAPI ResUtilEnumPrivateProperties(HKEY hkeyClusterKey, LPWSTR pszOutProperties,
                                          DWORD cbOutPropertiesSize, LPDWORD pcbBytesReturned,
                                          LPDWORD pcbRequired) {
  if (pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    std::vector<std::wstring> names;
    const DWORD status = value_names(hkeyClusterKey, names);
    if (status != ERROR_SUCCESS)
      return status;
    std::wstring multi_sz;
    for (const std::wstring& name : names) {
      if (name.empty())
        continue;  // the unnamed (default) value is no property
      multi_sz.append(name);
      multi_sz.push_back(L'\0');
    }
    multi_sz.push_back(L'\0');
    bytes data(multi_sz.size() * sizeof(WCHAR));
    std::memcpy(data.data(), multi_sz.data(), data.size());
    return hand_out(data, pszOutProperties, cbOutPropertiesSize, pcbBytesReturned, pcbRequired);
  });
}

DWORD WINAPI ResUtilSetPrivatePropertyList(HKEY hkeyClusterKey, const PVOID pInPropertyList,
                                           DWORD cbInPropertyListSize) {
  if (hkeyClusterKey == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    return write_list_values(hkeyClusterKey, pInPropertyList, cbInPropertyListSize,
                             [](const raw_property&) { return false; });
  });
}

DWORD WINAPI ResUtilSetUnknownProperties(HKEY hkeyClusterKey,
                                         const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                         const PVOID pInPropertyList, DWORD cbInPropertyListSize) {
  if (hkeyClusterKey == nullptr || pPropertyTable == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&] {
    return write_list_values(
        hkeyClusterKey, pInPropertyList, cbInPropertyListSize,
        [&](const raw_property& p) { return find_item(pPropertyTable, p.name) != nullptr; });
  });
}

}  // extern "C"
