// The one exported symbol: Startup, serving "Network Name".

#include "network_name.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::lab_types::network_name, L"Network Name")
