#pragma once

#include <boost/beast/core/basic_stream.hpp>

#include "wolfpack/common/endpoint_io.hpp"

namespace wolfpack::api::detail {

// One stream type for TCP and Unix sockets, with Beast's per-operation timeouts.
using http_stream = boost::beast::basic_stream<stream_protocol>;

}  // namespace wolfpack::api::detail
