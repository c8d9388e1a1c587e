#include "wolfpack/common/blocking_listener.hpp"

#include <optional>
#include <utility>

#include <boost/asio/error.hpp>

#include "blocking_channel_impl.hpp"

namespace wolfpack {

struct blocking_listener::impl {
  boost::asio::io_context io;
  std::optional<stream_acceptor> acceptor;
  endpoint local;
};

blocking_listener::blocking_listener(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}
blocking_listener::blocking_listener(blocking_listener&&) noexcept = default;
blocking_listener& blocking_listener::operator=(blocking_listener&&) noexcept = default;
blocking_listener::~blocking_listener() = default;

result<blocking_listener> blocking_listener::listen(const endpoint& ep) {
  auto state = std::make_unique<impl>();
  auto acceptor = listen_on(state->io, ep, {.backlog = 4});
  if (!acceptor)
    return fail(acceptor.error());
  auto local = local_endpoint_of(*acceptor);
  if (!local)
    return fail(local.error());
  state->acceptor.emplace(std::move(acceptor).value());
  state->local = std::move(local).value();
  return blocking_listener(std::move(state));
}

const endpoint& blocking_listener::local_endpoint() const {
  return impl_->local;
}

result<blocking_channel> blocking_listener::accept(std::chrono::milliseconds timeout,
                                                   std::size_t max_frame_bytes) {
  auto channel = std::make_unique<blocking_channel::impl>(max_frame_bytes);
  bool done = false;
  boost::system::error_code error;
  // The accepted socket belongs to the channel's own io_context from the start.
  impl_->acceptor->async_accept(channel->socket, [&](const boost::system::error_code& ec) {
    error = ec;
    done = true;
  });
  auto& io = impl_->io;
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline)
    io.run_one_until(deadline);
  if (!done) {
    boost::system::error_code ignored;
    impl_->acceptor->cancel(ignored);
    io.restart();
    while (!done)
      io.run_one();
    if (error == boost::asio::error::operation_aborted)
      return fail("no connection on " + impl_->local.to_string() + " within " +
                  std::to_string(timeout.count()) + " ms");
  }
  if (error)
    return fail("accepting on " + impl_->local.to_string() + " failed: " + error.message());
  tune_socket(channel->socket);
  channel->open = true;
  return blocking_channel(std::move(channel));
}

}  // namespace wolfpack
