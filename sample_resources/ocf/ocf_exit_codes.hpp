#pragma once

// The OCF resource agent exit codes (OCF 1.1) and what they mean to a cluster resource.

#include <string>

#include <wolfpack/resapi.h>

namespace wolfpack::samples::ocf {

enum exit_code : int {
  success = 0,
  err_generic = 1,
  err_args = 2,
  err_unimplemented = 3,
  err_perm = 4,
  err_installed = 5,
  err_configured = 6,
  not_running = 7,
  running_promoted = 8,
  failed_promoted = 9,
};

// "OCF_ERR_CONFIGURED", or "exit code N" for a code OCF does not define.
std::string exit_code_name(int code);

// The Win32 code an action's exit code becomes (ERROR_SUCCESS for 0); the table is in
// docs/resource-types.md.
DWORD win32_error_for(int code);

// monitor: running (0, or 8 for a promoted instance).
inline bool monitor_says_running(int code) {
  return code == success || code == running_promoted;
}

}  // namespace wolfpack::samples::ocf
