#include "http_session.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <nlohmann/json.hpp>

#include "beast_stream.hpp"
#include "server_state.hpp"
#include "target.hpp"
#include "websocket_session.hpp"
#include "wolfpack/common/logging.hpp"

namespace wolfpack::api::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using error_code = boost::system::error_code;

constexpr int error_access_denied = 5;
constexpr int error_invalid_parameter = 87;
constexpr int error_internal_error = 1359;

response error_response(int status, int code, std::string_view name, std::string message) {
  return {status, {{"error", {{"code", code}, {"name", name}, {"message", std::move(message)}}}}};
}

response invalid_parameter(int status, std::string message) {
  return error_response(status, error_invalid_parameter, "ERROR_INVALID_PARAMETER",
                        std::move(message));
}

response internal_error(std::string message) {
  return error_response(500, error_internal_error, "ERROR_INTERNAL_ERROR", std::move(message));
}

// nlohmann prefixes its messages with "[json.exception.parse_error.101] ", which means
// nothing to an API user.
std::string without_json_prefix(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    if (const auto end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
  }
  return std::string(what);
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// In a time that does not depend on where the keys first differ: a refused client learns
// nothing about the key from how fast it was refused.
bool same_key(std::string_view given, std::string_view key) {
  unsigned char diff = given.size() == key.size() ? 0 : 1;
  for (std::size_t i = 0; i < key.size(); ++i)
    diff |= static_cast<unsigned char>(key[i] ^ (i < given.size() ? given[i] : 0));
  return diff == 0;
}

// Empty when the request may go on; otherwise why it may not.
std::string refusal(const http::request<http::string_body>& req, const std::string& key) {
  if (key.empty())
    return {};
  const auto field = req[http::field::authorization];
  const std::string_view header(field.data(), field.size());
  if (header.empty())
    return "the cluster API needs the cluster's key: send Authorization: Bearer KEY "
           "(`wolfpack api-key` prints it)";
  const beast::string_view scheme = "bearer ";
  if (header.size() < scheme.size() ||
      !beast::iequals(beast::string_view(header.data(), scheme.size()), scheme))
    return "the Authorization header must be Bearer KEY";
  if (!same_key(header.substr(scheme.size()), key))
    return "the API key in the Authorization header is not this cluster's";
  return {};
}

bool expects_continue(const http::request<http::string_body>& req) {
  return beast::iequals(req[http::field::expect], "100-continue");
}

class http_session;

// The state behind one request's responder: answers once, and answers 500 if the handler
// lets every copy of the responder go without answering.
class reply_state {
 public:
  reply_state(std::shared_ptr<http_session> session, std::uint64_t request_id)
      : session_(std::move(session)), request_id_(request_id) {}
  reply_state(const reply_state&) = delete;
  reply_state& operator=(const reply_state&) = delete;
  ~reply_state();

  void answer(response r);
  bool answered() const { return answered_; }

 private:
  std::shared_ptr<http_session> session_;
  std::uint64_t request_id_;
  bool answered_ = false;
};

class http_session final : public connection, public std::enable_shared_from_this<http_session> {
 public:
  http_session(std::shared_ptr<server_state> state, stream_socket socket)
      : state_(std::move(state)), remote_(describe_peer(socket)), stream_(std::move(socket)) {
    id_ = state_->add_connection(this);
  }
  ~http_session() override { state_->remove_connection(id_); }
  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  void start() { do_read_header(); }

  void shut_down() override {
    closing_ = true;
    stream_.close();
  }

  // From the request's responder.
  void send(std::uint64_t request_id, response r);

  bool abandoned() const { return closing_ || state_->closed(); }

 private:
  void do_read_header();
  void on_read_header(const error_code& ec);
  void do_read_body();
  void on_request(const error_code& ec);
  void on_read_error(const error_code& ec);
  void dispatch(request r);
  void upgrade(const parsed_target& target);
  void do_write();
  void on_write(const error_code& ec);
  void do_linger();

  void reply_and_close(response r) {
    keep_alive_ = false;
    unread_input_ = true;
    send(0, std::move(r));
  }

  const std::shared_ptr<server_state> state_;
  const std::string remote_;
  std::uint64_t id_ = 0;
  http_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;

  // The request in flight: at most one, since requests are answered in order.
  std::uint64_t request_id_ = 0;
  std::string method_;
  std::string target_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::chrono::steady_clock::time_point started_{};
  bool awaiting_answer_ = false;

  bool closing_ = false;
  // The client may still be sending (a rejected body): drain before closing so that it
  // reads our answer instead of a connection reset.
  bool unread_input_ = false;
  std::array<char, 16 * 1024> drain_buffer_{};
  std::size_t drained_ = 0;
};

reply_state::~reply_state() {
  if (!answered_ && !session_->abandoned()) {
    log::error("api", "request {} was dropped without an answer; answering 500", request_id_);
    session_->send(request_id_, internal_error("the request was dropped without an answer"));
  }
}

void reply_state::answer(response r) {
  if (answered_) {
    log::error("api", "request {} answered twice; the second answer (status {}) is ignored",
               request_id_, r.status);
    return;
  }
  answered_ = true;
  session_->send(request_id_, std::move(r));
}

void http_session::do_read_header() {
  // One large body must not pin a megabyte to every idle kept-alive connection.
  if (buffer_.size() == 0 && buffer_.capacity() > 64 * 1024) {
    buffer_.shrink_to_fit();
  }
  method_.clear();
  target_.clear();
  parser_.emplace();
  parser_->body_limit(state_->options().body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options().header_limit));
  stream_.expires_after(state_->options().idle_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_read_header(ec); });
}

void http_session::on_read_header(const error_code& ec) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  started_ = std::chrono::steady_clock::now();
  method_ = std::string(parser_->get().method_string());
  target_ = std::string(parser_->get().target());
  if (auto why = refusal(parser_->get(), state_->options().api_key); !why.empty()) {
    log::warn("api", {{"remote", remote_}}, "{} {} refused: {}", method_, target_, why);
    version_ = parser_->get().version();
    reply_and_close(error_response(401, error_access_denied, "ERROR_ACCESS_DENIED", why));
    return;
  }
  if (parser_->is_done()) {
    on_request({});
    return;
  }
  if (!expects_continue(parser_->get())) {
    do_read_body();
    return;
  }
  // curl and others wait for this before sending a body over 1 KiB.
  static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(state_->options().io_timeout);
  net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                   [self = shared_from_this()](const error_code& ec, std::size_t) {
                     if (ec) {
                       self->on_read_error(ec);
                       return;
                     }
                     self->do_read_body();
                   });
}

void http_session::do_read_body() {
  stream_.expires_after(state_->options().io_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_request(ec); });
}

void http_session::on_read_error(const error_code& ec) {
  if (closing_ || ec == net::error::operation_aborted) {
    return;
  }
  if (ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == http::error::partial_message) {
    log::debug("api", {{"remote", remote_}}, "connection closed by the client");
    return;
  }
  if (ec == beast::error::timeout) {
    log::debug("api", {{"remote", remote_}}, "connection idle or stalled; closed");
    return;
  }
  if (ec == http::error::body_limit) {
    // 400 like any other body the API cannot take (issue 3: "a malformed or oversized body
    // ... 400"), with ERROR_INVALID_PARAMETER naming the limit.
    reply_and_close(invalid_parameter(
        400, "request body exceeds " + std::to_string(state_->options().body_limit) + " bytes"));
    return;
  }
  if (ec == http::error::header_limit) {
    reply_and_close(invalid_parameter(
        431,
        "request header exceeds " + std::to_string(state_->options().header_limit) + " bytes"));
    return;
  }
  if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
    log::debug("api", {{"remote", remote_}}, "malformed HTTP request: {}", ec.message());
    reply_and_close(invalid_parameter(400, "malformed HTTP request: " + ec.message()));
    return;
  }
  log::debug("api", {{"remote", remote_}}, "connection failed: {}", ec.message());
}

void http_session::on_request(const error_code& ec) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  auto& req = parser_->get();
  version_ = req.version();
  keep_alive_ = req.keep_alive();

  auto target = parse_target(target_);
  if (!target) {
    send(0, invalid_parameter(400, target.error()));
    return;
  }
  const bool events = target->path.size() == 1 && target->path.front() == "events";
  if (events && req.method() == http::verb::get) {
    if (beast::websocket::is_upgrade(req)) {
      upgrade(*target);
    } else {
      send(0, invalid_parameter(426, "GET /events is a WebSocket: send Upgrade: websocket"));
    }
    return;
  }

  nlohmann::json body;
  if (!is_blank(req.body())) {
    try {
      body = nlohmann::json::parse(req.body());
    } catch (const nlohmann::json::parse_error& e) {
      send(0, invalid_parameter(
                  400, "request body is not valid JSON: " + without_json_prefix(e.what())));
      return;
    }
  }
  dispatch(request{method_, std::move(target->path), std::move(target->query), std::move(body),
                   remote_, state_->next_request_id()});
}

void http_session::upgrade(const parsed_target& target) {
  std::optional<std::uint64_t> since;
  if (const auto it = target.query.find("since"); it != target.query.end()) {
    std::uint64_t value = 0;
    const auto& text = it->second;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (err != std::errc{} || end != text.data() + text.size()) {
      send(0, invalid_parameter(
                  400, "query parameter 'since' must be an unsigned integer, not '" + text + "'"));
      return;
    }
    since = value;
  }
  // The socket leaves this session; the session ends when this handler returns.
  stream_.expires_never();
  start_websocket_session(state_, stream_.release_socket(), parser_->release(), since, remote_);
}

void http_session::dispatch(request r) {
  request_id_ = r.id;
  awaiting_answer_ = true;
  // No timeout while the core works on it: the core decides how long an answer takes.
  stream_.expires_never();
  auto reply = std::make_shared<reply_state>(shared_from_this(), request_id_);
  try {
    state_->handler()(std::move(r), [reply](response answer) { reply->answer(std::move(answer)); });
  } catch (const std::exception& e) {
    log::error("api", "request {} ({} {}): handler threw: {}", request_id_, method_, target_,
               e.what());
    if (!reply->answered()) {
      reply->answer(internal_error(std::string("internal error: ") + e.what()));
    }
  }
}

void http_session::send(std::uint64_t request_id, response r) {
  if (abandoned()) {
    return;
  }
  if (request_id != 0) {
    if (!awaiting_answer_ || request_id != request_id_) {
      // Cannot happen through reply_state; guards against a stale answer on a reused session.
      log::error("api", "answer to request {} arrived when it is no longer in flight", request_id);
      return;
    }
  }
  awaiting_answer_ = false;

  if (r.status < 100 || r.status > 599) {
    log::error("api", "request {}: handler answered invalid status {}; sending 500", request_id,
               r.status);
    r = internal_error("handler answered invalid status " + std::to_string(r.status));
  }
  response_ = {};
  response_.result(static_cast<unsigned>(r.status));
  response_.version(version_ == 10 ? 10 : 11);
  response_.set(http::field::server, "wolfpack");
  const bool bodyless = r.status < 200 || r.status == 204 || r.status == 304;
  if (r.status == 401)
    response_.set(http::field::www_authenticate, "Bearer realm=\"wolfpack\"");
  if (!r.body.is_null() && !bodyless) {
    response_.set(http::field::content_type, "application/json");
    // replace: invalid UTF-8 in some name must not throw out of the transport.
    response_.body() = r.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  response_.keep_alive(keep_alive_);
  response_.prepare_payload();
  if (method_ == "HEAD") {
    // The headers describe the body a GET would get; none follows.
    const auto length = response_.body().size();
    response_.body().clear();
    response_.content_length(length);
  }

  if (started_ != std::chrono::steady_clock::time_point{}) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    log::debug("api", {{"remote", remote_}}, "request {}: {} {} -> {} in {} ms", request_id,
               method_, target_, r.status, ms);
  }
  do_write();
}

void http_session::do_write() {
  stream_.expires_after(state_->options().io_timeout);
  http::async_write(
      stream_, response_,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_write(ec); });
}

void http_session::on_write(const error_code& ec) {
  if (ec) {
    if (!closing_ && ec != net::error::operation_aborted) {
      log::debug("api", {{"remote", remote_}}, "cannot write a response: {}", ec.message());
    }
    return;
  }
  started_ = {};
  if (keep_alive_) {
    do_read_header();
    return;
  }
  error_code ignored;
  stream_.socket().shutdown(net::socket_base::shutdown_send, ignored);
  if (unread_input_) {
    do_linger();
  }
  // Otherwise the socket closes as the last handler releases the session.
}

void http_session::do_linger() {
  // Bounded in time and bytes: a client that keeps sending is cut off.
  static constexpr std::size_t drain_limit = std::size_t{8} << 20;
  stream_.expires_after(state_->options().close_grace);
  stream_.async_read_some(net::buffer(drain_buffer_),
                          [self = shared_from_this()](const error_code& ec, std::size_t n) {
                            self->drained_ += n;
                            if (!ec && self->drained_ < drain_limit) {
                              self->do_linger();
                            }
                          });
}

}  // namespace

void start_http_session(std::shared_ptr<server_state> state, stream_socket socket) {
  std::make_shared<http_session>(std::move(state), std::move(socket))->start();
}

std::string describe_peer(const stream_socket& socket) {
  error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) {
    return "unknown";
  }
  const auto family = peer.protocol().family();
  if (family == AF_INET || family == AF_INET6) {
    net::ip::tcp::endpoint tcp;
    tcp.resize(peer.size());
    std::memcpy(tcp.data(), peer.data(), peer.size());
    const auto address = tcp.address().to_string();
    const auto port = std::to_string(tcp.port());
    return family == AF_INET6 ? "[" + address + "]:" + port : address + ":" + port;
  }
  return "unix";
}

}  // namespace wolfpack::api::detail
