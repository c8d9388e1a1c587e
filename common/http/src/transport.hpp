#pragma once

#include <chrono>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/system/error_code.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/result.hpp"

// What client and event_stream share (defined in client.cpp, which needs Beast's stream
// anyway, to spare the build a translation unit).
namespace wolfpack::http::detail {

using http_stream = boost::beast::basic_stream<stream_protocol>;
using clock = std::chrono::steady_clock;

// "127.0.0.1:5000", "[::1]:5000", "unix:/run/x.sock": how messages name the server.
std::string describe(const endpoint& ep);

// The Host header: "127.0.0.1:5000"; "localhost" for Unix sockets.
std::string host_header(const endpoint& ep);

// "Connection refused" -> "connection refused", to read well after a colon.
std::string message_of(const boost::system::error_code& ec);

// Connects `stream` (whose executor is `io`'s) by the deadline; runs `io` meanwhile.
[[nodiscard]] status dial(boost::asio::io_context& io, http_stream& stream, const endpoint& ep,
                          clock::time_point deadline);

// Runs `io` until `done` is set. The pending operations must be bounded by a timeout.
void run_until(boost::asio::io_context& io, const bool& done);

// Lets `io` finish the handlers of operations aborted by closing a socket, so that none
// refers to a destroyed object.
void drain(boost::asio::io_context& io);

std::chrono::milliseconds remaining(clock::time_point deadline);

}  // namespace wolfpack::http::detail
