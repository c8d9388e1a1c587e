#include "wolfpack/http/client.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "transport.hpp"
#include "wolfpack/http/percent_encoding.hpp"

namespace wolfpack::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using error_code = boost::system::error_code;

namespace detail {

std::string describe(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
    return ep.to_string();
  }
  return host_header(ep);
}

std::string host_header(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
    return "localhost";
  }
  const bool v6 = ep.host.find(':') != std::string::npos;
  return (v6 ? "[" + ep.host + "]" : ep.host) + ":" + std::to_string(ep.port);
}

std::string message_of(const error_code& ec) {
  auto text = ec.message();
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      std::islower(static_cast<unsigned char>(text[1]))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::chrono::milliseconds remaining(clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now()));
}

void run_until(net::io_context& io, const bool& done) {
  io.restart();
  while (!done) {
    if (io.run_one() == 0) {
      break;  // out of work: nothing can set `done` any more
    }
  }
}

void drain(net::io_context& io) {
  io.restart();
  // Aborted operations complete in a few rounds; bounded in case a timer is still armed.
  for (int round = 0; round < 16 && io.poll() > 0; ++round) {
  }
}

namespace {

result<stream_protocol::endpoint> to_asio(const endpoint& ep) {
  if (ep.kind == endpoint_kind::unix_socket) {
#if defined(BOOST_ASIO_HAS_LOCAL_SOCKETS)
    return stream_protocol::endpoint(net::local::stream_protocol::endpoint(ep.path));
#else
    return fail("cannot connect to " + ep.to_string() +
                ": Unix domain sockets are not supported on this platform");
#endif
  }
  error_code ec;
  const auto address = net::ip::make_address(ep.host, ec);
  if (ec) {
    return fail("cannot connect to " + describe(ep) + ": '" + ep.host +
                "' is not a numeric IP address");
  }
  return stream_protocol::endpoint(net::ip::tcp::endpoint(address, ep.port));
}

}  // namespace

status dial(net::io_context& io, http_stream& stream, const endpoint& ep,
            clock::time_point deadline) {
  const auto target = to_asio(ep);
  if (!target) {
    return fail(target.error());
  }
  const auto budget = remaining(deadline);
  error_code result;
  bool done = false;
  stream.expires_at(deadline);
  stream.async_connect(*target, [&](const error_code& ec) {
    result = ec;
    done = true;
  });
  run_until(io, done);
  stream.expires_never();
  if (result == beast::error::timeout) {
    return fail("cannot connect to " + describe(ep) + ": timed out after " +
                std::to_string(budget.count()) + " ms");
  }
  if (result) {
    return fail("cannot connect to " + describe(ep) + ": " + message_of(result));
  }
  tune_socket(stream.socket());
  return {};
}

}  // namespace detail

namespace {

using detail::clock;

// Responses as large as the whole cluster's configuration are fine; a runaway peer is not.
constexpr std::uint64_t response_body_limit = std::uint64_t{256} << 20;

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool is_connection_loss(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::connection_aborted;
}

}  // namespace

struct client::impl {
  explicit impl(endpoint where) : ep(std::move(where)), peer(detail::describe(ep)) {}
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  ~impl() { disconnect(); }

  status open(clock::time_point deadline) {
    disconnect();
    stream.emplace(io);
    auto dialed = detail::dial(io, *stream, ep, deadline);
    if (!dialed) {
      disconnect();
      return dialed;
    }
    reusable = true;
    return {};
  }

  void disconnect() {
    if (stream) {
      stream->close();
      detail::drain(io);
      stream.reset();
    }
    buffer.clear();
    reusable = false;
  }

  // True when the kept-alive connection can no longer carry a request: the server closed
  // it (EOF pending) or sent bytes nobody asked for.
  bool peer_gone() {
    auto& socket = stream->socket();
    error_code ec;
    socket.non_blocking(true, ec);
    char byte = 0;
    socket.receive(net::buffer(&byte, 1), net::socket_base::message_peek, ec);
    error_code ignored;
    socket.non_blocking(false, ignored);
    return ec != net::error::would_block;
  }

  struct outcome {
    std::optional<http_response> response;
    std::string error;
    bool before_response = false;  // lost before any response byte: safe to retry
  };

  outcome exchange(bhttp::request<bhttp::string_body>& req, clock::time_point deadline,
                   std::chrono::milliseconds timeout) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(response_body_limit);
    parser.skip(req.method() == bhttp::verb::head);  // its Content-Length announces no body

    // Read while writing: a server may answer before taking the whole body (413), and the
    // answer is what the caller wants to see, not the broken pipe of the write.
    bool write_done = false;
    bool read_done = false;
    bool done = false;
    error_code write_ec;
    error_code read_ec;
    stream->expires_at(deadline);
    bhttp::async_write(*stream, req, [&](const error_code& ec, std::size_t) {
      write_ec = ec;
      write_done = true;
      done = read_done;
    });
    bhttp::async_read(*stream, buffer, parser, [&](const error_code& ec, std::size_t) {
      read_ec = ec;
      read_done = true;
      if (!write_done) {
        stream->cancel();  // answered early: the rest of the body is not wanted
      }
      done = write_done;
    });
    detail::run_until(io, done);
    stream->expires_never();

    outcome out;
    const auto what = std::string(req.method_string()) + " " + std::string(req.target());
    if (read_ec) {
      reusable = false;
      if (read_ec == beast::error::timeout) {
        out.error = what + " to " + peer + ": no response within " +
                    std::to_string(timeout.count()) + " ms";
      } else if (write_ec && write_ec != net::error::operation_aborted &&
                 write_ec != beast::error::timeout) {
        out.error = "cannot send " + what + " to " + peer + ": " + detail::message_of(write_ec);
        out.before_response = !parser.got_some() && is_connection_loss(write_ec);
      } else if (is_connection_loss(read_ec)) {
        out.error = what + " to " + peer + ": connection closed by the server before a response";
        out.before_response = !parser.got_some();
      } else {
        out.error = what + " to " + peer + ": " + detail::message_of(read_ec);
      }
      return out;
    }

    auto& res = parser.get();
    reusable = !write_ec && res.keep_alive();
    http_response answer;
    answer.status = static_cast<int>(res.result_int());
    if (!is_blank(res.body())) {
      try {
        answer.body = nlohmann::json::parse(res.body());
      } catch (const nlohmann::json::parse_error&) {
        out.error = what + " to " + peer + ": HTTP " + std::to_string(answer.status) +
                    " response body is not JSON";
        return out;
      }
    }
    out.response = std::move(answer);
    return out;
  }

  endpoint ep;
  std::string peer;
  net::io_context io;
  std::optional<detail::http_stream> stream;  // after io: destroyed first
  beast::flat_buffer buffer;
  bool reusable = false;
  std::string api_key;
};

client::client(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}
client::client(client&&) noexcept = default;
client& client::operator=(client&&) noexcept = default;
client::~client() = default;

const endpoint& client::remote() const {
  return impl_->ep;
}

void client::set_api_key(std::string key) {
  impl_->api_key = std::move(key);
}

result<client> client::connect(const endpoint& ep, std::chrono::milliseconds timeout) {
  auto state = std::make_unique<impl>(ep);
  if (auto opened = state->open(clock::now() + timeout); !opened) {
    return fail(opened.error());
  }
  return client(std::move(state));
}

result<http_response> client::request(std::string_view method, std::string_view target,
                                      const nlohmann::json* body,
                                      std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  bhttp::request<bhttp::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(beast::string_view(target.data(), target.size()));
  req.version(11);
  req.set(bhttp::field::host, detail::host_header(impl_->ep));
  req.set(bhttp::field::user_agent, "wolfpack-http");
  req.set(bhttp::field::accept, "application/json");
  if (!impl_->api_key.empty())
    req.set(bhttp::field::authorization, "Bearer " + impl_->api_key);
  if (body != nullptr) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  req.keep_alive(true);
  req.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    bool fresh = false;
    if (!impl_->stream || !impl_->reusable || impl_->peer_gone()) {
      if (auto opened = impl_->open(deadline); !opened) {
        return fail(opened.error());
      }
      fresh = true;
    }
    auto out = impl_->exchange(req, deadline, timeout);
    if (out.response) {
      if (!impl_->reusable) {
        impl_->disconnect();
      }
      return std::move(*out.response);
    }
    impl_->disconnect();
    // A kept-alive connection the server closed as we sent: the request never arrived.
    if (!fresh && attempt == 0 && out.before_response && clock::now() < deadline) {
      continue;
    }
    return fail(out.error);
  }
}

std::string encode_segment(std::string_view segment) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace wolfpack::http
