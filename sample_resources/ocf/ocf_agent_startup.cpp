// The one exported symbol: Startup, serving "OCF Agent".

#include "ocf_agent.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::samples::ocf_agent, L"OCF Agent")
