// The one exported symbol: Startup, serving "File Share".

#include "file_share.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::lab_types::file_share, L"File Share")
