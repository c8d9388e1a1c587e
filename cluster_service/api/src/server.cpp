#include "wolfpack/api/server.hpp"

#include <chrono>
#include <memory>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http_session.hpp"
#include "server_state.hpp"
#include "wolfpack/common/endpoint_io.hpp"
#include "wolfpack/common/logging.hpp"

namespace wolfpack::api {
namespace {

using error_code = boost::system::error_code;

// One listening socket. Shared with its pending accept so that closing the server while an
// accept is outstanding leaves nothing dangling.
struct listener : std::enable_shared_from_this<listener> {
  listener(std::shared_ptr<detail::server_state> state, stream_acceptor acceptor, endpoint where)
      : state(std::move(state)),
        acceptor(std::move(acceptor)),
        retry_timer(this->state->io()),
        where(std::move(where)) {}

  void do_accept() {
    acceptor.async_accept([self = shared_from_this()](const error_code& ec, stream_socket socket) {
      self->on_accept(ec, std::move(socket));
    });
  }

  void on_accept(const error_code& ec, stream_socket socket) {
    if (state->closed() || ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      // Out of descriptors (or similar): retrying at once would spin, so pause briefly.
      log::error("api", "accept on {} failed: {}; retrying in 100 ms", where.to_string(),
                 ec.message());
      retry_timer.expires_after(std::chrono::milliseconds(100));
      retry_timer.async_wait([self = shared_from_this()](const error_code& wait_ec) {
        if (!wait_ec && !self->state->closed()) {
          self->do_accept();
        }
      });
      return;
    }
    tune_socket(socket);
    detail::start_http_session(state, std::move(socket));
    do_accept();
  }

  void close() {
    error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel();
  }

  std::shared_ptr<detail::server_state> state;
  stream_acceptor acceptor;
  boost::asio::steady_timer retry_timer;
  endpoint where;
};

}  // namespace

server::server(boost::asio::io_context& io, request_handler handler, server_options options)
    : state_(std::make_shared<detail::server_state>(io, std::move(handler), options)) {}

server::~server() {
  close();
}

result<endpoint> server::listen(const endpoint& ep) {
  if (state_->closed()) {
    return fail("cannot listen on " + ep.to_string() + ": the API server is closed");
  }
  auto acceptor = listen_on(state_->io(), ep);
  if (!acceptor) {
    return fail(acceptor.error());
  }
  auto bound = local_endpoint_of(*acceptor);
  if (!bound) {
    return fail(bound.error());
  }
  auto l = std::make_shared<listener>(state_, std::move(acceptor).value(), *bound);
  l->do_accept();
  state_->on_close([l] { l->close(); });
  log::info("api", "listening on {}", bound->to_string());
  return bound;
}

void server::broadcast(const nlohmann::json& event) {
  state_->broadcast(event);
}

void server::close() {
  state_->close();
}

std::size_t server::subscriber_count() const {
  return state_->subscriber_count();
}

std::size_t server::connection_count() const {
  return state_->connection_count();
}

}  // namespace wolfpack::api
