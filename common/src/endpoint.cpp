#include "wolfpack/common/endpoint.hpp"

#include <charconv>

#include <boost/asio/ip/address.hpp>

#include "wolfpack/common/platform/paths.hpp"

namespace wolfpack {

endpoint endpoint::unix_socket(std::string path) {
  endpoint ep;
  ep.kind = endpoint_kind::unix_socket;
  ep.path = std::move(path);
  return ep;
}

endpoint endpoint::tcp(std::string host, std::uint16_t port) {
  endpoint ep;
  ep.kind = endpoint_kind::tcp;
  ep.host = std::move(host);
  ep.port = port;
  return ep;
}

std::string endpoint::to_string() const {
  if (kind == endpoint_kind::unix_socket) {
    return "unix:" + path;
  }
  const bool v6 = host.find(':') != std::string::npos;
  return "tcp:" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

result<endpoint> parse_endpoint(std::string_view text) {
  const std::string prefix = "endpoint '" + std::string(text) + "': ";
  constexpr std::string_view unix_scheme = "unix:";
  constexpr std::string_view tcp_scheme = "tcp:";

  if (text.starts_with(unix_scheme)) {
    const auto path = text.substr(unix_scheme.size());
    if (path.empty()) {
      return fail(prefix + "empty socket path");
    }
    if (path.find('\0') != std::string_view::npos) {
      return fail(prefix + "socket path contains a NUL character");
    }
    const auto max = platform::max_unix_socket_path_bytes();
    if (path.size() > max) {
      return fail(prefix + "socket path is " + std::to_string(path.size()) +
                  " bytes long; the limit is " + std::to_string(max));
    }
    return endpoint::unix_socket(std::string(path));
  }

  if (!text.starts_with(tcp_scheme)) {
    return fail(prefix + "expected 'unix:PATH' or 'tcp:HOST:PORT'");
  }
  const auto rest = text.substr(tcp_scheme.size());
  std::string_view host;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return fail(prefix + "missing ']' after IPv6 address");
    }
    host = rest.substr(1, close - 1);
    const auto after = rest.substr(close + 1);
    if (!after.starts_with(':')) {
      return fail(prefix + "expected tcp:[IPV6]:PORT");
    }
    port_text = after.substr(1);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return fail(prefix + "expected tcp:HOST:PORT");
    }
    host = rest.substr(0, colon);
    port_text = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return fail(prefix + "IPv6 addresses must be written in brackets, e.g. tcp:[::1]:5000");
    }
  }
  if (host.empty()) {
    return fail(prefix + "empty host");
  }
  if (port_text.empty()) {
    return fail(prefix + "empty port");
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return fail(prefix + "port '" + std::string(port_text) + "' is not a number from 0 to 65535");
  }
  boost::system::error_code address_error;
  const auto address = boost::asio::ip::make_address(std::string(host), address_error);
  if (address_error) {
    return fail(prefix + "host '" + std::string(host) + "' is not a numeric IPv4 or IPv6 address");
  }
  if (rest.starts_with('[') != address.is_v6()) {
    return fail(prefix + "host '" + std::string(host) + "' is not a numeric IPv6 address");
  }
  return endpoint::tcp(address.to_string(), static_cast<std::uint16_t>(port));
}

}  // namespace wolfpack
