// The one exported symbol: Startup, serving "Physical Disk".

#include "physical_disk.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::lab_types::physical_disk, L"Physical Disk")
