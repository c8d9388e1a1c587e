#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "wolfpack/common/endpoint_io.hpp"

namespace wolfpack::api::detail {

class server_state;

using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;

// Completes the WebSocket handshake for an upgrade request and streams events to the peer:
// first the retained ones after *since, then every broadcast, until it closes or falls too
// far behind. Subscribes at once, so nothing broadcast during the handshake is missed.
void start_websocket_session(std::shared_ptr<server_state> state, stream_socket socket,
                             upgrade_request request, std::optional<std::uint64_t> since,
                             std::string remote);

}  // namespace wolfpack::api::detail
