#include "clusapi_entry_points.hpp"

#include <mutex>
#include <optional>
#include <string>

#include "resutil_support.hpp"
#include "wolfpack/common/platform/shared_library.hpp"

// WP_CLUSAPI_FILE_NAME: libclusapi's soname (POSIX) or DLL name, from CMake.

namespace wolfpack::detail {
namespace {

struct loaded_clusapi {
  platform::shared_library library;
  clusapi_entry_points functions{};
};

template <typename F>
bool resolve(const platform::shared_library& library, const char* name, F& out) {
  out = library.function<F>(name);
  return out != nullptr;
}

bool resolve_all(const platform::shared_library& l, clusapi_entry_points& f) {
  return resolve(l, "OpenCluster", f.OpenCluster) && resolve(l, "CloseCluster", f.CloseCluster) &&
         resolve(l, "GetClusterFromResource", f.GetClusterFromResource) &&
         resolve(l, "OpenClusterResource", f.OpenClusterResource) &&
         resolve(l, "CloseClusterResource", f.CloseClusterResource) &&
         resolve(l, "ClusterResourceOpenEnum", f.ClusterResourceOpenEnum) &&
         resolve(l, "ClusterResourceEnum", f.ClusterResourceEnum) &&
         resolve(l, "ClusterResourceCloseEnum", f.ClusterResourceCloseEnum) &&
         resolve(l, "ClusterOpenEnum", f.ClusterOpenEnum) &&
         resolve(l, "ClusterEnum", f.ClusterEnum) &&
         resolve(l, "ClusterCloseEnum", f.ClusterCloseEnum) &&
         resolve(l, "ClusterResourceControl", f.ClusterResourceControl) &&
         resolve(l, "GetClusterResourceNetworkName", f.GetClusterResourceNetworkName) &&
         resolve(l, "GetClusterResourceKey", f.GetClusterResourceKey);
}

std::optional<loaded_clusapi> load() {
  // The copies a process may have loaded: ours under its own name, and (Windows) under
  // Microsoft's, which programs built against clusapi.lib import (a file name, not OS code:
  // the test installs our DLL under that name in the Wine prefix's System32).
  const std::string names[] = {
      WP_CLUSAPI_FILE_NAME,
#ifdef _WIN32
      "clusapi.dll",
#endif
  };
  std::string why;
  for (const auto& name : names) {
    auto library = platform::shared_library::open_loaded(name);
    if (library) {
      loaded_clusapi loaded{std::move(library).value(), {}};
      if (resolve_all(loaded.library, loaded.functions))
        return loaded;
      why = name + " lacks a cluster API function";
    }
  }
  if (why.empty()) {
    // Nothing in the process uses the cluster API yet: load it from where resutils is.
    static const int anchor = 0;
    const auto path = platform::module_directory(&anchor) / WP_CLUSAPI_FILE_NAME;
    auto library = platform::shared_library::open(path);
    if (library) {
      loaded_clusapi loaded{std::move(library).value(), {}};
      if (resolve_all(loaded.library, loaded.functions))
        return loaded;
      why = path.string() + " lacks a cluster API function";
    } else {
      why = library.error();
    }
  }
  log_refusal("the cluster API (libclusapi) cannot be used: " + why +
              "; the ResUtil functions that look at other resources cannot answer");
  return std::nullopt;
}

}  // namespace

const clusapi_entry_points* clusapi() {
  // Kept until the process ends: handles of it may be in use anywhere.
  static std::optional<loaded_clusapi>* const loaded = new std::optional<loaded_clusapi>(load());
  return *loaded ? &(*loaded)->functions : nullptr;
}

}  // namespace wolfpack::detail
