#pragma once

#include <functional>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/result.hpp"

namespace wolfpack {

// One socket type for Unix domain sockets and TCP, so one channel class serves both
// (Windows uses TCP on loopback where it would use a Unix socket).
using stream_protocol = boost::asio::generic::stream_protocol;
using stream_socket = stream_protocol::socket;
using stream_acceptor = boost::asio::basic_socket_acceptor<stream_protocol>;

struct listen_options {
  int backlog = 64;
  // A Unix socket file left behind by a process that died is removed before binding.
  // Only sockets are removed, never other kinds of file.
  bool remove_stale_socket_file = true;
};

// Binds and listens. TCP listeners set SO_REUSEADDR; port 0 picks a free port (see
// local_endpoint_of). Unix sockets are unsupported where Asio lacks them (Windows).
[[nodiscard]] result<stream_acceptor> listen_on(boost::asio::io_context& io, const endpoint& ep,
                                                const listen_options& options = {});

// The address an acceptor is bound to, e.g. to learn the port chosen for port 0.
[[nodiscard]] result<endpoint> local_endpoint_of(const stream_acceptor& acceptor);

// Connects, blocking the calling thread. Meant for startup paths (resrcmon dialling its
// clussvc over a local socket); use async_connect_to on an event loop.
[[nodiscard]] result<stream_socket> connect_to(boost::asio::io_context& io, const endpoint& ep);

// Connects asynchronously; `handler` runs on `io` with the connected socket or the error.
using connect_handler = std::function<void(result<stream_socket>)>;
void async_connect_to(boost::asio::io_context& io, const endpoint& ep, connect_handler handler);

// Sets TCP_NODELAY on TCP sockets (our messages are small and latency matters); does
// nothing for Unix sockets.
void tune_socket(stream_socket& socket);

}  // namespace wolfpack
