// The control code functions (ClusterResourceControl and its siblings) share one dispatcher:
// the service's codes (common properties, names, ids, private property writes) are answered
// from the API's object routes; the codes a resource's plugin answers go to its monitor
// through POST /resources/NAME/control. Output follows the Cluster API's buffer convention.
#pragma once

#include <memory>
#include <string>

#include "connection.hpp"
#include "wolfpack/win_types.h"

namespace wolfpack::clusapi {

// The object a control code is sent to.
struct control_target {
  std::shared_ptr<connection> conn;
  DWORD object = 0;   // CLUS_OBJECT_*
  std::string path;   // its API path: "/resources/NAME", "/cluster", ...
  std::string query;  // after the route: "?by=id" when `path` ends with an id
};

// One call's buffers as the caller gave them.
struct control_buffers {
  const void* in = nullptr;
  DWORD in_size = 0;
  void* out = nullptr;
  DWORD out_size = 0;
  LPDWORD bytes_returned = nullptr;  // may be NULL
};

// Runs `code` on `target`. A code of another object, or one the object does not have, is
// ERROR_INVALID_FUNCTION; an output that does not fit is ERROR_MORE_DATA with the size it
// needs in *bytes_returned.
DWORD run_control(const control_target& target, DWORD code, const control_buffers& buffers);

}  // namespace wolfpack::clusapi
