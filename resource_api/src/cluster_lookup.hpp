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

// An HRESOURCE or HCLUSTER this code opened, closed when it goes out of scope unless
// released to the caller.
class opened_resource {
 public:
  opened_resource(const clusapi_entry_points& api, HRESOURCE h) : api_(&api), h_(h) {}
  opened_resource(opened_resource&& other) noexcept
      : api_(other.api_), h_(std::exchange(other.h_, nullptr)) {}
  opened_resource& operator=(opened_resource&&) = delete;
  opened_resource(const opened_resource&) = delete;
  ~opened_resource() {
    if (h_ != nullptr)
      api_->CloseClusterResource(h_);
  }
  HRESOURCE get() const { return h_; }
  HRESOURCE release() { return std::exchange(h_, nullptr); }

 private:
  const clusapi_entry_points* api_;
  HRESOURCE h_;
};

class opened_cluster {
 public:
  opened_cluster(const clusapi_entry_points& api, HCLUSTER h) : api_(&api), h_(h) {}
  opened_cluster(const opened_cluster&) = delete;
  opened_cluster& operator=(const opened_cluster&) = delete;
  ~opened_cluster() {
    if (h_ != nullptr)
      api_->CloseCluster(h_);
  }
  HCLUSTER get() const { return h_; }

 private:
  const clusapi_entry_points* api_;
  HCLUSTER h_;
};

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
