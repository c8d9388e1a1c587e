#include "network_name_environment.hpp"

#include <cwchar>
#include <string_view>

#include <wolfpack/clusapi.h>
#include <wolfpack/resapi.h>
#include <wolfpack/wide_string.hpp>

namespace wolfpack::samples {

network_name_variables network_name_environment(const std::wstring& resource) {
  network_name_variables out;
  // OpenCluster(NULL): the node this monitor serves (clussvc sets WOLFPACK_CLUSTER for it).
  HCLUSTER cluster = OpenCluster(nullptr);
  if (cluster == nullptr) {
    out.status = GetLastError();
    return out;
  }
  HRESOURCE self = OpenClusterResource(cluster, resource.c_str());
  LPVOID block = self == nullptr ? nullptr : ResUtilGetEnvironmentWithNetName(self);
  out.status = block == nullptr ? GetLastError() : ERROR_SUCCESS;
  if (block != nullptr) {
    constexpr std::wstring_view prefix = L"_CLUSTER_NETWORK_";
    // The rest of the block is this process's own environment, which the child inherits
    // anyway.
    for (const WCHAR* entry = static_cast<const WCHAR*>(block); *entry != L'\0';
         entry += std::wcslen(entry) + 1) {
      const std::wstring_view text(entry);
      const auto eq = text.find(L'=');
      if (eq != std::wstring_view::npos && text.substr(0, prefix.size()) == prefix)
        out.variables.emplace_back(to_utf8(text.substr(0, eq)), to_utf8(text.substr(eq + 1)));
    }
    ResUtilFreeEnvironment(block);
  }
  if (self != nullptr)
    CloseClusterResource(self);
  CloseCluster(cluster);
  return out;
}

}  // namespace wolfpack::samples
