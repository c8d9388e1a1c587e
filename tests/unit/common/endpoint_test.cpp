#include <string>

#include <catch2/catch.hpp>

#include "wolfpack/common/endpoint.hpp"
#include "wolfpack/common/platform/paths.hpp"

using wolfpack::endpoint;
using wolfpack::endpoint_kind;
using wolfpack::parse_endpoint;

TEST_CASE("parse_endpoint reads unix socket paths", "[endpoint]") {
  auto ep = parse_endpoint("unix:/run/wolfpack/node1.sock");
  REQUIRE(ep.ok());
  CHECK(ep->kind == endpoint_kind::unix_socket);
  CHECK(ep->path == "/run/wolfpack/node1.sock");
  CHECK(ep->to_string() == "unix:/run/wolfpack/node1.sock");

  auto relative = parse_endpoint("unix:rel.sock");
  REQUIRE(relative.ok());
  CHECK(relative->path == "rel.sock");
}

TEST_CASE("parse_endpoint reads TCP IPv4 and bracketed IPv6", "[endpoint]") {
  auto v4 = parse_endpoint("tcp:127.0.0.1:5000");
  REQUIRE(v4.ok());
  CHECK(v4->kind == endpoint_kind::tcp);
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 5000);
  CHECK(v4->to_string() == "tcp:127.0.0.1:5000");

  auto v6 = parse_endpoint("tcp:[::1]:65535");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 65535);
  CHECK(v6->to_string() == "tcp:[::1]:65535");

  auto any = parse_endpoint("tcp:0.0.0.0:0");
  REQUIRE(any.ok());
  CHECK(any->port == 0);

  CHECK(*parse_endpoint(v6->to_string()) == *v6);
  CHECK(endpoint::tcp("10.0.0.1", 80) == *parse_endpoint("tcp:10.0.0.1:80"));
}

TEST_CASE("parse_endpoint explains what is wrong", "[endpoint]") {
  struct example {
    std::string text;
    std::string error;
  };
  for (const auto& [text, error] : {
           example{"", "endpoint '': expected 'unix:PATH' or 'tcp:HOST:PORT'"},
           example{"udp:1.2.3.4:5",
                   "endpoint 'udp:1.2.3.4:5': expected 'unix:PATH' or 'tcp:HOST:PORT'"},
           example{"unix:", "endpoint 'unix:': empty socket path"},
           example{"tcp:127.0.0.1", "endpoint 'tcp:127.0.0.1': expected tcp:HOST:PORT"},
           example{"tcp::5000", "endpoint 'tcp::5000': empty host"},
           example{"tcp:127.0.0.1:", "endpoint 'tcp:127.0.0.1:': empty port"},
           example{"tcp:127.0.0.1:65536",
                   "endpoint 'tcp:127.0.0.1:65536': port '65536' is not a number from 0 to 65535"},
           example{"tcp:127.0.0.1:-1",
                   "endpoint 'tcp:127.0.0.1:-1': port '-1' is not a number from 0 to 65535"},
           example{"tcp:127.0.0.1:50x",
                   "endpoint 'tcp:127.0.0.1:50x': port '50x' is not a number from 0 to 65535"},
           example{"tcp:localhost:5000",
                   "endpoint 'tcp:localhost:5000': host 'localhost' is not a numeric IPv4 or IPv6 "
                   "address"},
           example{"tcp:::1:5000",
                   "endpoint 'tcp:::1:5000': IPv6 addresses must be written in brackets, e.g. "
                   "tcp:[::1]:5000"},
           example{"tcp:[::1:5000", "endpoint 'tcp:[::1:5000': missing ']' after IPv6 address"},
           example{"tcp:[::1]5000", "endpoint 'tcp:[::1]5000': expected tcp:[IPV6]:PORT"},
           example{"tcp:[127.0.0.1]:5000",
                   "endpoint 'tcp:[127.0.0.1]:5000': host '127.0.0.1' is not a numeric IPv6 "
                   "address"},
       }) {
    INFO(text);
    auto ep = parse_endpoint(text);
    REQUIRE_FALSE(ep.ok());
    CHECK(ep.error() == error);
  }
}

TEST_CASE("parse_endpoint rejects unix paths longer than the platform allows", "[endpoint]") {
  const auto max = wolfpack::platform::max_unix_socket_path_bytes();
  CHECK(parse_endpoint("unix:/" + std::string(max - 1, 'a')).ok());
  auto too_long = parse_endpoint("unix:/" + std::string(max, 'a'));
  REQUIRE_FALSE(too_long.ok());
  CHECK_THAT(too_long.error(), Catch::Contains("the limit is " + std::to_string(max)));
}
