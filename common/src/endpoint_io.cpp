#include "wolfpack/common/endpoint_io.hpp"

#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>

namespace wolfpack {
namespace {

std::string describe(const endpoint& ep, const char* action, const boost::system::error_code& ec) {
  return std::string("cannot ") + action + " " + ep.to_string() + ": " + ec.message();
}

result<stream_protocol::endpoint> to_asio(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
    try {
      return stream_protocol::endpoint(boost::asio::local::stream_protocol::endpoint(ep.path));
    } catch (const boost::system::system_error& e) {
      return fail("invalid unix socket path '" + ep.path + "': " + e.code().message());
    }
#else
    return fail(ep.to_string() +
                ": Unix domain sockets are not supported on this platform; use tcp:127.0.0.1:PORT");
#endif
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(ep.host, ec);
  if (ec) {
    return fail(ep.to_string() + ": '" + ep.host + "' is not a numeric IP address");
  }
  return stream_protocol::endpoint(boost::asio::ip::tcp::endpoint(address, ep.port));
}

void remove_stale_socket(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_socket(std::filesystem::symlink_status(path, ec))) {
    std::filesystem::remove(path, ec);
  }
}

}  // namespace

void tune_socket(stream_socket& socket) {
  boost::system::error_code ignored;
  const auto local = socket.local_endpoint(ignored);
  if (ignored) {
    return;
  }
  const int family = local.protocol().family();
  if (family == AF_INET || family == AF_INET6) {
    socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  }
}

result<stream_acceptor> listen_on(boost::asio::io_context& io, const endpoint& ep,
                                  const listen_options& options) {
  auto target = to_asio(ep);
  if (!target) {
    return fail(target.error());
  }
  if (ep.kind == endpoint_kind::unix_socket && options.remove_stale_socket_file) {
    remove_stale_socket(ep.path);
  }
  stream_acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(target->protocol(), ec);
  if (ec)
    return fail(describe(ep, "open a socket for", ec));
  if (ep.kind == endpoint_kind::tcp) {
    acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (ec)
      return fail(describe(ep, "set SO_REUSEADDR on", ec));
  }
  acceptor.bind(*target, ec);
  if (ec)
    return fail(describe(ep, "bind", ec));
  acceptor.listen(options.backlog, ec);
  if (ec)
    return fail(describe(ep, "listen on", ec));
  return acceptor;
}

result<endpoint> local_endpoint_of(const stream_acceptor& acceptor) {
  boost::system::error_code ec;
  const auto local = acceptor.local_endpoint(ec);
  if (ec) {
    return fail("cannot read the listening address: " + ec.message());
  }
  const auto family = local.protocol().family();
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
  if (family == AF_UNIX) {
    boost::asio::local::stream_protocol::endpoint unix_ep;
    unix_ep.resize(local.size());
    std::memcpy(unix_ep.data(), local.data(), local.size());
    return endpoint::unix_socket(unix_ep.path());
  }
#endif
  if (family == AF_INET || family == AF_INET6) {
    boost::asio::ip::tcp::endpoint tcp_ep;
    tcp_ep.resize(local.size());
    std::memcpy(tcp_ep.data(), local.data(), local.size());
    return endpoint::tcp(tcp_ep.address().to_string(), tcp_ep.port());
  }
  return fail("listening address has unknown family " + std::to_string(family));
}

result<stream_socket> connect_to(boost::asio::io_context& io, const endpoint& ep) {
  auto target = to_asio(ep);
  if (!target) {
    return fail(target.error());
  }
  stream_socket socket(io);
  boost::system::error_code ec;
  socket.connect(*target, ec);
  if (ec) {
    return fail(describe(ep, "connect to", ec));
  }
  tune_socket(socket);
  return socket;
}

void async_connect_to(boost::asio::io_context& io, const endpoint& ep, connect_handler handler) {
  auto target = to_asio(ep);
  if (!target) {
    boost::asio::post(
        io, [handler = std::move(handler), error = target.error()]() { handler(fail(error)); });
    return;
  }
  // The socket lives on the heap until the handler runs, then moves into the result.
  auto socket = std::make_shared<stream_socket>(io);
  socket->async_connect(
      *target, [socket, ep, handler = std::move(handler)](const boost::system::error_code& ec) {
        if (ec) {
          handler(fail(describe(ep, "connect to", ec)));
          return;
        }
        tune_socket(*socket);
        handler(std::move(*socket));
      });
}

}  // namespace wolfpack
