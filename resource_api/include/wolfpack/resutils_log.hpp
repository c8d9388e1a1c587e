// Where resutils says why it refused a plugin's call that Wolfpack cannot serve (a
// dependency lookup, the cluster's core resources): the function returns its documented
// error, and this line tells the operator the reason.
//
// Host side (resource monitor, tests). Without a sink the lines go to stderr.
#pragma once

#include <string>

#include "wolfpack/export.h"

namespace wolfpack {

// Called on the plugin's thread; must not call back into resutils. nullptr restores stderr.
using resutils_log_sink = void (*)(const std::string& message);
WP_RESUTILS_API void set_resutils_log_sink(resutils_log_sink sink);

}  // namespace wolfpack
