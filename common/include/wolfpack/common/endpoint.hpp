#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wolfpack/common/result.hpp"

namespace wolfpack {

enum class endpoint_kind { unix_socket, tcp };

// Where a stream channel listens or connects, written as text in configuration and on
// command lines:
//   unix:/run/wolfpack/node1/resrcmon.sock
//   tcp:127.0.0.1:5000      tcp:[::1]:5000
// TCP hosts are numeric addresses only: no name resolution happens on these paths.
struct endpoint {
  endpoint_kind kind = endpoint_kind::tcp;
  std::string path{};      // unix_socket only
  std::string host{};      // tcp only: numeric IPv4 or IPv6 address, without brackets
  std::uint16_t port = 0;  // tcp only; 0 when listening means "any free port"

  static endpoint unix_socket(std::string path);
  static endpoint tcp(std::string host, std::uint16_t port);

  // The canonical text form, which parse_endpoint() reads back.
  std::string to_string() const;

  bool operator==(const endpoint&) const = default;
};

// Errors name the text and the problem, e.g.
//   endpoint 'tcp:127.0.0.1': expected tcp:HOST:PORT
//   endpoint 'tcp:localhost:5000': host 'localhost' is not a numeric IPv4 or IPv6 address
[[nodiscard]] result<endpoint> parse_endpoint(std::string_view text);

}  // namespace wolfpack
