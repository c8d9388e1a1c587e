// The one exported symbol: Startup, serving "IP Address".

#include "ip_address.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::lab_types::ip_address, L"IP Address")
