// The one exported symbol: Startup, serving "File Marker" and "Example C++".

#include "file_marker.hpp"

WOLFPACK_EXPORT_RESOURCE_TYPE(wolfpack::example::file_marker, L"File Marker", L"Example C++")
