// The real transport: api_backend over wolfpack::http::client (common/http). Built only when
// that library is part of the build (WOLFPACK_CLUSTER_HAS_HTTP).
#pragma once

#include <memory>
#include <string>

#include "wolfpack/cluster_cli/api_backend.hpp"

namespace wolfpack::cluster_cli {

// A backend for the node API at "HOST:PORT"; it connects on the first request and sends
// `api_key` (empty: none) with every request.
std::unique_ptr<api_backend> make_http_backend(const std::string& address,
                                               const std::string& api_key);

}  // namespace wolfpack::cluster_cli
