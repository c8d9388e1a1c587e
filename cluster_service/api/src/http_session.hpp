#pragma once

#include <memory>
#include <string>

#include "wolfpack/common/endpoint_io.hpp"

namespace wolfpack::api::detail {

class server_state;

// Serves HTTP/1.1 requests on an accepted connection until either side closes it; hands
// the socket to a WebSocket session on GET /events with an Upgrade.
void start_http_session(std::shared_ptr<server_state> state, stream_socket socket);

// "127.0.0.1:54321", "[::1]:54321" or "unix"; "unknown" when the socket cannot tell.
std::string describe_peer(const stream_socket& socket);

}  // namespace wolfpack::api::detail
