#pragma once

#include <string>
#include <utility>
#include <vector>

#include <wolfpack/win_types.h>

namespace wolfpack::samples {

struct network_name_variables {
  DWORD status = ERROR_SUCCESS;
  std::vector<std::pair<std::string, std::string>> variables;  // _CLUSTER_NETWORK_*_
};

// What UseNetworkName = 1 adds to a Generic Application's environment: the variables
// ResUtilGetEnvironmentWithNetName sets for `resource` (it opens the resource through the
// cluster API on its own node). On failure `status` says why: ERROR_DEPENDENCY_NOT_FOUND
// when the resource depends on no Network Name, or the cluster API's error.
network_name_variables network_name_environment(const std::wstring& resource);

}  // namespace wolfpack::samples
