// What the ResUtil lookups of other resources share, over the cluster API
// (clusapi_entry_points.hpp): handles closed on every path, a resource's name, type, class
// and dependencies, and the search through its dependencies.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "clusapi_entry_points.hpp"

namespace wolfpack::detail {

// An HRESOURCE or HCLUSTER this code opened, closed (CloseClusterResource, CloseCluster) when
// it goes out of scope unless released to the caller.
template <typename Handle, BOOL (WINAPI* clusapi_entry_points::*Close)(Handle)>
class opened {
 public:
  opened(const clusapi_entry_points& api, Handle h) : api_(&api), h_(h) {}
  opened(opened&& other) noexcept : api_(other.api_), h_(std::exchange(other.h_, nullptr)) {}
  opened& operator=(opened&&) = delete;
  opened(const opened&) = delete;
  ~opened() {
    if (h_ != nullptr)
      (api_->*Close)(h_);
  }
  Handle get() const { return h_; }
  Handle release() { return std::exchange(h_, nullptr); }

 private:
  const clusapi_entry_points* api_;
  Handle h_;
};
using opened_resource = opened<HRESOURCE, &clusapi_entry_points::CloseClusterResource>;
using opened_cluster = opened<HCLUSTER, &clusapi_entry_points::CloseCluster>;

// A string a resource control answers (CLUSCTL_RESOURCE_GET_NAME, _GET_RESOURCE_TYPE).
DWORD resource_string(const clusapi_entry_points& api, HRESOURCE h, DWORD code, std::wstring& out);
// CLUSCTL_RESOURCE_GET_CLASS_INFO.
DWORD resource_class(const clusapi_entry_points& api, HRESOURCE h, CLUS_RESOURCE_CLASS_INFO& out);
// The names of the resources `h` depends on directly, in the cluster's order.
DWORD dependency_names(const clusapi_entry_points& api, HRESOURCE h,
                       std::vector<std::wstring>& out);
// The names of every resource of the cluster.
DWORD resource_names(const clusapi_entry_points& api, HCLUSTER cluster,
                     std::vector<std::wstring>& out);

// Whether a resource is the one looked for; a code other than ERROR_SUCCESS ends the search
// with that code.
using resource_match = std::function<DWORD(HRESOURCE, bool& matched)>;
DWORD type_is(const clusapi_entry_points& api, HRESOURCE h, const std::wstring& type,
              bool& matched);

// The first dependency of `self` that `match` accepts, breadth first through the whole tree
// below it when `recurse`, else among its direct dependencies: a new handle opened through
// `cluster`, or nullptr with `error` set (ERROR_NO_MORE_ITEMS when no dependency matches).
HRESOURCE find_dependency(const clusapi_entry_points& api, HCLUSTER cluster, HRESOURCE self,
                          const resource_match& match, bool recurse, DWORD& error);

// dwDesiredAccess of the Windows Server 2012 "Ex" functions: a combination of GENERIC_READ,
// GENERIC_ALL and MAXIMUM_ALLOWED, not 0. The cluster API grants every right, so a valid
// value changes nothing else.
bool valid_access(DWORD desired);

}  // namespace wolfpack::detail
