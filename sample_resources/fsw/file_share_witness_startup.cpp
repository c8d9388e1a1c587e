// The one exported symbol: Startup, serving "File Share Witness".

#include "file_share_witness.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::lab_types::file_share_witness, L"File Share Witness")
