#include "cluster_lookup.hpp"

#include <cstdint>
#include <cstring>
#include <deque>
#include <set>

#include "resutil_support.hpp"

namespace wolfpack::detail {
namespace {

// The names of an enumeration (ClusterResourceOpenEnum, ClusterOpenEnum) until
// ERROR_NO_MORE_ITEMS, each read into a buffer that grows when the entry says it must; the
// enumeration is closed. A null `e` is its opener's failure, in the last error.
template <typename Handle, typename Entry, typename Close>
DWORD enumerated_names(Handle e, Entry entry, Close close, std::vector<std::wstring>& out) {
  if (e == nullptr)
    return GetLastError();
  std::wstring buffer(128, L'\0');
  DWORD status = ERROR_SUCCESS;
  for (DWORD i = 0; status == ERROR_SUCCESS; ++i) {
    DWORD type = 0;
    DWORD cch = static_cast<DWORD>(buffer.size());
    status = entry(e, i, &type, buffer.data(), &cch);
    if (status == ERROR_MORE_DATA) {
      buffer.assign(cch + 1, L'\0');
      cch = static_cast<DWORD>(buffer.size());
      status = entry(e, i, &type, buffer.data(), &cch);
    }
    if (status == ERROR_SUCCESS)
      out.emplace_back(buffer.data(), cch);
  }
  close(e);
  return status == ERROR_NO_MORE_ITEMS ? ERROR_SUCCESS : status;
}

DWORD control_bytes(const clusapi_entry_points& api, HRESOURCE h, DWORD code,
                    std::vector<std::uint8_t>& out) {
  out.assign(256, 0);
  DWORD returned = 0;
  DWORD status = api.ClusterResourceControl(h, nullptr, code, nullptr, 0, out.data(),
                                            static_cast<DWORD>(out.size()), &returned);
  if (status == ERROR_MORE_DATA) {
    out.assign(returned, 0);
    status = api.ClusterResourceControl(h, nullptr, code, nullptr, 0, out.data(),
                                        static_cast<DWORD>(out.size()), &returned);
  }
  if (status == ERROR_SUCCESS)
    out.resize(returned);
  return status;
}

}  // namespace

DWORD resource_string(const clusapi_entry_points& api, HRESOURCE h, DWORD code, std::wstring& out) {
  std::vector<std::uint8_t> bytes;
  if (const DWORD status = control_bytes(api, h, code, bytes); status != ERROR_SUCCESS)
    return status;
  std::wstring text(bytes.size() / sizeof(WCHAR), L'\0');
  if (!text.empty())
    std::memcpy(text.data(), bytes.data(), text.size() * sizeof(WCHAR));
  if (const auto nul = text.find(L'\0'); nul != std::wstring::npos)
    text.resize(nul);
  out = std::move(text);
  return ERROR_SUCCESS;
}

DWORD resource_class(const clusapi_entry_points& api, HRESOURCE h, CLUS_RESOURCE_CLASS_INFO& out) {
  std::vector<std::uint8_t> bytes;
  if (const DWORD status = control_bytes(api, h, CLUSCTL_RESOURCE_GET_CLASS_INFO, bytes);
      status != ERROR_SUCCESS)
    return status;
  if (bytes.size() < sizeof(CLUS_RESOURCE_CLASS_INFO))
    return ERROR_INVALID_DATA;
  std::memcpy(&out, bytes.data(), sizeof out);
  return ERROR_SUCCESS;
}

DWORD dependency_names(const clusapi_entry_points& api, HRESOURCE h,
                       std::vector<std::wstring>& out) {
  return enumerated_names(api.ClusterResourceOpenEnum(h, CLUSTER_RESOURCE_ENUM_DEPENDS),
                          api.ClusterResourceEnum, api.ClusterResourceCloseEnum, out);
}

DWORD resource_names(const clusapi_entry_points& api, HCLUSTER cluster,
                     std::vector<std::wstring>& out) {
  return enumerated_names(api.ClusterOpenEnum(cluster, CLUSTER_ENUM_RESOURCE), api.ClusterEnum,
                          api.ClusterCloseEnum, out);
}

DWORD type_is(const clusapi_entry_points& api, HRESOURCE h, const std::wstring& type,
              bool& matched) {
  std::wstring actual;
  const DWORD status = resource_string(api, h, CLUSCTL_RESOURCE_GET_RESOURCE_TYPE, actual);
  matched = status == ERROR_SUCCESS && names_equal(actual, type);
  return status;
}

HRESOURCE find_dependency(const clusapi_entry_points& api, HCLUSTER cluster, HRESOURCE self,
                          const resource_match& match, bool recurse, DWORD& error) {
  // Opened dependencies whose own dependencies are still to be read (breadth first).
  std::deque<opened_resource> queue;
  std::set<std::wstring> seen;
  HRESOURCE found = nullptr;
  const auto visit = [&](HRESOURCE h) -> DWORD {
    std::vector<std::wstring> names;
    if (const DWORD status = dependency_names(api, h, names); status != ERROR_SUCCESS)
      return status;
    for (const auto& name : names) {
      if (!seen.insert(name).second)
        continue;  // reached through another dependency already
      opened_resource dependency(api, api.OpenClusterResource(cluster, name.c_str()));
      if (dependency.get() == nullptr) {
        if (GetLastError() == ERROR_RESOURCE_NOT_FOUND)
          continue;  // deleted since the list was read
        return GetLastError();
      }
      bool matched = false;
      if (const DWORD status = match(dependency.get(), matched); status != ERROR_SUCCESS)
        return status;
      if (matched) {
        found = dependency.release();
        return ERROR_SUCCESS;
      }
      if (recurse)
        queue.push_back(std::move(dependency));
    }
    return ERROR_SUCCESS;
  };
  error = visit(self);
  while (error == ERROR_SUCCESS && found == nullptr && !queue.empty()) {
    const opened_resource next(std::move(queue.front()));
    queue.pop_front();
    error = visit(next.get());
  }
  if (error == ERROR_SUCCESS && found == nullptr)
    error = ERROR_NO_MORE_ITEMS;
  return error == ERROR_SUCCESS ? found : nullptr;
}

bool valid_access(DWORD desired) {
  const DWORD known = GENERIC_READ | GENERIC_ALL | MAXIMUM_ALLOWED;
  return desired != 0 && (desired & ~known) == 0;
}

}  // namespace wolfpack::detail
