#include "wolfpack/http/event_stream.hpp"

#include <string>
#include <string_view>
#include <utility>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "transport.hpp"

namespace wolfpack::http {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using error_code = boost::system::error_code;
using detail::clock;

namespace {

// Events are small; this only stops a broken peer from exhausting memory.
constexpr std::size_t max_event_bytes = std::size_t{16} << 20;

std::string declined_message(const websocket::response_type& res) {
  std::string text = "HTTP " + std::to_string(res.result_int());
  // Our server explains itself in an error JSON; show its message when there is one.
  try {
    const auto body = nlohmann::json::parse(res.body());
    text += ": " + body.at("error").at("message").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    if (!res.body().empty() && res.body().size() < 200) {
      text += ": " + res.body();
    }
  }
  return text;
}

}  // namespace

struct event_stream::impl {
  explicit impl(endpoint where) : ep(std::move(where)), peer(detail::describe(ep)), ws(io) {}
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;
  ~impl() {
    // Pending operations refer to members: let them finish (aborted) before they go.
    beast::get_lowest_layer(ws).close();
    detail::drain(io);
  }

  status handshake(std::optional<std::uint64_t> since, clock::time_point deadline,
                   const std::string& api_key) {
    auto dialed = detail::dial(io, beast::get_lowest_layer(ws), ep, deadline);
    if (!dialed) {
      return dialed;
    }
    // From here on the WebSocket's own timeouts apply, not the TCP stream's.
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = detail::remaining(deadline);
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator([api_key](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "wolfpack-http");
      if (!api_key.empty())
        req.set(beast::http::field::authorization, "Bearer " + api_key);
    }));
    ws.read_message_max(max_event_bytes);

    const std::string target = since ? "/events?since=" + std::to_string(*since) : "/events";
    websocket::response_type res;
    error_code result;
    bool done = false;
    ws.async_handshake(res, detail::host_header(ep), target, [&](const error_code& ec) {
      result = ec;
      done = true;
    });
    detail::run_until(io, done);
    if (result == websocket::error::upgrade_declined) {
      return fail("cannot subscribe to events at " + peer + ": " + declined_message(res));
    }
    if (result == beast::error::timeout) {
      return fail("cannot subscribe to events at " + peer + ": no WebSocket handshake within " +
                  std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     timeouts.handshake_timeout)
                                     .count()) +
                  " ms");
    }
    if (result) {
      return fail("cannot subscribe to events at " + peer + ": " + detail::message_of(result));
    }
    open = true;
    return {};
  }

  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout) {
    if (!open) {
      return std::nullopt;
    }
    // One read stays pending across calls: a call that times out leaves it running, and
    // the next call picks up its result. No message is ever lost to a timeout.
    if (!read_pending) {
      read_pending = true;
      read_done = false;
      ws.async_read(buffer, [this](const error_code& ec, std::size_t) {
        read_ec = ec;
        read_done = true;
      });
    }
    const auto deadline = clock::now() + timeout;
    io.restart();
    io.poll();
    while (!read_done && clock::now() < deadline) {
      if (io.run_one_until(deadline) == 0 && io.stopped()) {
        break;
      }
    }
    if (!read_done) {
      return std::nullopt;
    }
    read_pending = false;
    if (read_ec) {
      mark_closed(read_ec);
      return std::nullopt;
    }
    const auto data = buffer.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    std::optional<nlohmann::json> event;
    try {
      event = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      reason = "the server sent an event that is not JSON: " + std::string(e.what());
      open = false;
      beast::get_lowest_layer(ws).close();
      detail::drain(io);
    }
    buffer.clear();
    return event;
  }

  void mark_closed(const error_code& ec) {
    open = false;
    if (ec == websocket::error::closed) {
      const auto& cr = ws.reason();
      reason = "closed by the server (" + std::to_string(cr.code) + ")";
      if (!cr.reason.empty()) {
        reason += ": " + std::string(cr.reason.data(), cr.reason.size());
      }
    } else {
      reason = "connection to " + peer + " lost: " + detail::message_of(ec);
    }
  }

  void close(std::chrono::milliseconds timeout) {
    if (!open) {
      return;
    }
    open = false;
    reason = "closed by the client";
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = timeout;
    ws.set_option(timeouts);
    bool done = false;
    ws.async_close(websocket::close_code::normal, [&](const error_code&) { done = true; });
    // A pending read also completes (closed); both are bounded by the close timeout.
    detail::run_until(io, done);
    beast::get_lowest_layer(ws).close();
    detail::drain(io);
    read_pending = false;
  }

  endpoint ep;
  std::string peer;
  net::io_context io;
  websocket::stream<detail::http_stream, false> ws;  // no deflate; after io: destroyed first
  beast::flat_buffer buffer;
  bool open = false;
  bool read_pending = false;
  bool read_done = false;
  error_code read_ec;
  std::string reason;
};

event_stream::event_stream(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}
event_stream::event_stream(event_stream&&) noexcept = default;
event_stream& event_stream::operator=(event_stream&&) noexcept = default;
event_stream::~event_stream() = default;

result<event_stream> event_stream::open(const endpoint& ep, std::optional<std::uint64_t> since,
                                        std::chrono::milliseconds timeout, std::string api_key) {
  auto state = std::make_unique<impl>(ep);
  if (auto shaken = state->handshake(since, clock::now() + timeout, api_key); !shaken) {
    return fail(shaken.error());
  }
  return event_stream(std::move(state));
}

std::optional<nlohmann::json> event_stream::next(std::chrono::milliseconds timeout) {
  return impl_->next(timeout);
}

bool event_stream::is_open() const {
  return impl_->open;
}

const std::string& event_stream::close_reason() const {
  return impl_->reason;
}

void event_stream::close(std::chrono::milliseconds timeout) {
  impl_->close(timeout);
}

}  // namespace wolfpack::http
