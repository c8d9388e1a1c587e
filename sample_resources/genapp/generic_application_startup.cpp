// The one exported symbol: Startup, serving "Generic Application".

#include "generic_application.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::samples::generic_application, L"Generic Application")
