// One table item at a time (ResUtilGetPropertySize, ResUtilGetProperty: a DLL that builds
// its own property list sizes every item first, then writes them one after another) and a
// property list made from a parameter block.
#include "property_codec.hpp"
#include "resutil_support.hpp"
#include "wolfpack/resapi.h"

namespace {

using namespace wolfpack::detail;

// Runs fn on the item's entries (name, value(s), end mark) as ResUtilGetProperties writes
// them; an item with neither value nor default has none, and fn is not called.
template <typename Fn>
DWORD with_item_entries(HKEY key, const RESUTIL_PROPERTY_ITEM* item, Fn&& fn) {
  return guarded_status([&]() -> DWORD {
    if (item->Name == nullptr)
      return ERROR_INVALID_PARAMETER;
    typed_value v;
    const DWORD status = stored_or_default(key, *item, v);
    if (status != ERROR_SUCCESS || !v.has_pointer)
      return status;
    wolfpack::property_list_builder one;
    add_to_list(one, item->Name, v);
    const bytes entries(one.bytes().begin() + sizeof(DWORD), one.bytes().end());
    return fn(entries);
  });
}

}  // namespace

extern "C" {

DWORD WINAPI ResUtilGetPropertySize(HKEY hkeyClusterKey,
                                    const PRESUTIL_PROPERTY_ITEM pPropertyTableItem,
                                    LPDWORD pcbOutPropertyListSize, LPDWORD pnPropertyCount) {
  if (pPropertyTableItem == nullptr || pcbOutPropertyListSize == nullptr ||
      pnPropertyCount == nullptr)
    return ERROR_INVALID_PARAMETER;
  return with_item_entries(hkeyClusterKey, pPropertyTableItem, [&](const bytes& entries) -> DWORD {
    if (entries.size() > 0xFFFFFFFFu - *pcbOutPropertyListSize)
      return ERROR_INVALID_DATA;
    *pcbOutPropertyListSize += static_cast<DWORD>(entries.size());
    ++*pnPropertyCount;
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI ResUtilGetProperty(HKEY hkeyClusterKey,
                                const PRESUTIL_PROPERTY_ITEM pPropertyTableItem,
                                PVOID* pOutPropertyItem, LPDWORD pcbOutPropertyItemSize) {
  if (pPropertyTableItem == nullptr || pOutPropertyItem == nullptr ||
      pcbOutPropertyItemSize == nullptr)
    return ERROR_INVALID_PARAMETER;
  return with_item_entries(hkeyClusterKey, pPropertyTableItem, [&](const bytes& entries) -> DWORD {
    if (*pOutPropertyItem == nullptr || *pcbOutPropertyItemSize < entries.size())
      return ERROR_MORE_DATA;
    // Written in place, then the caller's cursor moves past it, as the Get*Property readers
    // move theirs.
    auto* out = static_cast<BYTE*>(*pOutPropertyItem);
    std::memcpy(out, entries.data(), entries.size());
    *pOutPropertyItem = out + entries.size();
    *pcbOutPropertyItemSize -= static_cast<DWORD>(entries.size());
    return ERROR_SUCCESS;
  });
}

DWORD WINAPI ResUtilPropertyListFromParameterBlock(const PRESUTIL_PROPERTY_ITEM pPropertyTable,
                                                   PVOID pOutPropertyList,
                                                   LPDWORD pcbOutPropertyListSize,
                                                   const LPBYTE pInParams, LPDWORD pcbBytesReturned,
                                                   LPDWORD pcbRequired) {
  if (pPropertyTable == nullptr || pInParams == nullptr || pcbOutPropertyListSize == nullptr ||
      pcbBytesReturned == nullptr || pcbRequired == nullptr)
    return ERROR_INVALID_PARAMETER;
  return guarded_status([&]() -> DWORD {
    wolfpack::property_list_builder list;
    const DWORD status =
        for_each_item(pPropertyTable, [&](const RESUTIL_PROPERTY_ITEM& item) -> DWORD {
          if (!supported_format(item.Format))
            return ERROR_INVALID_PARAMETER;
          const typed_value v = value_from_block(pInParams, item);
          if (v.has_pointer)
            add_to_list(list, item.Name, v);
          return ERROR_SUCCESS;
        });
    if (status != ERROR_SUCCESS)
      return status;
    return hand_out(list.bytes(), pOutPropertyList, *pcbOutPropertyListSize, pcbBytesReturned,
                    pcbRequired);
  });
}

}  // extern "C"
