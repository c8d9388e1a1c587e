// The one exported symbol: Startup, serving "Generic Script".

#include "generic_script.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::samples::generic_script, L"Generic Script")
