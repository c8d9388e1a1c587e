// GetLastError/SetLastError for resource DLLs built off Windows. Windows has its own in
// kernel32; this file compiles to nothing there.
#include "wolfpack/win_types.h"

#if !defined(_WIN32)

namespace {
// One value per thread, as on Windows. The library is shared by the monitor and every
// plugin it loads, so a plugin's SetLastError is what the monitor's GetLastError reads.
thread_local DWORD last_error = 0;
}  // namespace

extern "C" {

DWORD WINAPI GetLastError(void) {
  return last_error;
}

VOID WINAPI SetLastError(DWORD dwErrCode) {
  last_error = dwErrCode;
}

}  // extern "C"

#endif
