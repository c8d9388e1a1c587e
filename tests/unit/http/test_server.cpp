#include "test_server.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "wolfpack/common/endpoint_io.hpp"

namespace wolfpack::test {

namespace net = boost::asio;

struct test_server::impl {
  net::io_context io;
  net::executor_work_guard<net::io_context::executor_type> work{io.get_executor()};
  std::optional<api::server> server;
  std::thread thread;
};

test_server::test_server(api::request_handler handler, api::server_options options,
                         const endpoint& listen_on)
    : impl_(std::make_unique<impl>()) {
  impl_->server.emplace(impl_->io, std::move(handler), options);
  auto bound = impl_->server->listen(listen_on);
  if (!bound) {
    throw std::runtime_error(bound.error());
  }
  where_ = *bound;
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

test_server::~test_server() {
  try {
    on_io([this] {
      if (teardown_) {
        teardown_();
      }
      impl_->server.reset();
    });
  } catch (const std::exception&) {
    // The io thread is stuck; joining below would hang the test binary instead of failing.
  }
  impl_->work.reset();
  // Sessions that were closing finish their aborted handlers, then run() returns.
  impl_->io.stop();
  impl_->thread.join();
}

void test_server::on_io(const std::function<void()>& action, std::chrono::milliseconds timeout) {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  net::post(impl_->io, [done, action] {
    try {
      action();
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  });
  if (future.wait_for(timeout) != std::future_status::ready) {
    throw std::runtime_error("the io thread did not run the action in time");
  }
  future.get();
}

void test_server::with_server(const std::function<void(api::server&)>& action) {
  on_io([&] { action(*impl_->server); });
}

void test_server::broadcast(const nlohmann::json& event) {
  on_io([&] { impl_->server->broadcast(event); });
}

std::size_t test_server::subscriber_count() {
  std::size_t count = 0;
  on_io([&] { count = impl_->server->subscriber_count(); });
  return count;
}

std::size_t test_server::connection_count() {
  std::size_t count = 0;
  on_io([&] { count = impl_->server->connection_count(); });
  return count;
}

void test_server::close() {
  on_io([&] { impl_->server->close(); });
}

bool test_server::wait_on_io(const std::function<bool(api::server&)>& condition,
                             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    bool holds = false;
    on_io([&] { holds = condition(*impl_->server); });
    if (holds) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    // A poll interval, not synchronisation: the condition is what is waited for.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

raw_response raw_exchange(const endpoint& where, std::string_view bytes,
                          std::chrono::milliseconds timeout) {
  net::io_context io;
  auto socket = connect_to(io, where);
  if (!socket) {
    throw std::runtime_error(socket.error());
  }
  // The whole exchange is bounded: the timer closes the socket, failing what is pending.
  net::steady_timer deadline(io, timeout);
  bool timed_out = false;
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) {
      timed_out = true;
      boost::system::error_code ignored;
      socket->close(ignored);
    }
  });

  raw_response out;
  std::string received;
  std::array<char, 64 * 1024> chunk{};
  std::optional<std::size_t> body_start;
  std::optional<std::size_t> content_length;

  // Write errors are expected when the server answers early and closes; the read decides.
  net::async_write(*socket, net::buffer(bytes.data(), bytes.size()),
                   [](const boost::system::error_code&, std::size_t) {});

  const auto finish = [&] {
    deadline.cancel();
    boost::system::error_code ignored;
    socket->close(ignored);
  };
  std::function<void()> read_more = [&] {
    socket->async_read_some(
        net::buffer(chunk), [&](const boost::system::error_code& ec, std::size_t n) {
          received.append(chunk.data(), n);
          if (!body_start) {
            if (const auto end = received.find("\r\n\r\n"); end != std::string::npos) {
              body_start = end + 4;
              out.headers = received.substr(0, end);
              std::string lower = out.headers;
              std::transform(lower.begin(), lower.end(), lower.begin(),
                             [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
              if (const auto at = lower.find("content-length:"); at != std::string::npos) {
                content_length = std::stoul(lower.substr(at + 15));
              }
              out.status = std::stoi(received.substr(9, 3));
            }
          }
          if (body_start && content_length && received.size() >= *body_start + *content_length) {
            out.body = received.substr(*body_start, *content_length);
            finish();
            return;
          }
          if (ec) {
            if (body_start) {
              out.body = received.substr(*body_start);
            }
            finish();
            return;
          }
          read_more();
        });
  };
  read_more();
  io.run();
  if (timed_out && out.status == 0) {
    throw std::runtime_error("no response within the timeout");
  }
  return out;
}

}  // namespace wolfpack::test
